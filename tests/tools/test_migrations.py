"""Migrations 0003 and 0004 load the shipped definitions (version 1, then version 2), and leave a tool the partnership holds alone."""

import importlib

from django.apps import apps

from tools.definitions import shipped_documents
from tools.models import AssessmentRun, DefinitionStatus, ToolDefinition
from tools.services import definition_load, definition_publish

from .builders import all_grades, final_run, published, shipped_document

shipped = importlib.import_module("tools.migrations.0003_load_shipped_definitions")


def test_the_shipped_definitions_are_loaded_published_from_the_files(db):
    ToolDefinition.objects.filter(runs__isnull=True).delete()  # the migration's own rows, if a flush left any
    shipped.load(apps, None)
    loaded = {definition.key: definition for definition in ToolDefinition.objects.all()}
    assert sorted(loaded) == ["ccdc", "eha", "family_progress", "gcp2"]
    assert all(definition.status == DefinitionStatus.PUBLISHED and definition.version == 1 for definition in loaded.values())
    documents = {document["key"]: document for document in shipped_documents().values()}
    assert all(loaded[key].structure == documents[key] for key in loaded)
    assert loaded["gcp2"].parsed.name == "Graded Care Profile 2"


def test_a_tool_the_partnership_already_holds_is_left_alone(db):
    gcp2 = published("gcp2")
    held = ToolDefinition.objects.count()
    shipped.load(apps, None)
    assert ToolDefinition.objects.get(key="gcp2", status=DefinitionStatus.PUBLISHED) == gcp2
    assert ToolDefinition.objects.count() == held
    assert sorted(set(ToolDefinition.objects.values_list("key", flat=True))) == ["ccdc", "eha", "family_progress", "gcp2"]


# --- Migration 0004: version 2 of the shipped definitions ------------------------------------------

version_2 = importlib.import_module("tools.migrations.0004_ship_version_2_definitions")


def _shipped_version_1_only():
    ToolDefinition.objects.all().delete()  # bulk delete: the model's refusal is for single rows
    shipped.load(apps, None)


def test_version_2_is_published_from_the_files_and_version_1_retires(db):
    _shipped_version_1_only()
    version_2.ship_version_2(apps, None)
    documents = {document["key"]: document for document in shipped_documents(2).values()}
    for key, document in documents.items():
        first, second = ToolDefinition.objects.filter(key=key).order_by("version")
        assert (first.version, first.status, second.version, second.status) == (1, DefinitionStatus.RETIRED, 2, DefinitionStatus.PUBLISHED)
        assert second.structure == document and first.retired_at is not None


def test_runs_on_version_1_stay_on_it(world):
    _shipped_version_1_only()
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(4))
    version_2.ship_version_2(apps, None)
    run = AssessmentRun.objects.get(pk=run.pk)
    assert run.definition.version == 1 and run.structure.area("physical_care").rule == "rounded_mean"
    assert published("gcp2").version == 2


def test_a_tool_the_partnership_changed_keeps_its_own_version(db):
    _shipped_version_1_only()
    licensed = definition_load(document=shipped_document("gcp2", version=1) | {"name": "Graded Care Profile 2 (licensed)"})
    definition_publish(definition=licensed)
    version_2.ship_version_2(apps, None)
    assert published("gcp2") == licensed and not ToolDefinition.objects.filter(key="gcp2", version=3).exists()
    assert published("ccdc").version == 2
