"""Question sets are data: checked, versioned, shipped by a migration, and locked once published (as tool definitions)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from quality import services
from quality.models import QuestionSet, QuestionSetLockedError, QuestionSetStatus
from quality.question_sets import QuestionSetError, check, parse_text, shipped_document

pytestmark = pytest.mark.django_db

SHIPPED = ("neglect_audit", "family_feedback_parent", "family_feedback_child")


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_set_passes_the_checks_and_is_published_by_the_migration(name):
    parsed = check(shipped_document(name))
    stored = QuestionSet.objects.get(key=parsed.key)
    assert stored.status == QuestionSetStatus.PUBLISHED and stored.version == 1 and stored.structure == shipped_document(name)


def test_the_neglect_audit_asks_the_seven_questions_and_tags_the_dashboards_two():
    parsed = check(shipped_document("neglect_audit"))
    assert [q.id for q in parsed.questions] == [
        "identification",
        "use_of_tools",
        "lived_experience",
        "fathers",
        "information_sharing",
        "planning_and_drift",
        "impact",
    ]
    assert {q.measure: q.id for q in parsed.questions if q.measure} == {"use_of_gcp": "use_of_tools", "impact_of_plan": "impact"}


def test_the_childs_version_answers_with_pictures():
    parsed = check(shipped_document("family_feedback_child"))
    assert parsed.audience == "child" and all(point.picture for point in parsed.scale)


def test_every_problem_is_named_by_its_place():
    document = {
        "key": "Bad Key",
        "name": "",
        "kind": "family_feedback",
        "scale": [{"value": "yes", "label": "Yes", "picture": "wink"}],
        "questions": [{"id": "q", "text": "Q?", "type": "stars"}, {"id": "q", "text": "Again", "measure": "impact_of_plan"}],
        "colour": "red",
    }
    with pytest.raises(QuestionSetError) as error:
        check(document)
    messages = "\n".join(error.value.messages)
    for expected in (
        "document: unknown field 'colour'",
        "key: use lower-case",
        "name: required",
        "audience: required",
        "scale[0].picture: one of",
        "questions[0].type: one of scale, text",
        "questions[1].id: 'q' twice",
        "questions[1].measure: only audit questions",
    ):
        assert expected in messages


def test_pasted_text_must_be_json():
    with pytest.raises(QuestionSetError, match="Not JSON"):
        parse_text("key: yaml")


def test_a_new_version_is_a_draft_until_published_and_the_old_one_then_retires(world):
    admin = world.users["admin"]
    document = shipped_document("neglect_audit") | {"name": "Neglect audit, 2027 wording"}
    draft = services.question_set_load(document=document, actor=admin)
    assert (draft.version, draft.status) == (2, QuestionSetStatus.DRAFT)
    with pytest.raises(ValidationError, match="already a draft"):
        services.question_set_load(document=document, actor=admin)
    services.question_set_publish(question_set=draft, actor=admin)
    versions = dict(QuestionSet.objects.filter(key="neglect_audit").values_list("version", "status"))
    assert versions == {1: QuestionSetStatus.RETIRED, 2: QuestionSetStatus.PUBLISHED}


def test_only_partnership_admins_load_sets(world):
    with pytest.raises(PermissionDenied):
        services.question_set_load(document=shipped_document("neglect_audit"), actor=world.users["strategy"])


def test_a_key_keeps_its_kind():
    document = shipped_document("family_feedback_parent") | {"key": "neglect_audit"}
    with pytest.raises(ValidationError, match="case audit set"):
        services.question_set_load(document=document)


def test_a_published_set_refuses_changes_in_the_model():
    published = QuestionSet.objects.get(key="neglect_audit")
    published.name = "Renamed"
    with pytest.raises(QuestionSetLockedError):
        published.save()
    with pytest.raises(QuestionSetLockedError):
        QuestionSet.objects.get(key="neglect_audit").delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_a_published_set_refuses_changes_in_the_database():
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        QuestionSet.objects.filter(key="neglect_audit").update(structure={"key": "x"})
    QuestionSet.objects.filter(key="neglect_audit").update(status=QuestionSetStatus.RETIRED)  # retiring is allowed
