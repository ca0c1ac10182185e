"""Benchmark: pages at county scale (issue 18), through Django's test client on the county database.

Needs the synthetic county (bench/county.py) in the database; adds, once, a few records of its own
(all named "Bench ..."): two children with open cases led by children's social care, one with a single
chronology entry and one with BENCH_PAGES_ENTRIES (5,000) entries of every kind, from several agencies,
over five years. Then, signed in with a second factor as a children's social care manager, it times:

* the nightly drift sweep (every open case's stored flags, drift/tasks.py) once;
* the drift queue page against a plain paged list of the same cases (the manager's "cases to
  oversee", page 1): the queue must take <= 0.3 s and <= 3 times the list;
* the case page and the child's chronology page with 1 entry and with 5,000: <= 1.5 times, and the
  same number of SQL queries.

Each figure is the median of BENCH_PAGES_REPEATS (15) requests after two warm-up requests; ratios
come from the same run. Exits 1 when a target is missed. `python -m bench.pages`.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, AgencyKind, Membership, Role  # noqa: E402
from cases.models import Case, CaseStatus, Child, Family, TeamMembership, Threshold  # noqa: E402
from chronologies.models import ChronologyEntry, EntryKind, Significance  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_PAGES_ENTRIES", "5000"))
PAGE_ENTRIES = 50  # chronologies/selectors.py PAGE_SIZE: one full page
REPEATS = int(os.environ.get("BENCH_PAGES_REPEATS", "15"))
MARK = "Bench"
TARGETS = {"queue_s": 0.3, "queue_ratio": 3.0, "entries_ratio": 1.5}
SUMMARIES = [
    "Home visit: no food in the fridge, house cold.",
    "Seen at school, tired and hungry.",
    "Missed dental appointment, was not brought.",
    "Head lice again; sent home.",
    "Police called to the address after a neighbour's report.",
    "Attended clinic with mother; weight gain good.",
    "Housing officer visited: damp and mould in the bedroom.",
    "Child said she likes school dinners.",
]


def bench_user(username, agency, role):
    """A user of the county's agency for the benchmark, with a confirmed authenticator (tests/conftest.py does the same)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org", "first_name": "Bench", "last_name": role.title()}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, agency=agency, role=role)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(user=user, name="Bench phone", confirmed=True)
    return user, device


def signed_in(user, device):
    """A test client signed in as `user` with the second factor passed (as after the code page)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def ensure_children(csc, today):
    """Children with open cases led by children's social care: one with 1 entry, one with a page of entries, one with ENTRIES.

    The targets compare 1 entry with ENTRIES; the page of entries (PAGE_ENTRIES, the chronology's page
    size) is printed beside them to tell the cost of the record from the cost of a full page.
    """
    made = {}
    partners = list(Agency.objects.exclude(kind=AgencyKind.CHILDRENS_SOCIAL_CARE).order_by("pk")[:6])
    for label, count in (("One", 1), ("Page", PAGE_ENTRIES), ("Many", ENTRIES)):
        child = Child.objects.filter(given_name=MARK, family_name=label).first()
        if child is None:
            with transaction.atomic():
                family = Family.objects.create(name=f"{MARK} {label} household", locality="north")
                child = Child.objects.create(given_name=MARK, family_name=label, date_of_birth=date(2014, 3, 1), family=family)
                case = Case.objects.create(child=child, lead_agency=csc, threshold=Threshold.SPECIALIST, opened_on=today - timedelta(days=5 * 365))
                TeamMembership.objects.bulk_create([TeamMembership(case=case, agency=agency, reason="bench") for agency in [csc, *partners]])
                _entries(child, [csc, *partners], count, today)
        made[label] = Case.objects.get(child=child, status=CaseStatus.OPEN)
    return made


def _entries(child, agencies, count, today):
    rng = random.Random(2026)
    kinds = [
        EntryKind.HOME_VISIT,
        EntryKind.CONCERN,
        EntryKind.SCHOOL_ATTENDANCE,
        EntryKind.HEALTH_APPOINTMENT_MISSED,
        EntryKind.HEALTH_APPOINTMENT_ATTENDED,
        EntryKind.POLICE_CALL_OUT,
        EntryKind.HOUSING_VISIT,
        EntryKind.OTHER,
    ]
    rows = []
    for number in range(count):
        kind = kinds[number % len(kinds)] if count > 1 else EntryKind.HOME_VISIT
        rows.append(
            ChronologyEntry(
                child=child,
                agency=rng.choice(agencies),
                occurred_on=today - timedelta(days=rng.randrange(5 * 365)) if count > 1 else today - timedelta(days=3),
                kind=kind,
                summary=rng.choice(SUMMARIES),
                impact_on_child="Recorded for the benchmark.",
                significance=rng.choice([Significance.ROUTINE] * 6 + [Significance.SIGNIFICANT, Significance.CRITICAL]),
                attendance_percentage=Decimal(rng.randrange(70, 100)) if kind == EntryKind.SCHOOL_ATTENDANCE else None,
                neglect_physical=rng.random() < 0.1,
                neglect_medical=rng.random() < 0.05,
            )
        )
    ChronologyEntry.objects.bulk_create(rows, batch_size=2000)


def count_queries_across_requests():
    """Django clears its query log when a request starts (`reset_queries`): keep it, so a request's queries can be counted."""
    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)


