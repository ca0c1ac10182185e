"""Benchmark: the quarterly dashboard on a county-sized database (PostgreSQL).

Generates the synthetic county once (bench/county.py; BENCH_CHILDREN children, 150,000 by default:
25,000 cases, 10,000 plans, 1,000,000 chronology entries) into an empty database, then times:

* one quarter's measures (`compute_measures` for the latest complete quarter), with the number of
  SQL queries and the slowest of them;
* the 8-quarter trend (`measures_history`, no stored snapshots, so all eight are computed);
* the PDF render (`report_context` + `dashboard_pdf`, WeasyPrint);
* the whole snapshot job as the worker runs it (`snapshot_compute`: measures, trend, PDF, store);
* `SELECT count(*)` over every table the measures read, the floor any aggregate pays (on vacuumed
  tables PostgreSQL counts from an index alone), and the ratio of the quarter's measures to it.

The quarter's measures and the `count(*)` are timed in turns, one of each a round for
BENCH_DASHBOARD_RATIO_REPEATS rounds (9 by default) after a warm-up round, and each figure is its
median: the two are compared under the same conditions (timed minutes apart, after a PDF render, the
`count(*)` alone moved by a third on one machine). Every other figure is the median of
BENCH_DASHBOARD_REPEATS runs (3 by default) after one warm-up run.
The process exits 1 when a target is missed (quarter's measures under 30 s, PDF under 10 s, and the
quarter's measures at most 3 times the `count(*)`, issue 18).
"""

import logging
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.county import FULL_SIZE, generate_county  # noqa: E402
from cases.models import Case, Child  # noqa: E402
from chronologies.models import ChronologyEntry  # noqa: E402
from dashboard.models import DashboardSnapshot, SnapshotStatus  # noqa: E402
from dashboard.pdf import dashboard_pdf, report_context  # noqa: E402
from dashboard.selectors import compute_measures, measures_history  # noqa: E402
from dashboard.services import snapshot_compute  # noqa: E402
from neglect_portal.quarters import last_complete_quarter  # noqa: E402
from plans.models import Plan

CHILDREN = int(os.environ.get("BENCH_CHILDREN", str(FULL_SIZE)))
REPEATS = int(os.environ.get("BENCH_DASHBOARD_REPEATS", "3"))
RATIO_REPEATS = int(os.environ.get("BENCH_DASHBOARD_RATIO_REPEATS", "9"))
TARGETS = {"quarter": 30.0, "pdf": 10.0, "count_ratio": 3.0}
# Every table a measure reads (dashboard/selectors.py and conferences.selectors.attendance_by_agency).
TABLES = (
    "cases_plan",
    "cases_case",
    "cases_child",
    "cases_referral",
    "tools_assessmentrun",
    "tools_tooldefinition",
    "cases_conference",
    "cases_invitation",
    "chronologies_chronologyentry",
    "agencies_agency",
    # Issue 16: early help for neglect (concerns), breakdowns (households, census records), the DfE codes of referrals.
    "cases_concern",
    "cases_family",
    "census_childcensus",
    "census_referralcensus",
    "census_censusassessment",
)


def quiet():
    """WeasyPrint and fontTools log every layout step at INFO; the table below is what matters here."""
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)


def ensure_county():
    if Child.objects.count() >= CHILDREN:
        return
    if Case.objects.exists():
        sys.exit(f"{connection.settings_dict['NAME']} has cases but fewer than {CHILDREN:,} children: use an empty database for the dashboard benchmark.")
    started = time.perf_counter()
    print(f"Generating the county ({CHILDREN:,} children)...", flush=True)
    generate_county(children=CHILDREN, log=lambda line: print(f"  {line}", flush=True))
    print(f"Generated in {time.perf_counter() - started:.0f} s", flush=True)


def timed(fn, repeats=REPEATS):
    """Median seconds of `repeats` runs after one warm-up run, and the warm-up's own time."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), first


def in_turns(functions, repeats=RATIO_REPEATS):
    """Median seconds of each function over `repeats` rounds of one call each, after a warm-up round; and the warm-up's times."""
    first = []
    for fn in functions:
        start = time.perf_counter()
        fn()
        first.append(time.perf_counter() - start)
    samples = [[] for _ in functions]
    for _ in range(repeats):
        for fn, times in zip(functions, samples, strict=True):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples], first


