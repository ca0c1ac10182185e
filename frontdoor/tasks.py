"""Background jobs of the front door: tell red flags and queue flag items after a write, and every night (frontdoor/refresh.py).

Both take ids only and are idempotent (a notice is one row per case, flag and start day; an item
one per case and flag while it waits), so a retried or repeated delivery changes nothing.
"""

from celery import shared_task
from django.db import DatabaseError

from .refresh import front_door_flags_refresh

BATCH = 200


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    soft_time_limit=240,
    time_limit=300,
)
def front_door_flags_refresh_cases(self, case_ids):
    """Look at the flags of up to `BATCH` cases (queued after a write to their household commits)."""
    return front_door_flags_refresh(case_ids=case_ids)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def front_door_flags_sweep():
    """Run by Celery beat every night at 00:40 (after drift's sweep): queue every open case, `BATCH` at a time."""
    from agencies.access import cases_visible_to, whole_record_reader
    from cases.models import CaseStatus

    ids = list(cases_visible_to(whole_record_reader()).filter(status=CaseStatus.OPEN).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        front_door_flags_refresh_cases.delay(ids[start : start + BATCH])
    return len(ids)
