"""Writes of the dashboard: queuing a quarter's snapshot and computing it (called by dashboard.tasks)."""
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agencies.access import can_manage_partnership
from audit.models import AuditAction
from audit.services import audit_record

from .models import DashboardSnapshot, SnapshotStatus
from .pdf import dashboard_pdf, report_context
from .quarters import Quarter, parse_quarter
from .selectors import compute_measures, measures_history


def claim_expiry():
    """How old a claim must be before it counts as a dead worker's (DASHBOARD_CLAIM_EXPIRY_SECONDS, default 15 minutes).

    Longer than the job's hard time limit, so a live job's claim is never taken; shorter than the
    broker's visibility timeout, so the job Redis redelivers after a worker died can take it over
    (dashboard/checks.py warns when either is not so).
    """
    return timedelta(seconds=getattr(settings, "DASHBOARD_CLAIM_EXPIRY_SECONDS", 900))


class SnapshotNotAllowed(Exception):
    """The requester may no longer ask for a snapshot (access is checked again when the job runs)."""


@transaction.atomic
def snapshot_request(*, quarter: Quarter, requested_by=None, request=None):
    """Queue the quarter's snapshot, creating its row or setting a finished one back to queued.

    A running snapshot is left alone; a queued one is sent again (the claim makes a duplicate
    delivery harmless, and a lost message is not left stuck). `requested_by` is None
    for the scheduled run; a person must be a partnership admin. The task is sent after commit,
    so a worker never looks for a row that is not there yet.
    """
    from .tasks import dashboard_snapshot_compute

    if requested_by is not None and not can_manage_partnership(requested_by):
        raise SnapshotNotAllowed("Only partnership admins recompute the dashboard.")
    snapshot, _ = DashboardSnapshot.objects.select_for_update().get_or_create(quarter=quarter.name, defaults={"requested_by": requested_by})
    if snapshot.status == SnapshotStatus.RUNNING and not _stale(snapshot):
        return snapshot
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        status=SnapshotStatus.QUEUED, requested_by=requested_by, requested_at=timezone.now(), claimed_at=None, failure_reason=""
    )
    if requested_by is not None:
        audit_record(user=requested_by, action=AuditAction.UPDATE, object_type="dashboard_snapshot", object_id=quarter.name, detail="queued", request=request)
    transaction.on_commit(lambda: dashboard_snapshot_compute.delay(quarter.name))
    snapshot.refresh_from_db()
    return snapshot


def _stale(snapshot):
    return snapshot.claimed_at is not None and snapshot.claimed_at < timezone.now() - claim_expiry()


def snapshot_claim(*, quarter_name):
    """Take the job: one conditional UPDATE that changes exactly one row, or the job is someone else's.

    Queued rows, and running rows whose claim is stale (a worker died), can be taken. Two
    deliveries of the same task therefore cannot both compute.
    """
    now = timezone.now()
    claimable = Q(status=SnapshotStatus.QUEUED) | Q(status=SnapshotStatus.RUNNING, claimed_at__lt=now - claim_expiry())
    return DashboardSnapshot.objects.filter(claimable, quarter=quarter_name).update(status=SnapshotStatus.RUNNING, claimed_at=now) == 1


def snapshot_release(*, quarter_name):
    """Give a claimed job back to the queue (a transient error: the task retries)."""
    DashboardSnapshot.objects.filter(quarter=quarter_name, status=SnapshotStatus.RUNNING).update(status=SnapshotStatus.QUEUED, claimed_at=None)


def snapshot_fail(*, quarter_name, reason):
    """Record a failure a person can read; the figures of an earlier run, if any, stay as they were."""
    DashboardSnapshot.objects.filter(quarter=quarter_name).update(status=SnapshotStatus.FAILED, claimed_at=None, failure_reason=reason[:2000])


def snapshot_compute(*, quarter_name):
    """Compute a claimed quarter's measures and PDF, then write them with `done` in one transaction.

    Everything slow (the SQL aggregates, the charts, WeasyPrint) happens before the transaction;
    if the worker dies or raises before the commit, the row still holds the previous complete
    snapshot (or none) with status running or failed, never new figures without their PDF.
    The requester's role is checked again here: access may have changed since the job was queued.
    """
    snapshot = DashboardSnapshot.objects.select_related("requested_by").get(quarter=quarter_name)
    if snapshot.requested_by is not None and not can_manage_partnership(snapshot.requested_by):
        raise SnapshotNotAllowed(f"{snapshot.requested_by.get_username()} is no longer a partnership admin.")
    quarter = parse_quarter(quarter_name)
    values = compute_measures(quarter=quarter)
    history = measures_history(quarter=quarter, current=values)
    pdf = dashboard_pdf(context=report_context(quarter=quarter, values=values, history=history))
    snapshot_store(quarter_name=quarter_name, values=values, pdf=pdf)


@transaction.atomic
def snapshot_store(*, quarter_name, values, pdf):
    """Write figures, document and `done` together, only while this worker still holds the claim."""
    stored = DashboardSnapshot.objects.filter(quarter=quarter_name, status=SnapshotStatus.RUNNING).update(
        measures=values, pdf=pdf, status=SnapshotStatus.DONE, computed_at=timezone.now(), claimed_at=None, failure_reason=""
    )
    if stored != 1:
        raise RuntimeError(f"The {quarter_name} snapshot was no longer claimed by this job when it finished.")
