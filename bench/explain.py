"""`EXPLAIN (ANALYZE, BUFFERS)` of each page's slowest queries at county scale (issue 18: choosing indexes).

Runs on the county database (bench/pages.py's fixtures; it fills the access log with
BENCH_AUDIT_ROWS (2,000,000) synthetic rows over 90 days first, once, so the log is the size a year
of a county's use gives). For each page it requests it through the test client, captures its SQL,
and prints the plan summary of its BENCH_EXPLAIN_TOP (3) slowest queries: time, buffers, and the
nodes that read whole tables or sort. The over-access check's two counts (audit/alerts.py) are
explained directly. `python -m bench.explain [page ...]`; pages: queue, manager, home, case, chronology,
audit, audit_user, audit_child, audit_dates, over_access.
"""

import os
import random
import re
import sys
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neglect_portal.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, AgencyKind, Role  # noqa: E402
from audit.models import CHILD_LISTED, AccessEvent, AuditAction  # noqa: E402
from bench.pages import bench_user, count_queries_across_requests, ensure_children, signed_in  # noqa: E402

AUDIT_ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "2000000"))
TOP = int(os.environ.get("BENCH_EXPLAIN_TOP", "3"))
NOTABLE_NODE = re.compile(
    r"(Seq Scan on \w+|Parallel Seq Scan on \w+|Sort(?! Key| Method)|Incremental Sort|Bitmap Heap Scan on \w+|Index (?:Only )?Scan(?: Backward)? using \w+)"
)


def fill_audit_log():
    """BENCH_AUDIT_ROWS access-log rows over the last 90 days, written with COPY (once)."""
    have = AccessEvent.objects.count()
    if have >= AUDIT_ROWS:
        return have
    rng = random.Random(18)
    users = list(
        get_user_model()
        .objects.filter(membership__isnull=False)
        .values_list("pk", "username", "membership__agency_id", "membership__agency__name", "membership__role")
    )
    children = list(range(1, 150_000))
    now = datetime.now(UTC)
    actions = (
        [AuditAction.VIEW] * 70
        + [AuditAction.CREATE] * 10
        + [AuditAction.UPDATE] * 8
        + [AuditAction.EXPORT] * 2
        + [AuditAction.DENIED] * 3
        + [AuditAction.LOGIN] * 7
    )
    columns = (
        "user_id",
        "username",
        "agency_id",
        "agency_name",
        "role",
        "action",
        "object_type",
        "object_id",
        "child_id",
        "detail",
        "path",
        "ip_address",
        "user_agent",
        "at",
    )
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY audit_accessevent ({', '.join(columns)}) FROM STDIN") as copy:
        for _ in range(AUDIT_ROWS - have):
            pk, username, agency_id, agency_name, role = rng.choice(users)
            action = rng.choice(actions)
            child = rng.choice(children) if action != AuditAction.LOGIN else None
            object_type = "case" if action == AuditAction.VIEW and rng.random() < 0.5 else (CHILD_LISTED if action == AuditAction.VIEW else "concern")
            at = now - timedelta(seconds=rng.randrange(90 * 86400))
            copy.write_row(
                (pk, username, agency_id, agency_name, role, action, object_type, str(child or ""), child, "bench", "/bench/", "127.0.0.1", "bench", at)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_accessevent")
    return AccessEvent.objects.count()


def summary(sql, params=None):
    """The plan's execution time, shared buffers and its notable nodes, one line each."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    total = next((line for line in plan if line.startswith("Execution Time")), "")
    buffers = next((line.strip() for line in plan if "Buffers:" in line), "")
    nodes = []
    for line in plan:
        found = NOTABLE_NODE.search(line)
        if found:
            timing = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)", line)
            nodes.append(f"{found.group(1)}" + (f" ({timing.group(2)} rows x{timing.group(3)}, {timing.group(1)} ms)" if timing else ""))
    return total, buffers, nodes


def explain_page(label, client, url):
    reset_queries()
    client.get(url)  # warm
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))[:TOP]
    print(
        f"== {label}: GET {url} -> {response.status_code}, {len(captured.captured_queries)} queries, "
        f"{sum(float(query['time']) for query in captured.captured_queries) * 1000:.0f} ms in SQL"
    )
    for query in slowest:
        if not query["sql"].lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")):
            continue
        total, buffers, nodes = summary(query["sql"])
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:140]}")
        print(f"            {total}; {buffers}")
        for node in nodes[:6]:
            print(f"            - {node}")


def explain_queryset(label, queryset):
    sql, params = queryset.query.sql_with_params()
    total, buffers, nodes = summary(sql, params)
    print(f"== {label}\n  {sql[:160]}\n            {total}; {buffers}")
    for node in nodes[:6]:
        print(f"            - {node}")


def main(pages):
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN needs PostgreSQL.")
    print(f"access log: {fill_audit_log():,} rows")
    today = timezone.localdate()
    csc = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE).order_by("pk").first()
    health = Agency.objects.filter(kind=AgencyKind.COMMUNITY_HEALTH).order_by("pk").first()
    manager = signed_in(*bench_user("bench.csc.manager", csc, Role.MANAGER))
    practitioner = signed_in(*bench_user("bench.health.practitioner", health, Role.PRACTITIONER))
    auditor = signed_in(*bench_user("bench.auditor", csc, Role.AUDITOR))
    cases = ensure_children(csc, today)
    count_queries_across_requests()
    busy_user = AccessEvent.objects.values_list("username", flat=True).filter(username__startswith="county.").first()
    wanted = {
        "queue": ("drift queue (children's social care manager)", manager, reverse("drift:queue")),
        "manager": ("cases to oversee (children's social care manager)", manager, reverse("cases:manager_cases")),
        "home": ("home page case lists (health practitioner)", practitioner, reverse("home")),
        "case": ("case page, 5,000 entries", manager, reverse("cases:case_detail", args=[cases["Many"].pk])),
        "chronology": ("chronology, 5,000 entries", manager, reverse("chronologies:child_chronology", args=[cases["Many"].child_id])),
        "audit": ("auditor search, no filter", auditor, "/audit/"),
        "audit_user": ("auditor search by username", auditor, f"/audit/?username={busy_user.upper()}"),
        "audit_child": ("auditor search by child", auditor, "/audit/?child_id=4242"),
        "audit_dates": ("auditor search by dates", auditor, f"/audit/?date_from={today - timedelta(days=20)}&date_to={today - timedelta(days=13)}"),
    }
    for key in pages or [*wanted, "over_access"]:
        if key == "over_access":
            user_id = get_user_model().objects.get(username=busy_user).pk
            now = timezone.now()
            window = timedelta(minutes=settings.OVER_ACCESS_WINDOW_MINUTES)
            opened = AccessEvent.objects.filter(action=AuditAction.VIEW, at__gte=now - window, child_id__isnull=False, user_id=user_id).exclude(
                object_type=CHILD_LISTED
            )
            explain_queryset("over-access check: children opened in the last hour", opened.values("child_id").distinct())
            denials = AccessEvent.objects.filter(action=AuditAction.DENIED, at__gte=now - timedelta(minutes=10), user_id=user_id)
            explain_queryset("over-access check: denials in the last 10 minutes", denials)
        else:
            explain_page(*wanted[key])


if __name__ == "__main__":
    main(sys.argv[1:])
