"""Chronology PDFs: laid out in the request up to `pdf.max_entries()` entries, by a Celery job above that (issue 18).

WeasyPrint lays out about a hundred entries a second: 1,000 entries take some fifteen seconds, more
would hold a web worker for minutes. A longer chronology (up to `job_max_entries()`) is asked for
as a `ChronologyExport`; the job (tasks.chronology_export_make) claims it with a conditional UPDATE
that must change exactly one row (as subject access exports and dashboard snapshots are claimed),
checks again that the requester may still see the child, lays the PDF out and stores it with
`done` in one UPDATE while still claimed. The requester downloads it from the "PDF being prepared"
page once ready; each download re-runs the access check (`access.access_chronology_export`) and
writes the EXPORT audit row.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from cases import field_policy
from partnership.selectors import partnership_name

from . import selectors
from .forms import ChronologyFilterForm
from .models import ChronologyExport, ExportStatus
from .patterns import pattern_summaries_for_child
from .pdf import chronology_pdf


class AccessWithdrawn(Exception):
    """The requester may no longer see the child: the job stops, and says so on the export's page (not retried)."""


# A claim older than this belongs to a worker that died (the job's hard time limit is twelve minutes).
CLAIM_EXPIRY = timedelta(minutes=15)


def job_max_entries() -> int:
    """The most entries a background PDF holds (`CHRONOLOGY_PDF_JOB_MAX_ENTRIES`, 20,000: some four minutes of layout)."""
    return getattr(settings, "CHRONOLOGY_PDF_JOB_MAX_ENTRIES", 20_000)


def chronology_for_pdf(*, user, child, query):
    """(the filter form, its filters, the matching entries queryset) for the chronology as filtered by `query` (a query string)."""
    data = QueryDict(query) if query else None
    form = ChronologyFilterForm(data, agencies=selectors.recording_agencies(entries=selectors.chronology_for_child(user=user, child=child)))
    filters = form.filters()
    return form, filters, selectors.chronology_for_child(user=user, child=child, filters=filters)


def pdf_of(*, user, child, form, filters, matching) -> tuple[bytes, int]:
    """The chronology PDF (bytes) of the `matching` entries as `user` may see them, and how many entries it holds."""
    entries = selectors.with_history(user=user, entries=list(matching))
    pdf = chronology_pdf(
        context={
            "partnership_name": partnership_name(),
            "child": child,
            # The field policy decides who reads the NHS number (health agencies, the lead, social care).
            "show_nhs_number": field_policy.for_child(user, child).may_read("child", "nhs_number"),
            "entries": entries,
            "patterns": pattern_summaries_for_child(user=user, child=child),  # titles and reasons only
            "applied": form.applied(),
            "date_from": filters.date_from or (min(entry.occurred_on for entry in entries) if entries else None),
            "date_to": filters.date_to or (max(entry.occurred_on for entry in entries) if entries else None),
            "oldest_first": filters.oldest_first,
            "generated_by": user.get_full_name() or user.get_username(),
            "generated_agency": access.membership_of(user).agency.name,
            "generated_at": timezone.localtime(),
        }
    )
    return pdf, len(entries)


# --- Writes ----------------------------------------------------------------------------------------------


@transaction.atomic
def chronology_export_request(*, actor, child, query: str, entry_count: int, request=None) -> ChronologyExport:
    """Ask for a long chronology's PDF: one row, one CREATE audit row, and the job queued after commit.

    `child` came from `access.child_for_export`. Asking again for the same filters while an
    earlier request is still queued or being prepared returns that one rather than a second job.
    """
    pending = (
        ChronologyExport.objects.filter(child=child, requested_by=actor, query=query, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING))
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    export = ChronologyExport.objects.create(child=child, requested_by=actor, query=query[:1000], entry_count=entry_count)
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="chronology_export",
        object_id=export.pk,
        child_id=child.pk,
        detail=f"PDF of {entry_count} entries asked for; it is prepared in the background",
        request=request,
    )
    _enqueue(export.pk)
    return export


def _enqueue(export_id):
    from .tasks import chronology_export_make

    transaction.on_commit(lambda: chronology_export_make.delay(export_id))


def chronology_export_claim(*, export_id) -> bool:
    """Take a queued export (or one whose worker died); exactly one worker can win."""
    now = timezone.now()
    claimable = Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, claimed_at__lt=now - CLAIM_EXPIRY)
    return ChronologyExport.objects.filter(claimable, pk=export_id).update(status=ExportStatus.RUNNING, claimed_at=now) == 1


def chronology_export_release(*, export_id):
    """Give the claim back (a transient error: the task retries)."""
    ChronologyExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(status=ExportStatus.QUEUED, claimed_at=None)


def chronology_export_fail(*, export_id, reason):
    ChronologyExport.objects.filter(pk=export_id).exclude(status=ExportStatus.DONE).update(
        status=ExportStatus.FAILED, claimed_at=None, failure_reason=reason[:2000]
    )


def chronology_export_compute(*, export_id):
    """Check access again, lay the PDF out as the requester may see the chronology, store it with `done` while still claimed."""
    export = ChronologyExport.objects.select_related("requested_by").get(pk=export_id)
    user = export.requested_by
    try:
        child = access.child_for_export(user=user, child_id=export.child_id)
    except Http404:
        raise AccessWithdrawn("You may no longer see this child's record, so the PDF was not made") from None
    form, filters, matching = chronology_for_pdf(user=user, child=child, query=export.query)
    pdf, count = pdf_of(user=user, child=child, form=form, filters=filters, matching=matching)
    stored = ChronologyExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        pdf=pdf,
        entry_count=count,
        completed_at=timezone.now(),
        claimed_at=None,
        failure_reason="",
    )
    if stored != 1:
        raise RuntimeError(f"Chronology export {export_id} was no longer claimed by this job when it finished.")


def chronology_export_download_audit(*, actor, export, request=None):
    """One EXPORT row per download, naming the child (the file holds their chronology)."""
    audit_record(
        user=actor,
        action=AuditAction.EXPORT,
        object_type="chronology",
        object_id=export.child_id,
        child_id=export.child_id,
        detail=f"PDF of {export.entry_count} entries (prepared in the background, export {export.pk})",
        request=request,
    )
