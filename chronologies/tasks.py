"""Background jobs of the chronology: long chronology PDFs (pdf_exports.py); the key-word themes of entries once matched (pattern_aggregates.py)."""

from celery import shared_task
from django.db import DatabaseError

from neglect_portal.jobs import run_claimed

from .models import EntryThemes


@shared_task(bind=True, acks_late=True, max_retries=3, soft_time_limit=600, time_limit=720)
def chronology_export_make(self, export_id):
    """Lay out one long chronology PDF, once per claim (pdf_exports.py).

    Idempotent: the claim is a conditional update that must change exactly one row, so a second
    delivery (acks_late redelivers after a worker dies) finds the export done or running and stops.
    The requester's access to the child is checked again here; a transient error gives the claim
    back and retries with backoff; any other error, or running out of time, marks the export failed
    with the reason shown on its page.
    """
    from .pdf_exports import chronology_export_claim, chronology_export_compute, chronology_export_fail, chronology_export_release

    return run_claimed(
        self,
        claim=lambda: chronology_export_claim(export_id=export_id),
        work=lambda: chronology_export_compute(export_id=export_id),
        release=lambda: chronology_export_release(export_id=export_id),
        fail=lambda reason: chronology_export_fail(export_id=export_id, reason=reason),
    )


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def entry_themes_store(dictionary, matches):
    """Store `matches` ([[entry id, "|code|..."]]) under `dictionary`; idempotent (a pair already stored is left as it is).

    A page that met entries not yet matched against the theme words matched them itself and queued
    this, so the next reader counts them in SQL alone. An entry deleted meanwhile is skipped.
    """
    from .models import ChronologyEntry

    existing = set(ChronologyEntry.objects.filter(pk__in=[pk for pk, _ in matches]).values_list("pk", flat=True))
    rows = [EntryThemes(entry_id=pk, dictionary=dictionary, themes=themes) for pk, themes in matches if pk in existing]
    EntryThemes.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


@shared_task(acks_late=True, soft_time_limit=1500, time_limit=1800)
def entry_themes_sweep():
    """Run by Celery beat every night at 00:50: match the theme window's entries not matched yet (pattern_aggregates.entry_themes_match_window).

    Returns how many entries were matched. Idempotent: a pair already stored is left as it is.
    """
    from django.utils import timezone

    from .pattern_aggregates import entry_themes_match_window

    return entry_themes_match_window(today=timezone.localdate())
