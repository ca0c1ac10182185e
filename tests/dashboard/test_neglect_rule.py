"""The rule for plans for neglect (dashboard/selectors.py, `_neglect_plans`) selects what the rule as first written selects.

`_neglect_plans` is written so that PostgreSQL looks up a plan's episode once for most plans. The
reference below is the rule written as it reads (dashboard/measures.py, `NEGLECT_PLAN`): the episode's
referral looked up for each condition. Hypothesis draws children with plans of every kind and
category, and referrals before, between and after them: coded N1 with the factor 16A (on the
referral or on its census assessment), coded otherwise, with factors but no primary need, not coded,
marked for neglect or not. Both must select the same plans.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.selectors import _coded_for_neglect, _coded_for_the_census, _cp_neglect, _neglect_plans
from plans.models import Plan, PlanKind
from referrals.models import Referral

from .test_strategy_measures import CIN, CP, EH, LAC, NEGLECT, PHYSICAL, Builder

pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)


def day(offset):
    return START + timedelta(days=offset)


def reference():
    """The rule as it reads: each condition looks up the episode's referral for itself."""
    episode = Referral.objects.filter(child_id=OuterRef("case__child_id"), referred_on__lte=OuterRef("started_on")).order_by("-referred_on", "-pk")
    coded = Exists(Referral.objects.filter(_coded_for_the_census(), pk=OuterRef("episode_referral")))
    coded_neglect = Exists(Referral.objects.filter(_coded_for_neglect(), pk=OuterRef("episode_referral")))
    flagged = Exists(Referral.objects.filter(pk=OuterRef("episode_referral"), is_neglect=True))
    cp_before = Exists(Plan.objects.filter(_cp_neglect(), case__child_id=OuterRef("case__child_id"), started_on__lte=OuterRef("started_on")))
    uncategorised = Q(kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.LOOKED_AFTER]) & (coded_neglect | (~coded & (flagged | cp_before)))
    return Plan.objects.annotate(episode_referral=Subquery(episode.values("pk")[:1])).filter(_cp_neglect() | uncategorised)


# A plan: kind, CP category, start (days after START).
plan = st.tuples(st.sampled_from([CP, CIN, LAC, EH]), st.sampled_from([NEGLECT, PHYSICAL]), st.integers(0, 300))
# A referral: day, marked for neglect, primary need, factors on the referral, factors on its census assessment.
referral = st.tuples(
    st.integers(-50, 300),
    st.booleans(),
    st.sampled_from(["", "N1", "N2"]),
    st.sampled_from([(), ("16A",), ("2A",), ("16A", "2A")]),
    st.sampled_from([(), ("16A",), ("3B",)]),
)
child = st.tuples(st.lists(plan, min_size=1, max_size=3, unique_by=lambda p: p[0]), st.lists(referral, max_size=3))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(children=st.lists(child, min_size=1, max_size=6))
def test_the_rule_selects_the_plans_the_rule_as_written_selects(world, children):
    with transaction.atomic():
        b = Builder(world)
        for number, (plans, referrals) in enumerate(children):
            kid = b.child(f"R{number}")
            for kind, category, started in plans:
                b.plan(kid, kind, day(started), category=category)
            for on, neglect, need, factors, assessed in referrals:
                b.referral(kid, day(on), neglect=neglect, need=need, factors=factors, assessed=assessed)
        assert set(_neglect_plans().values_list("pk", flat=True)) == set(reference().values_list("pk", flat=True))
        transaction.set_rollback(True)


def test_each_branch_of_the_rule(world):
    b = Builder(world)

    def cin(name, *, cp_before=False):
        kid = b.child(name)
        if cp_before:
            b.plan(kid, CP, day(10), day(20))
        return kid, b.plan(kid, CIN, day(100))

    coded_neglect, coded_neglect_plan = cin("Coded N1 16A")
    b.referral(coded_neglect, day(90), neglect=False, need="N1", factors=("16A",))
    assessed, assessed_plan = cin("16A on the assessment")
    b.referral(assessed, day(90), neglect=False, need="N1", assessed=("16A",))
    coded_other, coded_other_plan = cin("Coded N2 after a CP plan", cp_before=True)
    b.referral(coded_other, day(90), neglect=True, need="N2")
    marked, marked_plan = cin("Not coded, marked")
    b.referral(marked, day(90), neglect=True)
    cp_first, cp_first_plan = cin("Not coded, not marked, CP plan before", cp_before=True)
    b.referral(cp_first, day(90), neglect=False, factors=("16A",))  # factors but no primary need: not coded
    no_referral, no_referral_plan = cin("No referral, CP plan before", cp_before=True)
    superseded, superseded_plan = cin("An earlier referral said neglect")
    b.referral(superseded, day(30), need="N1", factors=("16A",))
    b.referral(superseded, day(90), neglect=False)
    later, later_plan = cin("Coded for neglect after the plan started")
    b.referral(later, day(150), need="N1", factors=("16A",))
    selected = set(_neglect_plans().filter(kind=CIN).values_list("pk", flat=True))
    assert selected == {coded_neglect_plan.pk, assessed_plan.pk, marked_plan.pk, cp_first_plan.pk, no_referral_plan.pk}
    assert selected == set(reference().filter(kind=CIN).values_list("pk", flat=True))
    assert {coded_other_plan.pk, superseded_plan.pk, later_plan.pk}.isdisjoint(selected)