def count_everything():
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            cursor.fetchone()


def snapshot_job(quarter):
    """The worker's path for one quarter, on a snapshot row made for the run and removed after it."""
    DashboardSnapshot.objects.filter(quarter=quarter.name).delete()
    DashboardSnapshot.objects.create(quarter=quarter.name, status=SnapshotStatus.RUNNING, claimed_at=timezone.now())
    try:
        snapshot_compute(quarter_name=quarter.name)
    finally:
        DashboardSnapshot.objects.filter(quarter=quarter.name).delete()


def main():
    if connection.vendor != "postgresql":
        sys.exit("The dashboard benchmark needs PostgreSQL (set DATABASE_URL).")
    quiet()
    ensure_county()
    quarter = last_complete_quarter(timezone.localdate())
    if DashboardSnapshot.objects.filter(quarter__in=[q.name for q in quarter.last(8)]).exists():
        sys.exit(
            "This database has dashboard snapshots for the quarters benchmarked: they would be read instead of computed. "
            "A load test stopped before its end leaves them: `python -m bench.load.setup forget` (same DATABASE_URL) removes them."
        )

    with CaptureQueriesContext(connection) as queries:
        values = compute_measures(quarter=quarter)
    slowest = sorted(queries.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:3]
    history = measures_history(quarter=quarter, current=values)
    pdf = dashboard_pdf(context=report_context(quarter=quarter, values=values, history=history))

    (measures_s, count_s), (measures_first, count_first) = in_turns([lambda: compute_measures(quarter=quarter), count_everything])
    trend_s, trend_first = timed(lambda: measures_history(quarter=quarter))
    pdf_s, pdf_first = timed(lambda: dashboard_pdf(context=report_context(quarter=quarter, values=values, history=history)))
    job_s, job_first = timed(lambda: snapshot_job(quarter), repeats=1)

    print()
    print(f"Dashboard benchmark, quarter {quarter.name} ({quarter.label}), PostgreSQL {connection.pg_version // 10000}")
    print(
        f"{Child.objects.count():,} children, {Case.objects.count():,} cases, {Plan.objects.count():,} plans, "
        f"{ChronologyEntry.objects.count():,} chronology entries; median of {REPEATS} runs after a warm-up "
        f"(the quarter's measures and the count(*): of {RATIO_REPEATS}, in turns)"
    )
    print()
    print(f"{'what':<56} {'median s':>9} {'first s':>8} {'target s':>9}  result")
    rows = [
        ("one quarter's measures (compute_measures)", measures_s, measures_first, TARGETS["quarter"]),
        ("8-quarter trend (measures_history, nothing stored)", trend_s, trend_first, None),
        ("PDF render (report_context + WeasyPrint)", pdf_s, pdf_first, TARGETS["pdf"]),
        ("whole snapshot job (measures, trend, PDF, store)", job_s, job_first, None),
        (f"SELECT count(*) over the {len(TABLES)} tables the measures read", count_s, count_first, None),
    ]
    missed = False
    for label, median, first, target in rows:
        verdict = "" if target is None else ("pass" if median < target else "MISSED")
        missed |= verdict == "MISSED"
        print(f"{label:<56} {median:>9.3f} {first:>8.3f} {'' if target is None else f'{target:.0f}':>9}  {verdict}")
    ratio = measures_s / count_s
    missed |= ratio > TARGETS["count_ratio"]
    print()
    print(
        f"measures / count(*) ratio: {ratio:.1f}x (target <= {TARGETS['count_ratio']:.0f}x: {'pass' if ratio <= TARGETS['count_ratio'] else 'MISSED'})   SQL queries per quarter: {len(queries.captured_queries)}   PDF: {len(pdf) / 1024:.0f} KiB"
    )
    print("slowest queries of one quarter:")
    for query in slowest:
        print(f"  {float(query['time']):7.3f} s  {query['sql'][:110]}...")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
