"""Writes of the census app that are not the import itself (census.importing)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record

from .models import CensusUpload

CLEANUP_USERNAME = "census upload cleanup (scheduled)"


@transaction.atomic
def census_upload_discard_unconfirmed(*, now: datetime) -> int:
    """Delete the uploads nobody confirmed within `CENSUS_UPLOAD_KEEP_HOURS`; return how many.

    An upload is the whole return (every child in need's name, date of birth, UPN...), kept only so
    its uploader can confirm the dry run; one left unconfirmed has no other use. Confirmed uploads
    keep their row (the applied counts) and their file was already emptied on confirming. A
    confirmation running at the same moment holds the row lock: the delete waits, then finds it
    applied and leaves it. One audit row per run that deleted anything, naming the ids.
    """
    cutoff = now - timedelta(hours=settings.CENSUS_UPLOAD_KEEP_HOURS)
    ids = list(CensusUpload.objects.filter(applied_at__isnull=True, uploaded_at__lt=cutoff).values_list("pk", flat=True))
    if not ids:
        return 0
    deleted, _ = CensusUpload.objects.filter(pk__in=ids, applied_at__isnull=True).delete()
    audit_record(
        user=None,
        username=CLEANUP_USERNAME,
        action=AuditAction.DELETE,
        object_type="cin_census_upload",
        detail=f"deleted {deleted} unconfirmed upload{'s' if deleted != 1 else ''} older than {settings.CENSUS_UPLOAD_KEEP_HOURS} hours: {', '.join(map(str, ids))}",
    )
    return deleted