def queries_of(client, url):
    """SQL queries of one GET (the query log is emptied first: it keeps the last 9,000 only)."""
    from django.db import reset_queries

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


def analyse_what_the_bench_added():
    """Fresh planner statistics for the tables the benchmark itself has just written to.

    The warm-up requests store the theme matches of the bench children's entries
    (chronologies.EntryThemes), a table that may have been empty when PostgreSQL last analysed it;
    a plan made from those statistics reads the table whole for every entry (44 ms at 5,000 entries,
    against 1 ms). Production's autovacuum analyses a table once a tenth of it has changed: this does
    now what it would do shortly after.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE chronologies_entrythemes; ANALYZE chronologies_chronologyentry")


def timed_together(client, urls, repeats=REPEATS):
    """{url: (median seconds, queries)}: the URLs' requests interleaved, after two warm-up rounds.

    Interleaving keeps a ratio fair on a shared machine: a busy moment slows both sides alike.
    """
    for _ in range(2):
        for url in urls:
            queries_of(client, url)
    analyse_what_the_bench_added()
    samples = {url: [] for url in urls}
    for _ in range(repeats):
        for url in urls:
            start = time.perf_counter()
            client.get(url)
            samples[url].append(time.perf_counter() - start)
    return {url: (statistics.median(samples[url]), queries_of(client, url)) for url in urls}


def main():
    if connection.vendor != "postgresql":
        sys.exit("The pages benchmark needs PostgreSQL (set DATABASE_URL).")
    if not Case.objects.exists():
        sys.exit("No county here: run bench.dashboard (or manage.py generate_county) on this database first.")
    today = timezone.localdate()
    csc = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE).order_by("pk").first()
    manager, device = bench_user("bench.csc.manager", csc, Role.MANAGER)
    cases = ensure_children(csc, today)
    client = signed_in(manager, device)
    count_queries_across_requests()

    from drift.refresh import drift_flags_forget_closed, drift_flags_refresh, open_case_ids

    started = time.perf_counter()
    drift_flags_forget_closed()
    swept = len(drift_flags_refresh(case_ids=list(open_case_ids()), today=today))
    sweep_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE drift_driftflag; ANALYZE drift_driftcasestate")

    rows = []
    queue_url, plain_url = reverse("drift:queue"), reverse("cases:manager_cases")
    measured = timed_together(client, [queue_url, plain_url])
    queue, plain = measured[queue_url], measured[plain_url]
    rows.append(("drift queue, children's social care manager", queue))
    rows.append(("plain paged list of the same cases", plain))
    pages = {}
    for name, url_of in (
        ("case page", lambda case: reverse("cases:case_detail", args=[case.pk])),
        ("chronology", lambda case: reverse("chronologies:child_chronology", args=[case.child_id])),
    ):
        urls = {label: url_of(case) for label, case in cases.items()}
        measured = timed_together(client, list(urls.values()))
        for label, case in cases.items():
            pages[(name, label)] = measured[urls[label]]
            count = ChronologyEntry.objects.filter(child_id=case.child_id).count()
            rows.append((f"{name}, {count:,} entr{'y' if count == 1 else 'ies'}", pages[(name, label)]))

    print(
        f"Pages benchmark on {Child.objects.count():,} children, {Case.objects.count():,} cases, "
        f"{ChronologyEntry.objects.count():,} chronology entries; median of {REPEATS} requests (test client)"
    )
    print(f"nightly drift sweep: {swept:,} open cases in {sweep_s:.1f} s ({sweep_s / max(swept, 1) * 1000:.1f} ms a case)")
    print()
    print(f"{'page':<52} {'median s':>9} {'queries':>8}")
    for label, (seconds, queries) in rows:
        print(f"{label:<52} {seconds:>9.3f} {queries:>8}")
    print()
    checks = [
        ("drift queue <= 0.3 s", queue[0], queue[0] <= TARGETS["queue_s"]),
        ("drift queue <= 3x the plain list", queue[0] / plain[0], queue[0] / plain[0] <= TARGETS["queue_ratio"]),
    ]
    for name in ("case page", "chronology"):
        (one_s, one_q), (many_s, many_q) = pages[(name, "One")], pages[(name, "Many")]
        checks.append((f"{name}: {ENTRIES:,} entries <= 1.5x 1 entry", many_s / one_s, many_s / one_s <= TARGETS["entries_ratio"]))
        checks.append((f"{name}: equal query counts ({one_q} and {many_q})", many_q - one_q, many_q == one_q))
    missed = False
    for label, value, ok in checks:
        missed |= not ok
        print(f"{label:<52} {value:>9.2f}  {'pass' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
