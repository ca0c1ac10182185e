"""Writes of the dashboard: queuing a quarter's snapshot and computing it (called by dashboard.tasks); the strategy
group's set-up, targets, narrative and sign-off (each audited, each checking the access layer again)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agencies import access
from agencies.access import can_manage_partnership
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.concurrency import EditConflict
from neglect_portal.quarters import BadQuarter, Quarter, parse_quarter, reported_quarter

from .measures import THEMES
from .models import DashboardSetup, DashboardSnapshot, MeasureSet, MeasureTarget, QuarterReport, SnapshotStatus
from .pdf import dashboard_pdf, report_context
from .selectors import catalogue, compute_measures, measures_history


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
    if requested_by is not None and not can_manage_partnership(requested_by):
        raise SnapshotNotAllowed("Only partnership admins recompute the dashboard.")
    return _snapshot_queue(quarter=quarter, requested_by=requested_by, request=request)


@transaction.atomic
def _snapshot_queue(*, quarter: Quarter, requested_by, request=None, audit=True):
    """Queue the snapshot for someone whose right to it the caller checked (an admin, or the person signing the quarter off).

    `audit=False` when the queuing is part of another audited action (the sign-off: one row for one action)."""
    from .tasks import dashboard_snapshot_compute

    snapshot, _ = DashboardSnapshot.objects.select_for_update().get_or_create(quarter=quarter.name, defaults={"requested_by": requested_by})
    if snapshot.status == SnapshotStatus.RUNNING and not _stale(snapshot):
        return snapshot
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        status=SnapshotStatus.QUEUED, requested_by=requested_by, requested_at=timezone.now(), claimed_at=None, failure_reason=""
    )
    if requested_by is not None and audit:
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
    requester = snapshot.requested_by
    if requester is not None and not can_manage_partnership(requester):
        signed_by_them = QuarterReport.objects.filter(quarter=quarter_name, signed_off_by=requester, signed_off_at__isnull=False).exists()
        if not signed_by_them:
            raise SnapshotNotAllowed(f"{requester.get_username()} is no longer a partnership admin.")
        if not access.can_sign_off_dashboard(requester):
            raise SnapshotNotAllowed(f"{requester.get_username()}, who signed the quarter off, is no longer in the strategy group.")
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


# --- The strategy group: set-up, targets, narrative and sign-off (docs/dashboard.md) -----------------

TEXT_LIMIT = 10_000  # a narrative or the escalations: a few pages at most


def _require_group(actor, allowed, request, what):
    access.require(
        actor, allowed, request=request, what=what, reason=f"Only the strategy group (strategy members and partnership admins) {what}.", object_type="dashboard"
    )


def _text(value):
    return (value or "").strip()


def setup_save(*, actor, version: int, measure_set_key: str, added_measures, board: str, request=None) -> DashboardSetup:
    """Choose the measure set (blank: the whole catalogue), the measures added to it and the board the report goes to."""
    _require_group(actor, access.can_steer_dashboard(actor), request, "choose the dashboard's measures")
    known = {m.key for m in catalogue()}
    errors = {}
    measure_set = None
    if measure_set_key:
        measure_set = MeasureSet.objects.filter(key=measure_set_key).first()
        if measure_set is None:
            errors["measure_set"] = "Choose one of the measure sets listed"
    unknown = sorted(set(added_measures) - known)
    if unknown:
        errors["added_measures"] = f"Choose measures from the catalogue: {', '.join(unknown)} is not one"
    if len(_text(board)) > 200:
        errors["board"] = "The board's name must be 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    added = [m.key for m in catalogue() if m.key in set(added_measures)]
    with transaction.atomic():
        setup, created = DashboardSetup.objects.select_for_update().get_or_create(pk=DashboardSetup.SINGLETON_ID, defaults={"version": 1})
        if not created and setup.version != version:
            raise EditConflict(current_version=setup.version)
        DashboardSetup.objects.filter(pk=setup.pk).update(
            measure_set=measure_set,
            added_measures=added,
            board=_text(board),
            updated_by=actor,
            updated_at=timezone.now(),
            version=F("version") + (0 if created else 1),
        )
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="dashboard_setup",
            object_id=setup.pk,
            detail=f"set {measure_set.key if measure_set else 'whole catalogue'}; added {', '.join(added) or 'none'}",
            request=request,
        )
    setup.refresh_from_db()
    return setup


def target_set(*, actor, measure_key: str, value: float | None, reason: str, request=None) -> MeasureTarget:
    """Set a measure's target (or remove it: `value` None), saying why; the earlier targets stay as its history.

    A volume (a count where neither more nor fewer is better) takes no target: a RAG rating needs a
    direction. A percentage's target is between 0 and 100.
    """
    _require_group(actor, access.can_steer_dashboard(actor), request, "set the dashboard's targets")
    measure = {m.key: m for m in catalogue()}.get(measure_key)
    errors = {}
    if measure is None:
        errors["measure"] = "Choose a measure from the catalogue"
    elif value is not None and measure.better is None:
        errors["value"] = f"“{measure.title}” is a volume: neither more nor fewer is better, so it takes no target"
    elif value is not None and measure.unit == "percent" and not 0 <= value <= 100:
        errors["value"] = "Enter a percentage from 0 to 100"
    elif value is not None and value < 0:
        errors["value"] = "Enter a target of 0 or more"
    if not _text(reason):
        errors["reason"] = "Say why the strategy group set this target (or removed it)"
    elif len(_text(reason)) > 2000:
        errors["reason"] = "The reason must be 2,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = MeasureTarget.objects.create(measure_key=measure_key, value=value, reason=_text(reason), set_by=actor)
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="dashboard_target",
            object_id=measure_key,
            detail="removed" if value is None else f"target {value:g}",
            request=request,
        )
    return target


def _report_quarter(name, *, ended=False, field="quarter"):
    try:
        return reported_quarter(name, today=timezone.localdate(), ended=ended)
    except BadQuarter as error:
        raise ValidationError({field: str(error)}) from error


def _report_for_update(quarter_name):
    report, created = QuarterReport.objects.select_for_update().get_or_create(quarter=quarter_name)
    return report, created


def report_save(*, actor, quarter: str, version: int, narratives: dict, escalations: str, request=None) -> QuarterReport:
    """Write the quarter's narrative per theme and the issues to escalate; refused once the quarter is signed off."""
    _require_group(actor, access.can_steer_dashboard(actor), request, "write the dashboard's narrative")
    parsed = _report_quarter(quarter)
    errors = {}
    unknown = sorted(set(narratives) - set(THEMES))
    if unknown:
        errors["narratives"] = f"Not themes of the dashboard: {', '.join(unknown)}"
    texts = {theme: _text(text) for theme, text in narratives.items() if theme in THEMES}
    for theme, text in texts.items():
        if len(text) > TEXT_LIMIT:
            errors[f"narrative_{theme}"] = f"The narrative must be {TEXT_LIMIT:,} characters or fewer"
    if len(_text(escalations)) > TEXT_LIMIT:
        errors["escalations"] = f"The issues to escalate must be {TEXT_LIMIT:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report, created = _report_for_update(parsed.name)
        if report.is_signed_off:
            raise ValidationError({"__all__": f"{parsed.name} was signed off on {report.signed_off_at:%-d %B %Y}: its words are as signed."})
        if not created and report.version != version:
            raise EditConflict(current_version=report.version)
        QuarterReport.objects.filter(pk=report.pk).update(
            narratives={theme: text for theme, text in texts.items() if text},
            escalations=_text(escalations),
            updated_by=actor,
            updated_at=timezone.now(),
            version=F("version") + (0 if created else 1),
        )
        audit_record(
            user=actor, action=AuditAction.UPDATE, object_type="dashboard_report", object_id=parsed.name, detail="narrative and escalations", request=request
        )
    report.refresh_from_db()
    return report


