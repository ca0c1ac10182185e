"""Access-matrix rows for the Quarterly Neglect Dashboard: aggregates for strategy members and partnership admins.

Recomputing (queuing a snapshot) is for partnership admins only. Any other member is refused with
403 on pages and API alike: the dashboard names no child, so there is nothing to hide with a 404.
"""
from dashboard.models import DashboardSnapshot, SnapshotStatus

from .matrix import ADMIN, Row, api, page

DASHBOARD = frozenset({"strategy", "admin"})
QUARTER = "2025-26-Q3"


def quarter(world):
    return {"quarter": QUARTER}


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
}
