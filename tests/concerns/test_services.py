"""Concern services: recording one brings the agency into the team and reaches someone; amending keeps the original."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import CaseStatus, Relationship, TeamMembership, VoiceMethod
from cases.services import case_close, case_reassign_lead, child_voice_record, oversight_record, referral_record
from concerns.models import Concern
from concerns.services import concern_amend
from households.services import ChildRelationship, adult_add
from notifications.models import Notification
from plans.models import ActionStatus, PlanKind
from plans.services import plan_action_add, plan_action_update, plan_end, plan_start
from tests.factories import make_action, make_case, make_child, make_concern, make_plan

from .conftest import TODAY

pytestmark = pytest.mark.django_db

CORRECTED = {
    "observed_on": date(2026, 11, 2),
    "neglect_types": ["nutritional", "medical"],
    "description": "Arrived hungry; untreated tooth pain.",
    "impact_on_child": "In pain and cannot concentrate.",
}


# --- One audit row per action -------------------------------------------------------------------


def record_concern(world):
    return lambda: make_concern(world.case, world.users["lead_practitioner"])


def amend_concern(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    return lambda: concern_amend(actor=world.users["lead_practitioner"], concern=concern, reason="Wrong date", **CORRECTED)


def start_plan(world):
    return lambda: plan_start(actor=world.users["csc_practitioner"], case=world.case, kind=PlanKind.CHILD_IN_NEED, started_on=TODAY)


def end_plan(world):
    plan = make_plan(world.case)
    return lambda: plan_end(actor=world.users["csc_practitioner"], plan=plan, ended_on=TODAY, end_reason="Risk reduced")


def add_action(world):
    plan = make_plan(world.case)
    return lambda: plan_action_add(
        actor=world.users["csc_practitioner"],
        plan=plan,
        what="Breakfast club",
        outcome_for_child="Eats every morning",
        owner_agency=world.school,
        due_on=date(2026, 12, 15),
    )


def update_action(world):
    action = make_action(make_plan(world.case), world.school)
    return lambda: plan_action_update(actor=world.users["partner_practitioner"], action=action, status=ActionStatus.IN_PROGRESS, evidence="")


def record_referral(world):
    return lambda: referral_record(
        actor=world.users["partner_dsl"],
        child=world.case.child,
        case=world.case,
        referring_agency=world.school,
        referred_on=TODAY,
        is_neglect=True,
        reasons="Hungry every day",
    )


def record_oversight(world):
    return lambda: oversight_record(
        actor=world.users["lead_manager"],
        case=world.case,
        recorded_on=TODAY,
        decision="Continue the plan",
        reasons="Progress at school",
        next_review_on=date(2026, 12, 22),
    )


def record_voice(world):
    return lambda: child_voice_record(
        actor=world.users["partner_practitioner"],
        case=world.case,
        recorded_on=TODAY,
        what_was_said="There is no food at home",
        method=VoiceMethod.WORDS,
    )


def add_adult(world):
    child = world.case.child
    return lambda: adult_add(
        actor=world.users["lead_practitioner"],
        family=child.family,
        given_name="Sam",
        family_name=child.family_name,
        relationships=[ChildRelationship(child=child, relationship=Relationship.FATHER, parental_responsibility=True)],
        is_father_or_male_carer=True,
        substance_misuse=True,
    )


def reassign_lead(world):
    return lambda: case_reassign_lead(
        actor=world.users["lead_manager"], case=world.case, lead_professional=world.users["partner_dsl"], reason="School sees her daily"
    )


def close_case(world):
    return lambda: case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met by universal services")


def test_recording_a_concern_brings_the_recorders_agency_into_the_team(world):
    make_concern(world.case, world.users["csc_practitioner"])
    assert TeamMembership.objects.filter(case=world.case, agency=world.csc, reason="Recorded a concern").exists()


def test_the_lead_professional_is_told_of_a_concern_someone_else_records(world):
    make_concern(world.case, world.users["partner_practitioner"])
    notification = Notification.objects.get(recipient=world.users["lead_practitioner"])
    assert notification.link == f"/cases/{world.case.pk}/"
    assert world.case.child.family_name not in notification.subject + notification.body


def test_the_lead_professional_is_not_told_of_their_own_concern(world):
    make_concern(world.case, world.users["lead_practitioner"])
    assert not Notification.objects.filter(recipient=world.users["lead_practitioner"]).exists()


def test_a_concern_on_a_closed_case_is_never_lost_it_goes_to_a_new_case_for_review(world):
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")
    concern = make_concern(world.case, world.users["partner_practitioner"])
    assert concern.case_id != world.case.pk
    assert (concern.case.child_id, concern.case.status, concern.case.lead_agency) == (world.case.child_id, CaseStatus.OPEN, world.health)


def test_a_concern_is_flagged_adolescent_from_the_childs_age_on_the_day_observed(world):
    child = make_child(date_of_birth=date(2013, 11, 10))
    case = make_case(world.health, child=child)
    before_birthday = make_concern(case, world.users["lead_practitioner"], observed_on=date(2026, 11, 9))
    on_birthday = make_concern(case, world.users["lead_practitioner"], observed_on=date(2026, 11, 10))
    assert (before_birthday.is_adolescent_concern, on_birthday.is_adolescent_concern) == (False, True)


def test_an_unknown_neglect_type_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_concern(world.case, world.users["lead_practitioner"], neglect_types=["financial"])
    assert "neglect_types" in error.value.message_dict


def test_amending_a_concern_keeps_the_original_exactly_as_recorded(world):
    concern = make_concern(world.case, world.users["lead_practitioner"], observed_on=date(2026, 11, 1))
    amendment = concern_amend(actor=world.users["lead_manager"], concern=concern, reason="Wrong date and types", **CORRECTED)
    original = Concern.objects.get(pk=concern.pk)
    assert (original.observed_on, original.neglect_types) == (date(2026, 11, 1), ["physical"])
    assert original.latest_version == amendment
    assert (amendment.observed_on, amendment.neglect_types) == (date(2026, 11, 2), ["nutritional", "medical"])


def test_only_the_recording_agency_amends_a_concern(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    with pytest.raises(PermissionDenied):
        concern_amend(actor=world.users["partner_practitioner"], concern=concern, reason="I disagree", **CORRECTED)


def test_an_amendment_needs_a_reason(world):
    concern = make_concern(world.case, world.users["lead_practitioner"])
    with pytest.raises(ValidationError) as error:
        concern_amend(actor=world.users["lead_practitioner"], concern=concern, reason=" ", **CORRECTED)
    assert error.value.message_dict["reason"] == ["Say why the concern is being amended"]
