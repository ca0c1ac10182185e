"""Writes for subject access requests: record one, and the job's claim, progress, result or failure.

The job follows the dashboard snapshot pattern (dashboard/services.py): a conditional `update()` that
must change exactly one row claims the request, so a redelivered task stops at once; the export is
stored together with `done` in one UPDATE that only succeeds while the request is still claimed.
"""

import json
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.working_days import is_working_day

from .models import RequestStatus, SubjectAccessRequest, SubjectKind

# A claim older than this belongs to a worker that died (the hard time limit is twelve minutes).
CLAIM_EXPIRY = timedelta(minutes=15)


def statutory_deadline(received_on: date) -> date:
    """One calendar month after receipt (UK GDPR Article 12(3), as the ICO counts it).

    The day of receipt is day one, the deadline is the same date next month, or the month's last
    day when there is no such date (31 January -> 28 or 29 February); when that is a weekend or
    bank holiday the deadline moves to the next working day.
    """
    deadline = received_on + relativedelta(months=1)  # relativedelta clamps to the month's last day
    while not is_working_day(deadline):
        deadline += timedelta(days=1)
    return deadline


def _enqueue(sar_id):
    from .tasks import subject_access_export

    transaction.on_commit(lambda: subject_access_export.delay(sar_id))


@transaction.atomic
def subject_access_request_create(
    *,
    actor,
    subject_kind,
    child=None,
    adult=None,
    requester_name,
    requester_relationship,
    requester_contact,
    received_on,
    identity_checked=False,
    request=None,
) -> SubjectAccessRequest:
    """Record a request and queue its export (after commit). One CREATE audit row names the child."""
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received must be today or in the past"})
    sar = SubjectAccessRequest(
        subject_kind=subject_kind,
        child=child if subject_kind == SubjectKind.CHILD else None,
        adult=adult if subject_kind == SubjectKind.ADULT else None,
        requester_name=requester_name.strip(),
        requester_relationship=requester_relationship.strip(),
        requester_contact=requester_contact.strip(),
        received_on=received_on,
        due_on=statutory_deadline(received_on),
        identity_checked=identity_checked,
        created_by=actor,
    )
    sar.full_clean()
    sar.save()
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="subject_access_request",
        object_id=sar.pk,
        child_id=sar.child_id_for_audit,
        detail=f"subject access request for {'child' if sar.child_id else 'adult ' + str(sar.adult_id)}; due {sar.due_on.isoformat()}",
        request=request,
    )
    _enqueue(sar.pk)
    return sar


@transaction.atomic
def subject_access_request_requeue(*, actor, sar, request=None):
    """Run a failed export again (a person read the reason and put it right)."""
    if sar.status != RequestStatus.FAILED:
        raise ValidationError("Only a failed export can be run again.")
    SubjectAccessRequest.objects.filter(pk=sar.pk, status=RequestStatus.FAILED).update(
        status=RequestStatus.QUEUED, claimed_at=None, failure_reason="", progress=0, progress_note="Queued again"
    )
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="subject_access_request",
        object_id=sar.pk,
        child_id=sar.child_id_for_audit,
        detail="export queued again",
        request=request,
    )
    _enqueue(sar.pk)


def subject_access_claim(*, sar_id) -> bool:
    """Take a queued request (or one whose worker died); exactly one worker can win."""
    now = timezone.now()
    claimable = Q(status=RequestStatus.QUEUED) | Q(status=RequestStatus.RUNNING, claimed_at__lt=now - CLAIM_EXPIRY)
    return (
        SubjectAccessRequest.objects.filter(claimable, pk=sar_id).update(status=RequestStatus.RUNNING, claimed_at=now, progress=5, progress_note="Started") == 1
    )


def subject_access_progress(*, sar_id, percent, note):
    SubjectAccessRequest.objects.filter(pk=sar_id, status=RequestStatus.RUNNING).update(progress=percent, progress_note=note[:200])


def subject_access_release(*, sar_id):
    """Give the claim back (a transient error: the task retries)."""
    SubjectAccessRequest.objects.filter(pk=sar_id, status=RequestStatus.RUNNING).update(
        status=RequestStatus.QUEUED, claimed_at=None, progress_note="Waiting to retry"
    )


def subject_access_fail(*, sar_id, reason):
    SubjectAccessRequest.objects.filter(pk=sar_id).exclude(status=RequestStatus.DONE).update(
        status=RequestStatus.FAILED, claimed_at=None, failure_reason=reason[:2000], progress_note="Failed"
    )


def subject_access_compute(*, sar_id):
    """Gather, write the JSON and the PDF, then store them with `done` while still claimed."""
    from .pdf import subject_access_pdf
    from .selectors import subject_access_document

    sar = SubjectAccessRequest.objects.select_related("child__family", "adult__family").get(pk=sar_id)
    if sar.subject is None:
        raise RuntimeError("The subject's record no longer exists.")
    subject_access_progress(sar_id=sar_id, percent=15, note="Gathering records from every agency")
    document = subject_access_document(sar=sar)
    subject_access_progress(sar_id=sar_id, percent=50, note="Writing the machine-readable file")
    export_json = json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8")
    subject_access_progress(sar_id=sar_id, percent=60, note="Laying out the PDF")
    export_pdf = subject_access_pdf(document=document)
    subject_access_progress(sar_id=sar_id, percent=95, note="Storing the export")
    stored = SubjectAccessRequest.objects.filter(pk=sar_id, status=RequestStatus.RUNNING).update(
        status=RequestStatus.DONE,
        export_json=export_json,
        export_pdf=export_pdf,
        completed_at=timezone.now(),
        claimed_at=None,
        progress=100,
        progress_note="Ready",
        failure_reason="",
        item_count=document["summary"]["items"],
        redaction_count=document["summary"]["redaction_review_items"],
    )
    if stored != 1:
        raise RuntimeError(f"Subject access request {sar_id} was no longer claimed by this job when it finished.")


def subject_access_download_audit(*, actor, sar, kind, request=None):
    """One EXPORT row per download, naming the child (the file holds their whole record)."""
    audit_record(
        user=actor,
        action=AuditAction.EXPORT,
        object_type="subject_access_request",
        object_id=sar.pk,
        child_id=sar.child_id_for_audit,
        detail=f"subject access export ({kind})",
        request=request,
    )
