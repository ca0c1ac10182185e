"""Background jobs of the dashboard: compute a quarter's snapshot; the scheduled previous-quarter run."""

from celery import shared_task
from django.utils import timezone

from neglect_portal.jobs import run_claimed
from neglect_portal.quarters import last_complete_quarter

from .services import (
    snapshot_claim,
    snapshot_compute,
    snapshot_fail,
    snapshot_release,
    snapshot_request,
)


@shared_task(bind=True, acks_late=True, max_retries=5, soft_time_limit=300, time_limit=360)
def dashboard_snapshot_compute(self, quarter_name):
    """Compute one quarter's snapshot, once per claim.

    Idempotent: the claim is a conditional update that must change exactly one row, so a second
    delivery (acks_late redelivers after a worker dies) finds the row done or running and stops.
    A transient error gives the claim back and retries with backoff; any other error marks the
    snapshot failed with its reason. Figures are only ever written complete (services.snapshot_store).
    """
    return run_claimed(
        self,
        claim=lambda: snapshot_claim(quarter_name=quarter_name),
        work=lambda: snapshot_compute(quarter_name=quarter_name),
        release=lambda: snapshot_release(quarter_name=quarter_name),
        fail=lambda reason: snapshot_fail(quarter_name=quarter_name, reason=reason),
    )


@shared_task(acks_late=True)
def dashboard_snapshot_previous_quarter():
    """Run by Celery beat on the 5th of January, April, July and October: queue the quarter just ended."""
    quarter = last_complete_quarter(timezone.localdate())
    snapshot_request(quarter=quarter)
    return quarter.name