def quarter_sign_off(*, actor, quarter: str, version: int, name: str, position: str, request=None) -> QuarterReport:
    """Sign an ended quarter off in a named person's name: the words lock and the signed PDF is made (a snapshot job).

    The signer is the actor (their name and position as they want them printed); the snapshot is
    queued in their name and the job checks again that they may still sign (services.snapshot_compute).
    """
    _require_group(actor, access.can_sign_off_dashboard(actor), request, "sign a quarter off")
    parsed = _report_quarter(quarter, ended=True)
    errors = {}
    if not _text(name):
        errors["name"] = "Enter the name of the person signing the quarter off"
    elif len(_text(name)) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    if len(_text(position)) > 200:
        errors["position"] = "The position must be 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report, created = _report_for_update(parsed.name)
        if report.is_signed_off:
            raise ValidationError({"__all__": f"{parsed.name} was already signed off by {report.signed_off_name} on {report.signed_off_at:%-d %B %Y}."})
        if not created and report.version != version:
            raise EditConflict(current_version=report.version)
        QuarterReport.objects.filter(pk=report.pk).update(
            signed_off_by=actor,
            signed_off_name=_text(name),
            signed_off_position=_text(position),
            signed_off_at=timezone.now(),
            version=F("version") + (0 if created else 1),
        )
        audit_record(
            user=actor, action=AuditAction.UPDATE, object_type="dashboard_report", object_id=parsed.name, detail=f"signed off by {_text(name)}", request=request
        )
        _snapshot_queue(quarter=parsed, requested_by=actor, request=request, audit=False)
    report.refresh_from_db()
    return report
