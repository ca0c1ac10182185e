"""The plan history rules (plans/history.py) that the case page, drift, the dashboard and the census share."""

from datetime import date, timedelta

import pytest

from plans.history import LONG_CIN_PLAN, LONG_CP_PLAN, PlanLength, earlier_plan_count, is_repeat_plan
from plans.models import Plan, PlanKind
from tests.factories import make_plan

pytestmark = pytest.mark.django_db


def test_a_repeat_plan_has_an_earlier_one_of_its_kind_and_category_and_previous_plans_count_every_category(world):
    neglect = make_plan(world.case, started_on=date(2023, 1, 10), ended_on=date(2023, 9, 1))
    physical = make_plan(world.case, cp_category="physical", started_on=date(2024, 1, 10), ended_on=date(2024, 6, 1))
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2024, 7, 1), ended_on=date(2025, 1, 1))
    neglect_again = make_plan(world.case, started_on=date(2026, 2, 1))
    plans = Plan.objects.annotate(repeat=is_repeat_plan(), same=earlier_plan_count(), every_category=earlier_plan_count(any_category=True))
    found = {plan.pk: (plan.repeat, plan.same, plan.every_category) for plan in plans}
    assert found[neglect.pk] == (False, 0, 0)
    assert found[physical.pk] == (False, 0, 1)
    assert found[neglect_again.pk] == (True, 1, 2)  # drift's "2nd plan for neglect"; the census's NumberOfPreviousCPP 2


@pytest.mark.parametrize(
    ("rule", "started_on", "long_from"),
    [
        (LONG_CP_PLAN, date(2025, 3, 31), date(2026, 3, 31)),  # 12 months or more: from the day it has run 12
        (LONG_CP_PLAN, date(2024, 2, 29), date(2025, 2, 28)),
        (LONG_CIN_PLAN, date(2026, 5, 24), date(2026, 11, 25)),  # over 6 months: from the day after
        (LONG_CIN_PLAN, date(2025, 9, 30), date(2026, 3, 31)),  # 6 months after 30 September is 30 March
    ],
)
def test_a_plan_is_long_from_the_day_it_reaches_or_passes_the_threshold(rule, started_on, long_from):
    assert rule.long_from(started_on) == long_from
    assert rule.is_long(started_on, long_from) and not rule.is_long(started_on, long_from - timedelta(days=1))


@pytest.mark.parametrize("on", [date(2026, 3, 31), date(2026, 9, 30), date(2025, 2, 28), date(2028, 2, 29), date(2026, 11, 24)])
@pytest.mark.parametrize("rule", [LONG_CP_PLAN, LONG_CIN_PLAN, PlanLength("NOT_A_SETTING", 9)])
def test_the_sql_filter_takes_exactly_the_plans_the_rule_calls_long(rule, on):
    latest = rule.latest_start(on)
    for days in range(500):
        start = on - timedelta(days=days)
        assert (start <= latest) is rule.is_long(start, on), start


def test_each_threshold_is_one_setting(settings):
    settings.LONG_CP_PLAN_MONTHS, settings.LONG_CIN_PLAN_MONTHS = 10, 4
    assert (LONG_CP_PLAN.months, LONG_CIN_PLAN.months) == (10, 4)
    assert LONG_CP_PLAN.long_from(date(2026, 1, 24)) == date(2026, 11, 24)


def test_a_repeat_by_the_previous_plan_only_counts_when_the_plan_just_before_had_the_same_category(world):
    """Buckinghamshire's rule: neglect, physical abuse, neglect again is a repeat by the default rule, not by this one."""
    first = make_plan(world.case, started_on=date(2022, 1, 10), ended_on=date(2022, 9, 1))
    second = make_plan(world.case, started_on=date(2023, 1, 10), ended_on=date(2023, 9, 1))
    physical = make_plan(world.case, cp_category="physical", started_on=date(2024, 1, 10), ended_on=date(2024, 6, 1))
    make_plan(world.case, kind=PlanKind.CHILD_IN_NEED, started_on=date(2024, 7, 1), ended_on=date(2025, 1, 1))  # another kind: not "the previous plan"
    after_physical = make_plan(world.case, started_on=date(2026, 2, 1))
    plans = Plan.objects.annotate(any_earlier=is_repeat_plan(), previous=is_repeat_plan(previous_only=True))
    found = {plan.pk: (plan.any_earlier, plan.previous) for plan in plans if plan.kind == PlanKind.CHILD_PROTECTION}
    assert found[first.pk] == (False, False)
    assert found[second.pk] == (True, True)
    assert found[physical.pk] == (False, False)
    assert found[after_physical.pk] == (True, False)
