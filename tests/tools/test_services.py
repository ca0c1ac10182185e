"""Definition and run services: versions lock, final runs never change, every write is audited once."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AccessEvent, AuditAction
from cases.services import case_close
from tools import services
from tools.models import AssessmentRun, DefinitionLockedError, DefinitionStatus, FinalRunError, RunStatus, ToolDefinition

from .builders import all_grades, answers_for, draft_run, final_run, published, shipped_document


def audit_rows(action=None, object_type=None):
    events = AccessEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    return events


# --- Definitions -------------------------------------------------------------------------------


def test_loading_a_known_tool_makes_its_next_version_a_draft(world):
    gcp2 = published("gcp2")
    document = shipped_document("gcp2") | {"name": "Graded Care Profile 2 (licensed wording)"}
    draft = services.definition_load(document=document, actor=world.users["admin"])
    assert (draft.key, draft.version, draft.status, draft.name) == (
        "gcp2",
        gcp2.version + 1,
        DefinitionStatus.DRAFT,
        "Graded Care Profile 2 (licensed wording)",
    )
    assert draft.owner == "Example County Safeguarding Children Partnership"
    assert audit_rows(AuditAction.CREATE, "tooldefinition").get().object_id == str(draft.pk)


def test_only_partnership_admins_change_definitions(world):
    with pytest.raises(PermissionDenied):
        services.definition_load(document=shipped_document("eha") | {"key": "eha_local"}, actor=world.users["lead_manager"])
    assert not ToolDefinition.objects.filter(key="eha_local").exists()


def test_a_file_with_errors_is_refused_and_nothing_is_stored(world):
    document = shipped_document("eha") | {"key": "broken", "scoring": {"area": "median", "overall": "none"}}
    with pytest.raises(ValidationError) as refused:
        services.definition_load(document=document, actor=world.users["admin"])
    assert refused.value.message_dict["document"][0].startswith("scoring.area: unknown scoring rule 'median'")
    assert not ToolDefinition.objects.filter(key="broken").exists()


def test_a_second_draft_of_one_tool_is_refused(world):
    published("gcp2")
    services.definition_load(document=shipped_document("gcp2"), actor=world.users["admin"])
    with pytest.raises(ValidationError, match="is already a draft"):
        services.definition_load(document=shipped_document("gcp2"), actor=world.users["admin"])


def test_publishing_a_new_version_retires_the_old_one_and_its_runs_stay_readable(world):
    old = published("gcp2")
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(2))
    new = services.definition_new_version(definition=old, actor=world.users["admin"])
    new = services.definition_publish(definition=new, actor=world.users["admin"])
    old.refresh_from_db()
    run = AssessmentRun.objects.get(pk=run.pk)
    assert (old.status, new.status) == (DefinitionStatus.RETIRED, DefinitionStatus.PUBLISHED)
    assert run.definition == old and run.scores["areas"]["physical_care"] == 2
    assert run.structure.area("physical_care").title == "Physical care"


def test_a_draft_can_be_edited_but_its_key_cannot_change(world):
    draft = services.definition_new_version(definition=published("eha"), actor=world.users["admin"])
    edited = services.definition_update(
        definition=draft, document=shipped_document("eha") | {"name": "Early Help Assessment (county form)"}, actor=world.users["admin"]
    )
    assert edited.name == "Early Help Assessment (county form)"
    with pytest.raises(ValidationError, match="key: must stay 'eha'"):
        services.definition_update(definition=draft, document=shipped_document("eha") | {"key": "other"}, actor=world.users["admin"])


def test_a_published_definition_is_locked_in_the_service_and_the_model(world):
    gcp2 = published("gcp2")
    with pytest.raises(DefinitionLockedError, match="Make a new version"):
        services.definition_update(definition=gcp2, document=shipped_document("gcp2"), actor=world.users["admin"])
    gcp2.structure = {**gcp2.structure, "name": "Changed"}
    with pytest.raises(DefinitionLockedError):
        gcp2.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_a_published_definition(world):
    gcp2 = published("gcp2")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        ToolDefinition.objects.filter(pk=gcp2.pk).update(name="Changed behind the model's back")


def test_retiring_stops_new_runs_but_not_drafts_already_started(world):
    definition = published("family_progress")
    draft = draft_run(world.case, world.users["lead_practitioner"], "family_progress", values={"health": 4})
    services.definition_retire(definition=definition, actor=world.users["admin"])
    with pytest.raises(ValidationError, match="not published"):
        services.run_start(case=world.case, definition=ToolDefinition.objects.get(pk=definition.pk), actor=world.users["lead_practitioner"])
    saved = services.run_save_draft(run=draft, answers={"safety": {"safety_now": {"value": 6}}}, actor=world.users["lead_practitioner"])
    assert saved.answer("safety", "safety_now")["value"] == 6


# --- Runs --------------------------------------------------------------------------------------


def test_starting_a_run_records_version_assessor_agency_date_and_age_band(world):
    gcp2 = published("gcp2")
    run = services.run_start(case=world.case, definition=gcp2, actor=world.users["partner_practitioner"], today=date(2026, 3, 2))
    assert (run.status, run.definition.version, run.assessor, run.agency, run.assessed_on) == (
        RunStatus.DRAFT,
        gcp2.version,
        world.users["partner_practitioner"],
        world.school,
        date(2026, 3, 2),
    )
    assert run.age_band == "age_5_to_10"  # born 1 June 2015: 10 years 9 months
    event = audit_rows(AuditAction.CREATE, "assessmentrun").get()
    assert (event.object_id, event.child_id) == (str(run.pk), world.case.child_id)


def test_no_run_starts_on_a_closed_case(world):
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=date(2026, 2, 1), closure_reason="Needs met")
    with pytest.raises(ValidationError, match="This case is closed"):
        services.run_start(case=world.case, definition=published("gcp2"), actor=world.users["lead_practitioner"])


def test_saving_areas_over_two_sittings_keeps_both(world):
    user = world.users["lead_practitioner"]
    run = draft_run(world.case, user, values={"physical_care": 2})
    stale_copy = AssessmentRun.objects.get(pk=run.pk)
    services.run_save_draft(run=run, answers={"safety": {"safety_in_presence": {"value": "3", "evidence": "Stairs unguarded"}}}, actor=user)
    # A second sitting working from a copy read before the first saved: nothing is lost.
    services.run_save_draft(run=stale_copy, answers={"emotional_care": {"carer_warmth": {"value": 1, "evidence": "Cuddled her"}}}, actor=user)
    run.refresh_from_db()
    assert set(run.answers) == {"physical_care", "safety", "emotional_care"}
    assert run.answer("safety", "safety_in_presence") == {"value": 3, "evidence": "Stairs unguarded"}
    assert run.status == RunStatus.DRAFT


def test_answers_must_fit_the_scale_and_errors_name_the_item(world):
    run = draft_run(world.case, world.users["lead_practitioner"])
    with pytest.raises(ValidationError) as refused:
        services.run_save_draft(
            run=run,
            answers={"physical_care": {"nutrition": {"value": 7}, "gravy": {"value": 1}}, "kitchen": {}},
            details={"assessed_on": date(2099, 1, 1)},
            actor=world.users["lead_practitioner"],
        )
    assert refused.value.message_dict == {
        "assessed_on": ["The date of the assessment must be today or in the past"],
        "physical_care.nutrition": ["Nutrition: Choose one of the answers given (1, 2, 3, 4, 5)"],
        "physical_care.gravy": ["There is no item 'gravy' in Physical care"],
        "kitchen": [f"There is no area 'kitchen' in Graded Care Profile 2 (version {run.definition.version})"],
    }
    run.refresh_from_db()
    assert run.answers.get("physical_care", {}).get("nutrition") is None


def test_an_emptied_answer_is_removed_from_the_draft(world):
    run = draft_run(world.case, world.users["lead_practitioner"], values={"safety": 2})
    run = services.run_save_draft(run=run, answers={"safety": {"safety_in_absence": {"value": "", "evidence": ""}}}, actor=world.users["lead_practitioner"])
    assert "safety_in_absence" not in run.answers["safety"]


def test_finalising_lists_every_gap(world):
    run = draft_run(world.case, world.users["lead_practitioner"], values={"physical_care": 2, "safety": 2, "emotional_care": 2}, complete_details=False)
    services.run_save_draft(run=run, answers={"developmental_care": {"stimulation": {"value": 2}}}, actor=world.users["lead_practitioner"])
    with pytest.raises(ValidationError) as refused:
        services.run_finalise(run=run, actor=world.users["lead_practitioner"])
    assert refused.value.messages == [
        "Say who was present at the assessment",
        "Developmental care (esteem): Stimulation – give the evidence for your answer",
        "Developmental care (esteem): Approval – choose an answer",
        "Developmental care (esteem): Approval – give the evidence for your answer",
        "Developmental care (esteem): Disapproval – choose an answer",
        "Developmental care (esteem): Disapproval – give the evidence for your answer",
        "Developmental care (esteem): Acceptance – choose an answer",
        "Developmental care (esteem): Acceptance – give the evidence for your answer",
        "Record the child's voice, or why it could not be heard",
    ]
    assert AssessmentRun.objects.get(pk=run.pk).status == RunStatus.DRAFT


def test_finalising_scores_on_the_server_and_audits_once(world):
    user = world.users["partner_dsl"]
    run = draft_run(world.case, user, values={"physical_care": [1, 2, 2, 3, 1], "safety": [2, 3], "emotional_care": 4, "developmental_care": 1})
    before = AccessEvent.objects.count()
    run = services.run_finalise(run=run, actor=user)
    # Version 2 of the shipped GCP2 (docs/tools.md): an area is its worst sub-area grade, so physical
    # care is 3 (version 1 rounded the mean 1.8 to 2), and there is no overall figure.
    assert run.scores == {"areas": {"physical_care": 3, "safety": 3, "emotional_care": 4, "developmental_care": 1}, "overall": None}
    assert (run.status, run.finalised_by) == (RunStatus.FINAL, user)
    assert AccessEvent.objects.count() == before + 1
    assert audit_rows(AuditAction.UPDATE, "assessmentrun").first().detail == (
        "finalised; area scores physical_care 3, safety 3, emotional_care 4, developmental_care 1"
    )


def test_a_final_run_cannot_be_changed_by_any_service(world):
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(2))
    with pytest.raises(FinalRunError):
        services.run_save_draft(run=run, details={"child_voice": "rewritten"}, actor=world.users["lead_manager"])
    with pytest.raises(FinalRunError):
        services.run_finalise(run=run, actor=world.users["lead_manager"])
    assert AssessmentRun.objects.get(pk=run.pk).child_voice != "rewritten"


def test_the_model_refuses_to_save_or_delete_a_final_run(world):
    run = AssessmentRun.objects.get(pk=final_run(world.case, world.users["lead_practitioner"], values=all_grades(2)).pk)
    run.child_voice = "rewritten"
    with pytest.raises(FinalRunError):
        run.save()
    with pytest.raises(FinalRunError):
        run.delete()
    with pytest.raises(FinalRunError):
        AssessmentRun.objects.filter(pk=run.pk).update(child_voice="rewritten")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_a_final_run(world):
    run = final_run(world.case, world.users["lead_practitioner"], values=all_grades(2))
    with pytest.raises(DatabaseError, match="final assessment run cannot be changed"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tools_assessmentrun SET child_voice = 'x' WHERE id = %s", [run.pk])


def test_answers_for_builds_only_applicable_items(world):
    # Version 1 of the checklist had age bands (version 2 follows the public checklist, which has none).
    checklist = services.definition_publish(definition=services.definition_load(document=shipped_document("ccdc", version=1) | {"key": "ccdc_banded"}))
    answers = answers_for(checklist, {"feeding_eating": "yes"}, age_band="age_11_to_17")
    assert sorted(answers["feeding_eating"]) == ["growth", "regular_meals", "suitable_food"]
