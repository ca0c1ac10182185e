"""The tools API: same access rules as the pages, 400 with field errors, 409 for a final run."""

import json
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from tools.models import AssessmentRun, RunStatus
from tools.services import definition_new_version

from .builders import EVIDENCE, PRESENT, VOICE, all_grades, answers_for, draft_run, final_run, published

pytestmark = pytest.mark.usefixtures("frozen_today")


def api(client, method, name, body=None, **kwargs):
    path = reverse(f"api:{name}", kwargs=kwargs)
    if method == "GET":
        return client.get(path, body or {})
    return client.generic(method, path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def practitioner(world, client_for):
    return client_for(world.users["partner_practitioner"])


def test_case_workers_read_published_definitions_and_admins_every_version(world, client_for):
    gcp2 = published("gcp2")
    draft = definition_new_version(definition=gcp2, actor=world.users["admin"])
    seen = {
        kind: {row["id"] for row in api(client_for(world.users[kind]), "GET", "tool-definition-list").json()["results"]}
        for kind in ("partner_practitioner", "admin", "strategy")
    }
    assert gcp2.pk in seen["partner_practitioner"] and draft.pk not in seen["partner_practitioner"]
    assert draft.pk in seen["admin"]
    assert seen["strategy"] == set()
    detail = api(client_for(world.users["partner_practitioner"]), "GET", "tool-definition-detail", pk=gcp2.pk).json()
    assert detail["structure"]["areas"][0]["id"] == "physical_care"


def test_a_run_is_created_filled_and_finalised_through_the_api(world, practitioner):
    gcp2 = published("gcp2")
    created = api(practitioner, "POST", "tool-run-list", {"case": world.case.pk, "definition": gcp2.pk})
    assert created.status_code == 201
    run_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["assessed_on"] == "2026-03-10"
    answers = answers_for(gcp2, {**all_grades(2), "safety": [3, 3]}, age_band=created.json()["age_band"])
    saved = api(practitioner, "PATCH", "tool-run-detail", {"people_present": PRESENT, "child_voice": VOICE, "answers": answers}, pk=run_id)
    assert saved.status_code == 200
    assert saved.json()["area_status"] == {
        "physical_care": "completed",
        "safety": "completed",
        "emotional_care": "completed",
        "developmental_care": "completed",
    }
    finalised = api(practitioner, "POST", "tool-run-finalise", pk=run_id)
    assert finalised.status_code == 200
    # Version 2 of the shipped GCP2: each area at its worst sub-area grade, no overall figure (docs/tools.md).
    assert finalised.json()["scores"] == {"areas": {"physical_care": 2, "safety": 3, "emotional_care": 2, "developmental_care": 2}, "overall": None}


def test_a_client_cannot_set_scores_or_status(world, practitioner):
    run = draft_run(world.case, world.users["partner_practitioner"])
    api(practitioner, "PATCH", "tool-run-detail", {"scores": {"overall": 1}, "status": "final"}, pk=run.pk)
    run = AssessmentRun.objects.get(pk=run.pk)
    assert (run.status, run.scores) == (RunStatus.DRAFT, {})


def test_invalid_input_answers_400_with_field_errors(world, practitioner):
    run = draft_run(world.case, world.users["partner_practitioner"])
    response = api(
        practitioner,
        "PATCH",
        "tool-run-detail",
        {"assessed_on": "2026-04-01", "age_band": "teen", "answers": {"safety": {"safety_in_absence": {"value": 6, "evidence": EVIDENCE}}}},
        pk=run.pk,
    )
    assert response.status_code == 400
    assert response.json() == {
        "assessed_on": ["The date of the assessment must be today or in the past"],
        "age_band": ["Choose one of the age bands given"],
        "answers": {"safety.safety_in_absence": ["Safety when the carer is absent: Choose one of the answers given (1, 2, 3, 4, 5)"]},
    }
    assert api(practitioner, "POST", "tool-run-list", {"case": "x"}).json() == {
        "case": ["A valid integer is required."],
        "definition": ["This field is required."],
    }


def test_finalising_an_incomplete_run_answers_400_with_the_gaps(world, practitioner):
    run = draft_run(world.case, world.users["partner_practitioner"], values={"physical_care": 1})
    response = api(practitioner, "POST", "tool-run-finalise", pk=run.pk)
    assert response.status_code == 400
    assert "Care of safety: Safety when the carer is present – choose an answer" in response.json()["non_field_errors"]


def test_a_final_run_cannot_be_changed_through_the_api(world, practitioner):
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(2))
    response = api(practitioner, "PATCH", "tool-run-detail", {"child_voice": "rewritten"}, pk=run.pk)
    assert (response.status_code, response.json()) == (409, {"detail": "This assessment is final and cannot be changed."})
    again = api(practitioner, "POST", "tool-run-finalise", pk=run.pk)
    assert (again.status_code, again.json()) == (409, {"detail": "This assessment is already final and cannot be changed."})
    assert api(practitioner, "PUT", "tool-run-detail", {"child_voice": "rewritten"}, pk=run.pk).status_code == 405
    assert AssessmentRun.objects.get(pk=run.pk).child_voice == VOICE


