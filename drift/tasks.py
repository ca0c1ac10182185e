"""Background jobs of drift: refresh the stored flags of some cases; the nightly sweep of every open case.

Both are idempotent (a refresh stores what the rules say today, however often it runs) and take ids
only, re-reading everything (docs/conventions.md, "Background jobs"). See drift/refresh.py.
"""

from celery import shared_task
from django.db import DatabaseError

from .own_view import own_views_forget, own_views_warm
from .refresh import BATCH, batches, drift_flags_forget_closed, drift_flags_refresh, open_case_ids


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
def drift_flags_refresh_cases(self, case_ids):
    """Recompute and store the drift flags of up to `BATCH` cases (queued after a write commits, and by the sweep).

    Then warm their partner agencies' own views (drift/own_view.py), so a partner's case page and
    queue find their flags stored.
    """
    refreshed = drift_flags_refresh(case_ids=case_ids)
    own_views_warm(case_ids=case_ids)
    return len(refreshed)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def drift_flags_sweep():
    """Run by Celery beat every night at 00:10: queue a refresh of every open case, `BATCH` at a time.

    Time-based rules (a plan reaching 12 months, six weeks without seeing the child, an
    acknowledgement's review date) change with the date alone; this is what brings them in. Flags
    of cases closed since, and partner views of an earlier day, are removed first. Returns the number of batches queued.
    """
    drift_flags_forget_closed()
    own_views_forget()
    queued = 0
    for chunk in batches(open_case_ids().iterator(chunk_size=BATCH * 4)):
        drift_flags_refresh_cases.delay(chunk)
        queued += 1
    return queued
