"""Plan reads: repeat plans, the case page's plans and actions, the agency's actions due."""

from datetime import date

import pytest

from cases.services import case_close
from plans.models import PlanKind
from plans.selectors import actions_due, plans_for_case_page, plans_with_repeat_flag
from tests.factories import make_action, make_case, make_child, make_plan

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def repeat_flags(plans):
    return {plan.pk: plan.is_repeat for plan in plans}


def test_a_second_neglect_protection_plan_for_the_same_child_is_a_repeat(world):
    first = make_plan(world.case, started_on=date(2026, 1, 10), ended_on=date(2026, 4, 1))
    second = make_plan(world.case, started_on=date(2026, 6, 1))
    flags = repeat_flags(plans_with_repeat_flag(user=world.users["lead_practitioner"], case=world.case))
    assert flags == {first.pk: False, second.pk: True}


def test_a_plan_that_started_the_same_day_is_not_an_earlier_plan(world):
    make_plan(world.case, started_on=date(2026, 6, 1), ended_on=date(2026, 6, 1))
    second = make_plan(world.case, started_on=date(2026, 6, 1))
    assert repeat_flags(plans_with_repeat_flag(user=world.users["lead_practitioner"], case=world.case))[second.pk] is False


def test_a_plan_of_another_category_is_not_a_repeat(world):
    make_plan(world.case, cp_category="physical", started_on=date(2026, 1, 10), ended_on=date(2026, 4, 1))
    second = make_plan(world.case, cp_category="neglect", started_on=date(2026, 6, 1))
    assert repeat_flags(plans_with_repeat_flag(user=world.users["lead_practitioner"], case=world.case))[second.pk] is False


def test_a_plan_of_another_kind_is_not_a_repeat(world):
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2026, 1, 10))
    second = make_plan(world.case, started_on=date(2026, 6, 1))
    assert repeat_flags(plans_with_repeat_flag(user=world.users["lead_practitioner"], case=world.case))[second.pk] is False


def test_a_plan_on_an_earlier_case_the_user_cannot_see_still_makes_a_repeat(world):
    earlier_case = make_case(world.police, child=make_child(), opened_on=date(2024, 1, 1))
    child = earlier_case.child
    make_plan(earlier_case, started_on=date(2024, 2, 1), ended_on=date(2024, 9, 1))
    case_close(actor=world.users["csc_manager"], case=earlier_case, closed_on=date(2024, 10, 1), closure_reason="Needs met")
    current = make_case(world.health, child=child)
    plan = make_plan(current, started_on=date(2026, 2, 1))
    flags = repeat_flags(plans_with_repeat_flag(user=world.users["lead_practitioner"]))
    assert flags[plan.pk] is True
    assert set(flags) == {plan.pk}


def test_the_case_page_flags_overdue_actions_and_repeat_plans(world):
    make_plan(world.case, started_on=date(2026, 1, 10), ended_on=date(2026, 3, 1))
    plan = make_plan(world.case, started_on=date(2026, 4, 1))
    overdue = make_action(plan, world.school, due_on=date(2026, 11, 23))
    due_today = make_action(plan, world.school, due_on=TODAY)
    shown = plans_for_case_page(user=world.users["partner_practitioner"], case=world.case, today=TODAY)
    current = next(p for p in shown.plans if p.pk == plan.pk)
    assert current.is_repeat
    assert {action.pk: action.overdue for action in current.actions.all()} == {overdue.pk: True, due_today.pk: False}


def test_actions_due_lists_the_agencys_unfinished_actions_overdue_or_due_within_14_days(world):
    plan = make_plan(world.case)
    overdue = make_action(plan, world.school, due_on=date(2026, 11, 20))
    soon = make_action(plan, world.school, due_on=date(2026, 12, 8))
    make_action(plan, world.school, due_on=date(2026, 12, 9))  # beyond 14 days
    make_action(plan, world.health, due_on=date(2026, 11, 20))  # another agency's
    listed = list(actions_due(user=world.users["partner_practitioner"], today=TODAY))
    assert [(action.pk, action.overdue) for action in listed] == [(overdue.pk, True), (soon.pk, False)]
