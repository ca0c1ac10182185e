"""Business rules of the case-work services, and their audit rows."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agencies.access import cases_visible_to
from audit.models import AccessEvent
from cases.models import CaseStatus, Relationship
from cases.services import case_close, case_open, case_reassign_lead
from concerns.services import concern_amend
from households.services import ChildRelationship, adult_add
from notifications.models import Notification
from oversight.services import oversight_record
from plans.models import ActionStatus, PlanKind
from plans.services import plan_action_add, plan_action_update, plan_end, plan_start
from referrals.services import referral_record
from tests.factories import make_action, make_child, make_concern, make_plan
from voice.models import VoiceMethod
from voice.services import child_voice_record

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


@pytest.mark.parametrize(
    "setup",
    [
        record_concern,
        amend_concern,
        start_plan,
        end_plan,
        add_action,
        update_action,
        record_referral,
        record_oversight,
        record_voice,
        add_adult,
        reassign_lead,
        close_case,
    ],
    ids=lambda setup: setup.__name__,
)
def test_each_service_writes_exactly_one_audit_row(world, setup):
    """One row per action; recording a concern is two actions: the concern and the decision to share it."""
    act = setup(world)
    before = AccessEvent.objects.count()
    act()
    assert AccessEvent.objects.count() == before + (2 if setup is record_concern else 1)


# --- Concerns ------------------------------------------------------------------------------------


def test_a_deactivated_lead_professional_is_not_told(world):
    lead = world.users["lead_practitioner"]
    type(lead).objects.filter(pk=lead.pk).update(is_active=False)
    world.case.refresh_from_db()  # as a request would load it
    make_concern(world.case, world.users["partner_practitioner"])
    assert not Notification.objects.filter(recipient=lead).exists()


# --- Plans and actions ---------------------------------------------------------------------------


# --- Cases ---------------------------------------------------------------------------------------


def test_a_child_has_one_open_case(world):
    with pytest.raises(ValidationError, match="already has an open case"):
        case_open(child=world.case.child, lead_agency=world.police, opened_on=TODAY, threshold="universal_plus")


def test_closing_a_case_records_the_date_and_reason_and_bumps_its_version(world):
    case = case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")
    assert (case.status, case.closed_on, case.closure_reason, case.version) == (CaseStatus.CLOSED, TODAY, "Needs met", 2)


def test_a_case_with_an_open_plan_cannot_close(world):
    make_plan(world.case)
    with pytest.raises(ValidationError, match="End the case's open plans"):
        case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")


def test_a_case_cannot_close_before_it_opened(world):
    with pytest.raises(ValidationError) as error:
        case_close(actor=world.users["lead_manager"], case=world.case, closed_on=date(2026, 1, 4), closure_reason="Needs met")
    assert error.value.message_dict["closed_on"] == ["The closing date must be on or after the date the case opened"]


def test_a_case_closes_once(world):
    case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Needs met")
    with pytest.raises(ValidationError, match="already closed"):
        case_close(actor=world.users["lead_manager"], case=world.case, closed_on=TODAY, closure_reason="Again")


def test_a_new_lead_professional_brings_their_agency_as_lead_and_into_the_team(world):
    dsl = world.users["partner_dsl"]
    case = case_reassign_lead(actor=world.users["csc_manager"], case=world.case, lead_professional=dsl, reason="Moved to school")
    assert (case.lead_professional, case.lead_agency, case.version) == (dsl, world.school, 2)
    assert Notification.objects.filter(recipient=dsl).exists()


def test_a_lead_professional_from_outside_the_team_makes_their_agency_visible_to_them(world):
    officer = world.users["outsider"]
    case_reassign_lead(actor=world.users["csc_manager"], case=world.case, lead_professional=officer, reason="Police lead")
    assert cases_visible_to(officer).filter(pk=world.case.pk).exists()


def test_a_strategy_member_cannot_be_lead_professional(world):
    with pytest.raises(ValidationError) as error:
        case_reassign_lead(actor=world.users["csc_manager"], case=world.case, lead_professional=world.users["strategy"], reason="x")
    assert "lead_professional" in error.value.message_dict


# --- Adults --------------------------------------------------------------------------------------


def test_an_adult_is_related_only_to_children_of_their_household(world):
    stranger = make_child()
    with pytest.raises(ValidationError, match="same household"):
        adult_add(
            actor=world.users["lead_practitioner"],
            family=world.case.child.family,
            given_name="Sam",
            family_name="Lee",
            relationships=[ChildRelationship(child=stranger, relationship=Relationship.MOTHERS_PARTNER)],
        )
