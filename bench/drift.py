"""Benchmark: drift flags for a manager queue of 500 and 5,000 cases (PostgreSQL).

Generates (once) 5,000 open cases, each with a child protection or child in need plan, two plan
actions (one overdue), management oversight, the child's voice and a home visit at random ages, then
times `drift_flags_for_cases` for a children's social care manager over the first 500 and all 5,000
of them, and counts the queries. Reports the median and 95th percentile of repeated runs, in ms.
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")
django.setup()

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, AgencyKind, Role
from agencies.services import agency_ensure, user_create
from cases.models import Case, Child, Family, TeamMembership, Threshold
from chronologies.models import ChronologyEntry, EntryKind
from drift.rules import drift_flags_for_cases
from oversight.models import Oversight
from plans.models import CPCategory, Plan, PlanAction, PlanKind
from voice.models import ChildVoice

CASES = int(os.environ.get("BENCH_DRIFT_CASES", "5000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
TODAY = date(2026, 11, 24)
MARK = "Drift"


def generate():
    if Child.objects.filter(family_name__startswith=MARK).count() >= CASES:
        return
    rng = random.Random(2026)
    csc = agency_ensure(name="Bench Drift Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)[0]
    school = agency_ensure(name="Bench Drift School", kind=AgencyKind.SCHOOL)[0]
    manager = user_of(csc)

    def ago(days):
        return TODAY - timedelta(days=rng.randrange(days))

    with transaction.atomic():
        families = Family.objects.bulk_create(
            [Family(name=f"{MARK} family {i}", locality=rng.choice(["North", "South", "East", "West"])) for i in range(CASES)]
        )
        children = Child.objects.bulk_create(
            [
                Child(
                    given_name=f"Child{i}", family_name=f"{MARK}{i}", date_of_birth=date(2012, 1, 1) + timedelta(days=rng.randrange(4000)), family=families[i]
                )
                for i in range(CASES)
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(child=child, lead_agency=csc, threshold=Threshold.SPECIALIST, opened_on=date(2024, 1, 1) + timedelta(days=rng.randrange(600)))
                for child in children
            ]
        )
        TeamMembership.objects.bulk_create(
            [TeamMembership(case=case, agency=agency, reason="bench") for case in cases for agency in (csc, school)], batch_size=5000
        )
        plans = Plan.objects.bulk_create(
            [
                Plan(
                    case=case, child_id=case.child_id, kind=PlanKind.CHILD_PROTECTION, cp_category=CPCategory.NEGLECT, started_on=max(case.opened_on, ago(500))
                )
                if i % 2
                else Plan(case=case, child_id=case.child_id, kind=PlanKind.CHILD_IN_NEED, started_on=max(case.opened_on, ago(400)))
                for i, case in enumerate(cases)
            ]
        )
        PlanAction.objects.bulk_create(
            [
                PlanAction(plan=plan, what="Home visit", outcome_for_child="Fed", owner_agency=school, due_on=TODAY + timedelta(days=offset))
                for plan in plans
                for offset in (-rng.randrange(1, 90), 30)
            ],
            batch_size=5000,
        )
        Oversight.objects.bulk_create(
            [
                Oversight(case=case, manager=manager, recorded_on=ago(60), decision="Continue", reasons="Bench", next_review_on=TODAY + timedelta(days=30))
                for case in cases
            ],
            batch_size=5000,
        )
        ChildVoice.objects.bulk_create(
            [ChildVoice(case=case, recorded_by=manager, agency=csc, recorded_on=ago(90), what_was_said="Fine", method="words") for case in cases],
            batch_size=5000,
        )
        ChronologyEntry.objects.bulk_create(
            [
                ChronologyEntry(child=child, agency=school, occurred_on=ago(120), kind=EntryKind.HOME_VISIT, summary="Visit", impact_on_child="None")
                for child in children
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum keeps them in production: without them the planner guesses
        # from empty tables and counts a plan's earlier plans (plans/history.py) by scanning every plan
        # of its kind (about 1 ms a plan) instead of the child's few.
        cursor.execute("ANALYZE")


def user_of(agency):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="bench.drift").first() or user_create(
        username="bench.drift", email="bench.drift@example.org", agency=agency, role=Role.MANAGER, password="bench-Password-2026"
    )


def timed(fn):
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def main():
    generate()
    manager = user_of(Agency.objects.get(name="Bench Drift Children's Social Care"))
    ids = list(Case.objects.filter(child__family_name__startswith=MARK).order_by("pk").values_list("pk", flat=True)[:CASES])
    print(f"{len(ids)} drift bench cases, {REPEATS} runs each (today {TODAY:%d %B %Y})")
    print(f"{'measure':<44} {'queries':>8} {'flags':>7} {'median ms':>10} {'p95 ms':>8}")
    for size in (500, 5000):
        chosen = ids[:size]
        with CaptureQueriesContext(connection) as queries:
            flags = drift_flags_for_cases(user=manager, case_ids=chosen, today=TODAY)
        median, p95 = timed(lambda chosen=chosen: drift_flags_for_cases(user=manager, case_ids=chosen, today=TODAY))
        total = sum(len(found) for found in flags.values())
        print(f"{f'drift_flags_for_cases, {len(chosen)} cases':<44} {len(queries.captured_queries):>8} {total:>7} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
