"""The dashboard API: measures (snapshot or live), queuing a snapshot (202), the signed-off PDF."""

import pytest
import time_machine
from rest_framework.test import APIClient

from audit.models import AccessEvent, AuditAction
from dashboard.models import DashboardSnapshot, SnapshotStatus
from dashboard.selectors import compute_measures
from neglect_portal.quarters import parse_quarter

Q4 = "2025-26-Q4"


@pytest.fixture(autouse=True)
def april_2026():
    with time_machine.travel("2026-04-10 09:00 +0000", tick=False):
        yield


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def strategy(county):
    return _client(county.world.users["strategy"])


@pytest.fixture
def admin(county):
    return _client(county.world.users["admin"])


def test_measures_are_computed_live_when_there_is_no_snapshot(strategy):
    response = strategy.get(f"/api/v1/dashboard/quarters/{Q4}/")
    assert response.json() == {"quarter": Q4, "measures": compute_measures(quarter=parse_quarter(Q4))}
    assert response.json()["measures"]["cp_children"] == 6


def test_measures_come_from_a_finished_snapshot(county, strategy):
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.DONE, measures={"cp_children": 41})
    assert strategy.get(f"/api/v1/dashboard/quarters/{Q4}/").json() == {"quarter": Q4, "measures": {"cp_children": 41}}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("2025-26-Q5/", "'2025-26-Q5' is not a quarter: use the financial-year form YYYY-YY-Qn, for example 2025-26-Q3 (October to December 2025)."),
        ("2026-27-Q2/pdf/", "2026-27-Q2 (July to September 2026) has not started yet."),
    ],
)
def test_a_bad_or_future_quarter_is_a_bad_request_with_the_reason(strategy, path, detail):
    response = strategy.get(f"/api/v1/dashboard/quarters/{path}")
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_an_admin_queues_the_snapshot(county, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin.post(f"/api/v1/dashboard/quarters/{Q4}/snapshot/")
    assert (response.status_code, response.json(), len(callbacks)) == (202, {"quarter": Q4, "status": "queued"}, 1)
    assert DashboardSnapshot.objects.get(quarter=Q4).requested_by == county.world.users["admin"]


def test_a_quarter_still_running_cannot_be_queued(admin):
    response = admin.post("/api/v1/dashboard/quarters/2026-27-Q1/snapshot/")
    assert (response.status_code, response.json()) == (400, {"detail": "2026-27-Q1 ends on 30 June 2026: its figures can be signed off from the day after."})


def test_strategy_members_may_not_queue_a_snapshot(strategy):
    response = strategy.post(f"/api/v1/dashboard/quarters/{Q4}/snapshot/")
    assert (response.status_code, response.json()) == (403, {"detail": "Only partnership admins recompute the dashboard."})


def test_the_pdf_is_not_found_until_the_snapshot_is_done(county, strategy):
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.QUEUED)
    response = strategy.get(f"/api/v1/dashboard/quarters/{Q4}/pdf/")
    assert (response.status_code, response.json()) == (404, {"detail": f"There is no signed-off PDF for {Q4} yet: a partnership admin queues its snapshot."})
    assert not AccessEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_signed_off_pdf_downloads_and_is_audited(county, strategy):
    DashboardSnapshot.objects.create(quarter=Q4, status=SnapshotStatus.DONE, pdf=b"%PDF-1.7 signed off")
    response = strategy.get(f"/api/v1/dashboard/quarters/{Q4}/pdf/")
    assert (response.status_code, response["Content-Type"], response.content) == (200, "application/pdf", b"%PDF-1.7 signed off")
    assert list(AccessEvent.objects.filter(action=AuditAction.EXPORT).values_list("object_id", "detail")) == [(Q4, "PDF (API)")]
