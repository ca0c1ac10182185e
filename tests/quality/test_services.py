"""Audit rounds through their services: set up, start (grants), grade, moderate, close (grants end), learn and act."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies import access
from audit.models import AccessEvent, AuditAction
from cases.models import CaseUserObjectPermission, Threshold
from neglect_portal.concurrency import EditConflict
from partnership.models import ActionPlanRow, Rag
from plans.models import PlanKind
from quality import services
from quality.models import AuditorGrade, Grade, LearningActionStatus, ModeratedGrade, RoundStatus, SampledCase
from tests.factories import make_agency, make_case, make_plan, make_user

from .builders import all_grades, audit_round, neglect_set

pytestmark = pytest.mark.django_db


def grants_of(user, case):
    return CaseUserObjectPermission.objects.filter(user=user, content_object=case)


# --- Setting up -------------------------------------------------------------------------------------


def test_only_admins_and_strategy_members_set_up_rounds(world):
    today = timezone.localdate()
    for kind in ("lead_manager", "csc_manager", "auditor"):
        with pytest.raises(PermissionDenied):
            services.audit_round_create(actor=world.users[kind], title="T", theme="T", question_set=neglect_set(), starts_on=today, ends_on=today)
    made = services.audit_round_create(
        actor=world.users["strategy"],
        title="Strategy's round",
        theme="Neglect at early help",
        question_set=neglect_set(),
        starts_on=today,
        ends_on=today + timedelta(days=7),
    )
    assert made.status == RoundStatus.SETUP


def test_a_refusal_is_audited_once_and_not_rolled_back(world):
    before = AccessEvent.objects.filter(action=AuditAction.DENIED).count()
    with pytest.raises(PermissionDenied):
        services.audit_round_create(
            actor=world.users["lead_manager"], title="T", theme="T", question_set=neglect_set(), starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2)
        )
    assert AccessEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1


def test_a_round_needs_a_published_audit_set_and_sensible_dates(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.audit_round_create(
            actor=world.users["admin"], title="", theme="", question_set=services.feedback_set_for("parent"), starts_on=today, ends_on=today - timedelta(days=1)
        )
    assert {"title", "theme", "question_set", "ends_on"} <= set(error.value.message_dict)


def test_a_random_draw_takes_only_cases_matching_the_criteria(world):
    cp_neglect = make_case(world.health, threshold=Threshold.SPECIALIST)
    make_plan(cp_neglect)
    in_need = make_case(world.health)
    make_plan(in_need, kind=PlanKind.CHILD_IN_NEED)
    round_ = audit_round(world, state="setup", cases=[])
    criteria = services.SampleCriteria(plan="cp_neglect", status="open")
    added = services.sample_draw(actor=world.users["admin"], audit_round=round_, criteria=criteria, size=5, rng=random.Random(1))
    assert added == 1
    assert list(round_.sample.values_list("case_id", "reference", "method")) == [(cp_neglect.pk, 1, "random")]
    assert "child protection plan for neglect" in round_.sample.get().criteria
    with pytest.raises(ValidationError, match="No case matches"):
        services.sample_draw(actor=world.users["admin"], audit_round=round_, criteria=criteria, size=5)


def test_a_draw_never_takes_a_case_twice(world):
    cases = [make_case(world.health) for _ in range(4)]
    round_ = audit_round(world, state="setup", cases=cases[:2])
    added = services.sample_draw(actor=world.users["admin"], audit_round=round_, criteria=services.SampleCriteria(lead_agency=world.health), size=10)
    assert added == 3  # world.case and the two not yet sampled
    assert round_.sample.count() == 5
    assert sorted(round_.sample.values_list("reference", flat=True)) == [1, 2, 3, 4, 5]


def test_a_chosen_case_is_added_by_number_once(world):
    round_ = audit_round(world, state="setup", cases=[])
    services.sample_add(actor=world.users["admin"], audit_round=round_, case_number=world.case.pk)
    with pytest.raises(ValidationError, match="already"):
        services.sample_add(actor=world.users["admin"], audit_round=round_, case_number=world.case.pk)
    with pytest.raises(ValidationError, match="No case has this number"):
        services.sample_add(actor=world.users["admin"], audit_round=round_, case_number=world.case.pk + 1000)


def test_one_case_working_auditor_per_agency(world):
    round_ = audit_round(world, state="setup", auditors=("outsider",))
    with pytest.raises(ValidationError, match="already has an auditor"):
        services.auditor_add(actor=world.users["admin"], audit_round=round_, user=world.users["granted"])
    for kind in ("strategy", "admin", "auditor"):
        with pytest.raises(ValidationError, match="practitioner, manager or designated safeguarding lead"):
            services.auditor_add(actor=world.users["admin"], audit_round=round_, user=world.users[kind])


def test_a_round_starts_only_when_it_is_ready(world):
    round_ = audit_round(world, state="setup", auditors=("outsider",), cases=[])
    problems = services.round_start_problems(round_)
    assert any("sample" in p for p in problems) and any("two agencies" in p for p in problems) and any("moderator" in p for p in problems)
    with pytest.raises(ValidationError):
        services.audit_round_start(actor=world.users["admin"], audit_round=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SETUP


def test_the_moderator_is_one_of_the_auditors(world):
    round_ = audit_round(world, state="setup")
    with pytest.raises(ValidationError, match="one of the round's auditors"):
        services.moderator_set(actor=world.users["admin"], audit_round=round_, user=world.users["csc_manager"])


# --- Starting: grants through the access layer -------------------------------------------------------------


def test_starting_grants_each_auditor_each_case_until_the_last_day_and_audits_each_grant(world):
    round_ = audit_round(world, state="ready")
    outsider = world.users["outsider"]
    assert not access.cases_visible_to(outsider).filter(pk=world.case.pk).exists()
    grants_before = AccessEvent.objects.filter(action=AuditAction.GRANT).count()
    services.audit_round_start(actor=world.users["admin"], audit_round=round_)
    grant = grants_of(outsider, world.case).get()
    assert grant.expires_on == round_.ends_on and grant.granted_by == world.users["admin"]
    assert grant.reason == access.audit_round_grant_reason(round_)
    assert access.cases_visible_to(outsider).filter(pk=world.case.pk).exists()
    rows = AccessEvent.objects.filter(action=AuditAction.GRANT).order_by("pk")[grants_before:]
    assert len(rows) == 3 and {row.child_id for row in rows} == {world.case.child_id}


def test_a_strategy_member_can_start_and_close_a_round(world):
    round_ = audit_round(world, runner="strategy", state="closed")
    assert round_.status == RoundStatus.CLOSED
    assert not grants_of(world.users["outsider"], world.case).exists()


def test_closing_ends_the_rounds_grants_and_no_others(world):
    longer = timezone.localdate() + timedelta(days=200)
    access.case_grant(granted_by=world.users["admin"], case=world.case, user=world.users["partner_dsl"], reason="Joint work", expires_on=longer)
    round_ = audit_round(world)
    # The school's DSL already held a longer grant: it is left as it was, and outlives the round.
    assert grants_of(world.users["partner_dsl"], world.case).get().reason == "Joint work"
    deleted_before = AccessEvent.objects.filter(action=AuditAction.DELETE, object_type="case_grant").count()
    services.audit_round_close(actor=world.users["admin"], audit_round=round_)
    assert not grants_of(world.users["outsider"], world.case).exists()
    assert grants_of(world.users["partner_dsl"], world.case).get().expires_on == longer
    assert grants_of(world.users["granted"], world.case).exists()  # the admin's grant in tests/conftest.py
    assert AccessEvent.objects.filter(action=AuditAction.DELETE, object_type="case_grant").count() == deleted_before + 2  # outsider, lead_manager
    assert not access.cases_visible_to(world.users["outsider"]).filter(pk=world.case.pk).exists()


# --- Grading and moderation -------------------------------------------------------------------------------


def sampled_of(round_):
    return SampledCase.objects.select_related("audit_round__question_set", "case").get(audit_round=round_)


def test_every_grade_but_not_applicable_needs_evidence(world):
    round_ = audit_round(world)
    sampled = sampled_of(round_)
    with pytest.raises(ValidationError) as error:
        services.grades_save(
            actor=world.users["outsider"], sampled_case=sampled, grades={"identification": (Grade.GOOD, " "), "fathers": (Grade.NOT_APPLICABLE, "")}
        )
    assert error.value.message_dict == {"identification.evidence": ["Give the evidence for your grade"]}
    services.grades_save(actor=world.users["outsider"], sampled_case=sampled, grades={"fathers": (Grade.NOT_APPLICABLE, "")})
    assert AuditorGrade.objects.get().grade == Grade.NOT_APPLICABLE


def test_an_auditor_grades_over_several_sittings_and_changes_their_grade(world):
    round_ = audit_round(world)
    sampled = sampled_of(round_)
    services.grades_save(actor=world.users["outsider"], sampled_case=sampled, grades={"identification": (Grade.GOOD, "Early help started in a week.")})
    services.grades_save(
        actor=world.users["outsider"],
        sampled_case=sampled,
        grades={"identification": (Grade.INADEQUATE, "Signs missed for a year."), "impact": (Grade.GOOD, "Attendance up.")},
    )
    grades = dict(AuditorGrade.objects.values_list("question_id", "grade"))
    assert grades == {"identification": Grade.INADEQUATE, "impact": Grade.GOOD}


def test_someone_not_auditing_the_round_cannot_grade(world):
    round_ = audit_round(world)
    with pytest.raises(PermissionDenied):
        services.grades_save(actor=world.users["csc_manager"], sampled_case=sampled_of(round_), grades=all_grades(round_))
    assert not AuditorGrade.objects.exists()
    assert AccessEvent.objects.filter(action=AuditAction.DENIED, user_id=world.users["csc_manager"].pk, object_type="audit_case").count() == 1


def test_only_the_moderator_records_the_agreed_grades_for_every_question(world):
    round_ = audit_round(world)
    sampled = sampled_of(round_)
    agreed = {question.id: (Grade.GOOD, "") for question in round_.questions}
    with pytest.raises(PermissionDenied):
        services.moderation_record(actor=world.users["outsider"], sampled_case=sampled, grades=agreed, overall_grade=Grade.GOOD, summary="Agreed")
    with pytest.raises(ValidationError) as error:
        services.moderation_record(actor=world.users["lead_manager"], sampled_case=sampled, grades={"impact": (Grade.GOOD, "")}, overall_grade="", summary="")
    assert "identification.grade" in error.value.message_dict and "overall_grade" in error.value.message_dict and "summary" in error.value.message_dict
    services.moderation_record(actor=world.users["lead_manager"], sampled_case=sampled, grades=agreed, overall_grade=Grade.GOOD, summary="Agreed")
    assert ModeratedGrade.objects.count() == len(round_.questions)
    sampled.refresh_from_db()
    assert sampled.is_moderated and sampled.overall_grade == Grade.GOOD


def test_grades_stand_once_moderated_and_once_the_round_closes(world):
    round_ = audit_round(world)
    sampled = sampled_of(round_)
    services.moderation_record(
        actor=world.users["lead_manager"],
        sampled_case=sampled,
        grades={q.id: (Grade.GOOD, "") for q in round_.questions},
        overall_grade=Grade.GOOD,
        summary="Agreed",
    )
    with pytest.raises(ValidationError, match="moderated"):
        services.grades_save(actor=world.users["outsider"], sampled_case=sampled_of(round_), grades=all_grades(round_))
    services.audit_round_close(actor=world.users["admin"], audit_round=round_)
    with pytest.raises(ValidationError, match="not in progress"):
        services.moderation_record(
            actor=world.users["lead_manager"],
            sampled_case=sampled_of(round_),
            grades={q.id: (Grade.INADEQUATE, "") for q in round_.questions},
            overall_grade=Grade.INADEQUATE,
            summary="Changed",
        )


# --- Learning and actions ---------------------------------------------------------------------------------


def test_actions_are_tracked_to_done_with_evidence_and_refuse_a_stale_version(world):
    round_ = audit_round(world)
    point = services.learning_point_add(actor=world.users["strategy"], audit_round=round_, text="Fathers were not seen in 4 of 6 cases.", question_id="fathers")
    action = services.learning_action_add(
        actor=world.users["strategy"],
        audit_round=round_,
        learning_point=point,
        what="Briefing on seeing fathers",
        owner_agency=world.csc,
        owner="Principal social worker",
        due_on=timezone.localdate() + timedelta(days=60),
    )
    with pytest.raises(ValidationError, match="made a difference"):
        services.learning_action_update(actor=world.users["admin"], action=action, version=1, status=LearningActionStatus.DONE, progress="", evidence="")
    services.learning_action_update(
        actor=world.users["admin"], action=action, version=1, status=LearningActionStatus.IN_PROGRESS, progress="Drafted", evidence=""
    )
    with pytest.raises(EditConflict):
        services.learning_action_update(actor=world.users["strategy"], action=action, version=1, status=LearningActionStatus.DONE, progress="", evidence="x")
    done = services.learning_action_update(
        actor=world.users["strategy"],
        action=action,
        version=2,
        status=LearningActionStatus.DONE,
        progress="Delivered",
        evidence="Re-audit: fathers seen in 5 of 6 cases",
    )
    assert done.is_done and done.completed_on == timezone.localdate() and done.version == 3


def test_an_action_feeds_the_owner_agencys_action_plan_once(world):
    round_ = audit_round(world)
    action = services.learning_action_add(
        actor=world.users["admin"],
        audit_round=round_,
        what="GCP2 refresher for health visitors",
        owner_agency=world.public_health,
        owner="Head of 0-19 services",
        due_on=timezone.localdate() + timedelta(days=90),
    )
    row = services.learning_action_to_action_plan(actor=world.users["strategy"], action=action)
    assert row.plan.agency == world.public_health and row.action == "GCP2 refresher for health visitors" and row.lead == "Head of 0-19 services"
    assert row.updates.get().rag == Rag.AMBER
    with pytest.raises(ValidationError, match="already"):
        services.learning_action_to_action_plan(actor=world.users["admin"], action=action)
    assert ActionPlanRow.objects.count() == 1


def test_a_strategy_member_cannot_write_another_agencys_action_plan(world):
    round_ = audit_round(world)
    action = services.learning_action_add(
        actor=world.users["admin"], audit_round=round_, what="x", owner_agency=world.police, owner="DI", due_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        services.learning_action_to_action_plan(actor=world.users["strategy"], action=action)
    assert not ActionPlanRow.objects.exists()


def test_a_case_worker_of_a_new_agency_can_audit(world):
    housing = make_agency("housing", name="County Housing")
    officer = make_user(housing, "manager", "housing_manager")
    round_ = audit_round(world, auditors=("outsider", "lead_manager"), state="setup")
    services.auditor_add(actor=world.users["admin"], audit_round=round_, user=officer)
    services.moderator_set(actor=world.users["admin"], audit_round=round_, user=world.users["lead_manager"])
    services.audit_round_start(actor=world.users["admin"], audit_round=round_)
    assert access.sampled_cases_visible_to(officer).count() == 1
