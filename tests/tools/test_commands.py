"""`manage.py load_tool FILE`: loads a checked file as a draft (or publishes it); refuses a broken one."""

import json

import pytest
from django.core.management import CommandError, call_command

from audit.models import AccessEvent, AuditAction
from tools.models import DefinitionStatus, ToolDefinition

from .builders import published, shipped_document


def test_a_licensed_copy_loads_as_the_next_version_and_publishes(db, tmp_path):
    gcp2 = published("gcp2")
    path = tmp_path / "gcp2-licensed.json"
    path.write_text(json.dumps(shipped_document("gcp2") | {"name": "Graded Care Profile 2 (licensed)"}))
    call_command("load_tool", str(path), "--publish")
    latest = ToolDefinition.objects.get(key="gcp2", version=gcp2.version + 1)
    assert (latest.status, latest.name) == (DefinitionStatus.PUBLISHED, "Graded Care Profile 2 (licensed)")
    assert ToolDefinition.objects.get(pk=gcp2.pk).status == DefinitionStatus.RETIRED
    assert list(AccessEvent.objects.filter(object_type="tooldefinition").values_list("action", "username")) == [
        (AuditAction.UPDATE, "manage.py load_tool"),
        (AuditAction.CREATE, "manage.py load_tool"),
    ]


def test_a_yaml_file_loads_as_a_draft(db, tmp_path):
    path = tmp_path / "visit.yml"
    path.write_text(
        "key: visit\nname: Visit notes\nscales: {notes: {kind: text}}\nscoring: {area: none, overall: none}\nareas:\n  - {id: notes, title: Notes, items: [{id: seen, title: What was seen, scale: notes}]}\n"
    )
    call_command("load_tool", str(path))
    assert ToolDefinition.objects.get(key="visit").status == DefinitionStatus.DRAFT


def test_a_file_with_errors_is_refused_naming_each_place(db, tmp_path):
    document = shipped_document("gcp2") | {"key": "gcp2_local"}
    document["areas"][2]["items"][0]["scale"] = "grade7"
    document["areas"][3]["items"][1]["id"] = "stimulation"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError) as refused:
        call_command("load_tool", str(path))
    assert str(refused.value) == (
        f"{path} was not loaded:\n"
        "  areas[2].items[0]: unknown scale 'grade7' (scales in this file: grade)\n"
        "  areas[3].items[1]: duplicate item id 'stimulation' (first used at areas[3].items[0])"
    )
    assert not ToolDefinition.objects.filter(key="gcp2_local").exists()


def test_a_missing_file_is_reported(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_tool", str(tmp_path / "nowhere.json"))