def test_runs_on_cases_the_caller_cannot_see_answer_404(world, client_for):
    run = draft_run(world.case, world.users["lead_practitioner"])
    outsider = client_for(world.users["outsider"])
    assert api(outsider, "GET", "tool-run-detail", pk=run.pk).status_code == 404
    assert api(outsider, "PATCH", "tool-run-detail", {"child_voice": "x"}, pk=run.pk).status_code == 404
    assert api(outsider, "POST", "tool-run-list", {"case": world.case.pk, "definition": published("gcp2").pk}).status_code == 404
    assert api(outsider, "GET", "tool-run-list", {"case": world.case.pk}).json()["results"] == []


def test_the_run_list_narrows_by_case_and_child_and_is_audited(world, practitioner):
    run = draft_run(world.case, world.users["lead_practitioner"])
    assert [row["id"] for row in api(practitioner, "GET", "tool-run-list", {"child": world.case.child_id}).json()["results"]] == [run.pk]
    assert api(practitioner, "GET", "tool-run-list", {"case": "abc"}).json()["results"] == []
    assert AccessEvent.objects.filter(action=AuditAction.VIEW, object_type="assessmentrun_list").count() == 2


def test_the_progress_endpoint_compares_the_childs_runs(world, practitioner):
    user = world.users["lead_practitioner"]
    final_run(world.case, user, values=all_grades(3), on=date(2026, 1, 12))
    final_run(world.case, user, values=all_grades(3), on=date(2026, 3, 2))
    before = AccessEvent.objects.count()
    [gcp2] = api(practitioner, "GET", "tool-progress", child_id=world.case.child_id).json()
    assert AccessEvent.objects.count() == before + 1
    assert gcp2["key"] == "gcp2" and gcp2["higher_is"] == "worse"
    assert [run["assessed_on"] for run in gcp2["runs"]] == ["2026-01-12", "2026-03-02"]
    # Version 2 of the shipped GCP2 has no overall figure: rows are the areas, each with its rule in words.
    assert gcp2["overall"] is None
    assert gcp2["rows"][0] == {
        "id": "physical_care",
        "title": "Physical care",
        "scores": [3.0, 3.0],
        "change": "same",
        "rule": "The highest (worst) of its sub-area grades: a sub-area graded 4 is never averaged away.",
    }
    assert gcp2["flag"]["kind"] == "no_change" and gcp2["flag"]["since"] == "2026-03-02"


def test_a_key_the_input_does_not_take_answers_400_naming_it(world, practitioner):
    run = draft_run(world.case, world.users["partner_practitioner"])
    response = api(practitioner, "PATCH", "tool-run-detail", {"scores": {"overall": 1}, "status": "final", "child_voice": "Likes toast"}, pk=run.pk)
    assert (response.status_code, response.json()) == (400, {"scores": ["Unknown field."], "status": ["Unknown field."]})
    assert AssessmentRun.objects.get(pk=run.pk).child_voice != "Likes toast"
