"""Access-matrix rows for the Quarterly Neglect Dashboard: aggregates for strategy members and partnership admins.

Recomputing (queuing a snapshot) is for partnership admins only. The strategy group (strategy members
and partnership admins) chooses the measures shown, sets targets, writes each quarter's narrative and
signs a quarter off. Any other member is refused with 403 on pages and API alike: the dashboard
names no child, so there is nothing to hide with a 404.
"""

from dashboard.models import DashboardSnapshot, SnapshotStatus

from .matrix import ADMIN, Row, api, page

DASHBOARD = frozenset({"strategy", "admin"})
QUARTER = "2025-26-Q3"


def quarter(world):
    return {"quarter": QUARTER}


def measure(world):
    return {"measure_key": "cp_neglect_repeat_pct"}


def signed_off_quarter(world):
    DashboardSnapshot.objects.update_or_create(quarter=QUARTER, defaults={"status": SnapshotStatus.DONE, "pdf": b"%PDF-1.7 signed off"})
    return {"quarter": QUARTER}


ROUTES = {
    ("dashboard:index", "GET"): Row(page(DASHBOARD, allowed_status=302)),
    ("dashboard:quarter", "GET"): Row(page(DASHBOARD), kwargs=quarter),
    ("dashboard:measures_csv", "GET"): Row(page(DASHBOARD), kwargs=quarter),
    ("dashboard:report_pdf", "GET"): Row(page(DASHBOARD), kwargs=signed_off_quarter),
    ("dashboard:snapshot_queue", "POST"): Row(page(ADMIN, allowed_status=302), kwargs=quarter),
    ("api:dashboard-quarter", "GET"): Row(api(DASHBOARD, denied=403), kwargs=quarter),
    ("api:dashboard-snapshot", "POST"): Row(api(ADMIN, allowed_status=202, denied=403), kwargs=quarter, encoding="json"),
    ("api:dashboard-pdf", "GET"): Row(api(DASHBOARD, denied=403), kwargs=signed_off_quarter),
    # The strategy group's pages and API (issue 16): set-up, targets, narrative, sign-off, the publication CSV.
    ("dashboard:setup", "GET"): Row(page(DASHBOARD)),
    ("dashboard:setup", "POST"): Row(
        page(DASHBOARD, allowed_status=302), data=lambda world: {"version": 1, "measure_set": "", "board": "Partnership Executive"}
    ),
    ("dashboard:targets", "GET"): Row(page(DASHBOARD)),
    ("dashboard:target_edit", "GET"): Row(page(DASHBOARD), kwargs=measure),
    ("dashboard:target_edit", "POST"): Row(
        page(DASHBOARD, allowed_status=302), kwargs=measure, data=lambda world: {"value": "15", "reason": "The national rate"}
    ),
    ("dashboard:report", "GET"): Row(page(DASHBOARD), kwargs=quarter),
    ("dashboard:report", "POST"): Row(page(DASHBOARD, allowed_status=302), kwargs=quarter, data=lambda world: {"version": 1, "escalations": "GP attendance"}),
    ("dashboard:sign_off", "POST"): Row(
        page(DASHBOARD, allowed_status=302), kwargs=quarter, data=lambda world: {"version": 1, "name": "Chair", "position": "Chair", "confirm": "on"}
    ),
    ("api:dashboard-csv", "GET"): Row(api(DASHBOARD, denied=403), kwargs=quarter, data=lambda world: {"publication": "1"}),
    ("api:dashboard-measure-sets", "GET"): Row(api(DASHBOARD, denied=403)),
    ("api:dashboard-setup", "GET"): Row(api(DASHBOARD, denied=403)),
    ("api:dashboard-setup", "PUT"): Row(api(DASHBOARD, denied=403), encoding="json", data=lambda world: {"version": 1, "measure_set": "hounslow-2020-22"}),
    ("api:dashboard-targets", "GET"): Row(api(DASHBOARD, denied=403)),
    ("api:dashboard-targets", "POST"): Row(
        api(DASHBOARD, allowed_status=201, denied=403),
        encoding="json",
        data=lambda world: {"measure": "cp_neglect_repeat_pct", "value": 15, "reason": "The national rate"},
    ),
    ("api:dashboard-report", "GET"): Row(api(DASHBOARD, denied=403), kwargs=quarter),
    ("api:dashboard-report", "PUT"): Row(api(DASHBOARD, denied=403), kwargs=quarter, encoding="json", data=lambda world: {"version": 1, "escalations": "x"}),
    ("api:dashboard-sign-off", "POST"): Row(
        api(DASHBOARD, allowed_status=202, denied=403), kwargs=quarter, encoding="json", data=lambda world: {"version": 1, "name": "Chair"}
    ),
}
