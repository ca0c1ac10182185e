"""Census jobs run by Celery beat (schedule: census migration 0004)."""

from celery import shared_task
from django.utils import timezone

from .services import census_upload_discard_unconfirmed


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def census_upload_discard_stale():
    """Hourly: delete uploaded returns left unconfirmed longer than CENSUS_UPLOAD_KEEP_HOURS.

    Idempotent: a redelivered or overlapping run finds nothing left to delete."""
    return f"deleted {census_upload_discard_unconfirmed(now=timezone.now())}"
