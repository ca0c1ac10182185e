"""Background jobs of the chronology: keep the key-word themes of entries once they are matched (pattern_aggregates.py)."""

from celery import shared_task
from django.db import DatabaseError

from .models import EntryThemes


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
