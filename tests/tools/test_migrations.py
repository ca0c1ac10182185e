"""Migration 0003 loads the four shipped definitions, published, and leaves a tool the partnership holds alone."""
import importlib

from django.apps import apps

from tools.definitions import shipped_documents
from tools.models import DefinitionStatus, ToolDefinition

from .builders import published

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
    shipped.load(apps, None)
    assert ToolDefinition.objects.get(key="gcp2") == gcp2
    assert sorted(ToolDefinition.objects.values_list("key", flat=True)) == ["ccdc", "eha", "family_progress", "gcp2"]
