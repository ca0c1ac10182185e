"""Graded Care Profile 2 outcomes (`dashboard.selectors._outcomes`) against the aggregate they replaced.

The measure now reads each child's first and latest run in one query and compares their grades in
Python. The reference below is the earlier form, every grade a correlated subquery compared by the
database; on random children, plans and runs both must give the same counts.
"""

from datetime import date, timedelta
from functools import reduce
from operator import or_

import pytest
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Child
from dashboard import selectors
from dashboard.selectors import GCP2_HEALTH, GCP2_KEY, _gcp2_areas, _neglect_plans, _NeglectPlans, _on_neglect_plans, _open_at, _outcomes
from neglect_portal.quarters import parse_quarter
from plans.models import Plan, PlanKind
from tools.models import AssessmentRun, RunStatus

from .test_strategy_measures import CIN, CP, Builder, grades

pytestmark = pytest.mark.django_db

Q4 = parse_quarter("2025-26-Q4")


def children_on_neglect_plans(day):
    return Child.objects.filter(pk__in=_on_neglect_plans(day, _neglect_plans()).values("case__child_id"))


def reference_counts(quarter):
    """The counts as the single aggregate computed them (the earlier `_outcomes`)."""
    end = quarter.end
    areas = _gcp2_areas()
    plan_start = Subquery(
        Plan.objects.filter(_open_at(end), case__child_id=OuterRef("pk"), kind__in=[PlanKind.CHILD_IN_NEED, PlanKind.CHILD_PROTECTION])
        .order_by("started_on")
        .values("started_on")[:1]
    )
    runs = AssessmentRun.objects.filter(
        case__child_id=OuterRef("pk"), definition__key=GCP2_KEY, status=RunStatus.FINAL, assessed_on__gte=OuterRef("plan_start"), assessed_on__lte=end
    )
    first, latest = runs.order_by("assessed_on", "pk"), runs.order_by("-assessed_on", "-pk")
    health = "answers__{}__{}__value".format(*GCP2_HEALTH)
    annotations = {"runs": Subquery(runs.order_by().values("case__child_id").annotate(n=Count("pk")).values("n")[:1])}
    for index, area in enumerate(areas):
        annotations[f"first_{index}"] = Subquery(first.values(f"scores__areas__{area}")[:1])
        annotations[f"latest_{index}"] = Subquery(latest.values(f"scores__areas__{area}")[:1])
    annotations["first_health"] = Subquery(first.values(health)[:1])
    annotations["latest_health"] = Subquery(latest.values(health)[:1])
    children = children_on_neglect_plans(end).annotate(plan_start=plan_start).annotate(**annotations).filter(runs__gte=2)
    better = reduce(or_, (Q(**{f"latest_{i}__lt": F(f"first_{i}")}) for i in range(len(areas))))
    worse = reduce(or_, (Q(**{f"latest_{i}__gt": F(f"first_{i}")}) for i in range(len(areas))))
    return children.aggregate(
        compared=Count("pk"),
        improved=Count("pk", filter=better & ~worse),
        health_compared=Count("pk", filter=Q(first_health__isnull=False, latest_health__isnull=False)),
        health_improved=Count("pk", filter=Q(latest_health__lt=F("first_health"))),
    )


def counts_now(quarter, monkeypatch):
    """The counts the measure computes now, caught on their way to `_ratio`."""
    caught = {}
    real = selectors._ratio

    def catch(values, basis, key, part, whole):
        caught[key] = (part, whole)
        return real(values, basis, key, part, whole)

    monkeypatch.setattr(selectors, "_ratio", catch)
    _outcomes(quarter, {}, _NeglectPlans.by_the_rules(quarter))
    monkeypatch.undo()
    (improved, compared), (health_improved, health_compared) = caught["gcp2_improved_pct"], caught["gcp2_health_improved_pct"]
    return {"compared": compared, "improved": improved, "health_compared": health_compared, "health_improved": health_improved}


grade = st.integers(min_value=1, max_value=5)
run = st.tuples(st.integers(min_value=-200, max_value=120), grade, grade, grade, grade, grade)  # days after 1 January 2026; areas; health
child = st.tuples(st.sampled_from([CP, CIN, PlanKind.EARLY_HELP]), st.integers(min_value=-400, max_value=80), st.lists(run, max_size=4))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(children=st.lists(child, min_size=1, max_size=6))
def test_the_counts_equal_the_single_aggregate_they_replaced(world, monkeypatch, children):
    with transaction.atomic():
        b = Builder(world)
        for number, (kind, started, runs) in enumerate(children):
            kid = b.child(f"G{number}")
            b.plan(kid, kind, date(2026, 1, 1) + timedelta(days=started))
            for offset, physical, safety, emotional, developmental, health in runs:
                b.gcp2(kid, date(2026, 1, 1) + timedelta(days=offset), grades(physical, safety, emotional, developmental), health=health)
        assert counts_now(Q4, monkeypatch) == reference_counts(Q4)
        transaction.set_rollback(True)


def test_a_child_with_a_health_grade_missing_is_compared_on_its_areas_only(world, monkeypatch):
    b = Builder(world)
    kid = b.child("M")
    b.plan(kid, CP, date(2026, 1, 5))
    b.gcp2(kid, date(2026, 1, 10), grades(4), health=4)
    latest = b.gcp2(kid, date(2026, 3, 1), grades(3), health=None)
    assert latest.answers["physical_care"]["health"]["value"] is None
    assert counts_now(Q4, monkeypatch) == {"compared": 1, "improved": 1, "health_compared": 0, "health_improved": 0}


def test_grades_are_read_in_batches_below_the_parameter_limit(world, monkeypatch):
    """More runs than one query reads at once: every pair still finds its grades."""
    monkeypatch.setattr(selectors, "GRADES_READ_AT_ONCE", 3)
    b = Builder(world)
    for number, later in enumerate((3, 4, 5)):
        kid = b.child(f"B{number}")
        b.plan(kid, CP, date(2026, 1, 5))
        b.gcp2(kid, date(2026, 1, 10), grades(4), health=4)
        b.gcp2(kid, date(2026, 3, 1), grades(later), health=later)
    assert counts_now(Q4, monkeypatch) == {"compared": 3, "improved": 1, "health_compared": 3, "health_improved": 1}
