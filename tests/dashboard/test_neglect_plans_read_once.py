"""The quarter's plans for neglect read once (`dashboard.selectors._NeglectPlans`) against the rules evaluated in each query.

`compute_measures` evaluates the two neglect rules (statutory plans by their episode's census codes,
early help by the concerns or referrals before it) once, for the plans open at some time in the
quarter, and counts plans of those ids. On random plans before, across and after the quarter, every
measure and breakdown that reads them must equal what the rule itself gives.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.selectors import _children_by_category, _early_help, _education, _NeglectPlans, _outcomes, _plans_and_care

from .test_strategy_measures import CIN, CP, EH, LAC, NEGLECT, PHYSICAL, Q4, Builder, grades

pytestmark = pytest.mark.django_db

QUARTER_START = Q4.start  # 1 January 2026


def day(offset):
    return QUARTER_START + timedelta(days=offset)


def everything(plans):
    """Values, bases and breakdowns of the measures that read the plans for neglect."""
    basis, breakdowns = {}, _children_by_category(Q4, plans)
    values = {
        **_plans_and_care(Q4, basis, breakdowns, plans),
        **_early_help(Q4, basis, breakdowns, plans),
        **_outcomes(Q4, basis, plans),
        **_education(Q4, basis, plans),
    }
    return values, basis, breakdowns


# A plan: kind, CP category, start (days after the quarter's start), length in days (None: still open).
plan = st.tuples(
    st.sampled_from([CP, CIN, LAC, EH]),
    st.sampled_from([NEGLECT, PHYSICAL]),
    st.integers(min_value=-500, max_value=85),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)
# A child: plans; a referral (days, for neglect, coded N1 with 16A); a neglect concern (days); a GCP2 grade pair; attendance.
child = st.tuples(
    st.lists(plan, min_size=1, max_size=3, unique_by=lambda p: p[0]),  # one plan of a kind per case
    st.one_of(st.none(), st.tuples(st.integers(min_value=-600, max_value=80), st.booleans(), st.booleans())),
    st.one_of(st.none(), st.integers(min_value=-600, max_value=80)),
    st.tuples(st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=5)),
    st.one_of(st.none(), st.integers(min_value=40, max_value=100)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(children=st.lists(child, min_size=1, max_size=6))
def test_measures_over_the_ids_read_once_equal_the_rules_themselves(world, children):
    with transaction.atomic():
        b = Builder(world)
        for number, (plans, referral, concern, (first, latest), attendance) in enumerate(children):
            kid = b.child(f"N{number}", locality="north" if number % 2 else "south")
            for kind, category, started, length in plans:
                ended = None if length is None else min(day(started + length), date(2026, 6, 30))
                b.plan(kid, kind, day(started), ended, category=category)
            if referral is not None:
                on, neglect, coded = referral
                b.referral(kid, day(on), neglect=neglect, need="N1" if coded else "", factors=("16A",) if coded else ())
            if concern is not None:
                b.concern(kid, day(concern))
            b.gcp2(kid, day(-10), grades(first), health=first)
            b.gcp2(kid, day(60), grades(latest), health=latest)
            if attendance is not None:
                b.attendance(kid, day(30), attendance)
        assert everything(_NeglectPlans.of(Q4)) == everything(_NeglectPlans.by_the_rules(Q4))
        transaction.set_rollback(True)


def test_only_plans_open_in_the_quarter_are_read(world):
    b = Builder(world)
    kid = b.child("Old")
    ended_before = b.plan(kid, CP, day(-400), day(-1))
    ended_on_its_first_day = b.plan(kid, CP, day(-300), day(0))
    starts_on_its_last_day = b.plan(kid, CIN, Q4.end)  # for neglect: a CP plan for neglect came before
    open_across = b.plan(kid, CP, day(-100))
    b.plan(kid, CP, day(-50), day(-20), category=PHYSICAL)
    read = set(_NeglectPlans.of(Q4).neglect.values_list("pk", flat=True))
    assert read == {ended_on_its_first_day.pk, starts_on_its_last_day.pk, open_across.pk}
    assert ended_before.pk not in read
