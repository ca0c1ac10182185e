"""Benchmark: the access layer's scoped queries on a county-sized case table (PostgreSQL).

Generates (once) 25,000 cases across 14 agencies with 2-4 agencies in each team, then times:
* the first page (50) of a school practitioner's visible open cases (the home page list),
* `access_case` for a visible and for a hidden case (the one door on every case page),
* a children's social care practitioner's first page (sees everything).
Reports the median and 95th percentile of repeated runs, in milliseconds.
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.http import Http404  # noqa: E402

from agencies.access import access_case  # noqa: E402
from agencies.models import Agency, AgencyKind, Role  # noqa: E402
from agencies.services import agency_ensure, user_create  # noqa: E402
from cases.models import Case, Child, Family, TeamMembership  # noqa: E402
from cases.selectors import case_list_for  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "25000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "50"))


def generate():
    if Case.objects.count() >= CASES:
        return
    rng = random.Random(2026)
    kinds = list(AgencyKind)
    agencies = [agency_ensure(name=f"Bench {kind.label}", kind=kind)[0] for kind in kinds] + [agency_ensure(name="Bench School B", kind=AgencyKind.SCHOOL)[0]]
    with transaction.atomic():
        families = Family.objects.bulk_create([Family(name=f"Family {i}") for i in range(CASES // 2)])
        children = Child.objects.bulk_create(
            [
                Child(
                    given_name=f"Child{i}",
                    family_name=f"Bench{i}",
                    date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(6500)),
                    family=families[i // 2],
                )
                for i in range(CASES)
            ]
        )
        cases = Case.objects.bulk_create(
            [Case(child=child, lead_agency=rng.choice(agencies), opened_on=date(2020, 1, 1) + timedelta(days=rng.randrange(2400))) for child in children]
        )
        team = []
        for case in cases:
            members = {case.lead_agency_id, *(a.pk for a in rng.sample(agencies, rng.randint(1, 3)))}
            team += [TeamMembership(case=case, agency_id=agency_id, reason="bench") for agency_id in members]
        TeamMembership.objects.bulk_create(team, batch_size=5000)


def user_of(agency_name, role, username):
    agency = Agency.objects.get(name=agency_name)
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first() or user_create(
        username=username, email=f"{username}@example.org", agency=agency, role=role, password="bench-Password-2026"
    )


def timed(fn):
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    generate()
    school = user_of("Bench School B", Role.PRACTITIONER, "bench.school")
    csc = user_of(f"Bench {AgencyKind.CHILDRENS_SOCIAL_CARE.label}", Role.PRACTITIONER, "bench.csc")
    visible = case_list_for(user=school).first()
    hidden = Case.objects.exclude(team__agency=school.membership.agency).first()

    def hidden_case():
        try:
            access_case(school, hidden.pk, action="view")
        except Http404:
            pass

    rows = [
        ("school practitioner: first 50 visible open cases", lambda: list(case_list_for(user=school)[:50])),
        ("school practitioner: count of visible cases", lambda: case_list_for(user=school).count()),
        ("access_case, visible (with audit row)", lambda: access_case(school, visible.pk, action="view")),
        ("access_case, hidden -> 404 (with audit row)", hidden_case),
        ("children's social care: first 50 open cases", lambda: list(case_list_for(user=csc)[:50])),
    ]
    print(f"{Case.objects.count()} cases, {TeamMembership.objects.count()} team rows, {REPEATS} runs each")
    print(f"{'measure':<52} {'median ms':>10} {'p95 ms':>8}")
    for label, fn in rows:
        median, p95 = timed(fn)
        print(f"{label:<52} {median:>10.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
