"""Conference decisions are the source of child protection plans (issue 15, item 3)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chronologies.models import ChronologyEntry
from conferences.models import ConferenceDecision, ConferenceKind
from conferences.services import DecisionEntry, conference_record_decisions
from plans import services as plan_services
from plans.models import Plan, PlanKind
from tests.factories import make_case, make_child

from .builders import make_conference


def initial_for_siblings(world, held_on):
    brother = make_child(given_name="Ben", family=world.case.child.family)
    brothers_case = make_case(world.csc, child=brother, team=[world.health, world.school])
    conference = make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        kind=ConferenceKind.INITIAL,
        held_on=held_on,
        strategy_discussion_on=held_on - timedelta(days=7),
        invitations=[world.csc, world.health, world.school],
        siblings=[brothers_case],
    )
    return conference, brothers_case


def cp_plans(case):
    return list(Plan.objects.filter(case=case, kind=PlanKind.CHILD_PROTECTION).values_list("cp_category", "started_on", "ended_on"))


def test_a_plan_started_at_an_initial_conference_is_on_each_siblings_case_from_the_conference_date(world):
    held_on = timezone.localdate() - timedelta(days=3)
    conference, brothers_case = initial_for_siblings(world, held_on)
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=conference,
        decisions=[DecisionEntry(case_id=case.pk, decision=ConferenceDecision.PLAN_STARTED, cp_category="neglect") for case in (world.case, brothers_case)],
    )
    for case in (world.case, brothers_case):
        assert cp_plans(case) == [("neglect", held_on, None)]
        assert ChronologyEntry.objects.filter(child=case.child, source_type="plan_started").exists()


def test_a_review_ends_or_recategorises_the_open_plan_on_the_conference_date(world):
    started = timezone.localdate() - timedelta(days=100)
    held_on = timezone.localdate() - timedelta(days=2)
    conference, brothers_case = initial_for_siblings(world, started)
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=conference,
        decisions=[DecisionEntry(case_id=c.pk, decision=ConferenceDecision.PLAN_STARTED, cp_category="neglect") for c in (world.case, brothers_case)],
    )
    review = make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        kind=ConferenceKind.REVIEW,
        held_on=held_on,
        invitations=[world.csc, world.health, world.school],
        siblings=[brothers_case],
    )
    conference_record_decisions(
        actor=world.users["csc_manager"],
        conference=review,
        decisions=[
            DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_ENDED),
            DecisionEntry(case_id=brothers_case.pk, decision=ConferenceDecision.CATEGORY_CHANGED, cp_category="emotional"),
        ],
    )
    assert cp_plans(world.case) == [("neglect", started, held_on)]
    assert cp_plans(brothers_case) == [("emotional", started, None)]


def test_a_second_initial_conference_cannot_start_a_plan_already_open(world):
    conference, _ = initial_for_siblings(world, timezone.localdate() - timedelta(days=30))
    decide = [DecisionEntry(case_id=world.case.pk, decision=ConferenceDecision.PLAN_STARTED, cp_category="neglect")]
    conference_record_decisions(actor=world.users["csc_manager"], conference=conference, decisions=decide)
    again, _ = initial_for_siblings(world, timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        conference_record_decisions(actor=world.users["csc_manager"], conference=again, decisions=decide)
    assert "already has an open child protection plan" in error.value.message_dict["decision"][0]
    assert len(cp_plans(world.case)) == 1


def test_a_child_protection_plan_cannot_be_typed_in_by_hand_but_other_plans_can(world):
    with pytest.raises(ValidationError) as error:
        plan_services.plan_start_by_hand(
            actor=world.users["csc_manager"], case=world.case, kind=PlanKind.CHILD_PROTECTION, cp_category="neglect", started_on=date(2026, 11, 1)
        )
    assert error.value.message_dict["kind"] == [plan_services.CP_PLAN_BY_HAND_REFUSED]
    assert cp_plans(world.case) == []
    plan = plan_services.plan_start_by_hand(actor=world.users["csc_manager"], case=world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 11, 1))
    assert plan.kind == PlanKind.CHILD_IN_NEED
