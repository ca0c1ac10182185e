"""Chronology entries for tests, made through the services (or bulk, for volume)."""

from datetime import date

from chronologies.models import ChronologyEntry, EntryKind, Significance
from chronologies.services import chronology_entry_record


def make_entry(
    child,
    actor,
    *,
    occurred_on=date(2026, 10, 1),
    kind=EntryKind.HOME_VISIT,
    summary="Home visit: no food in the fridge.",
    impact_on_child="Went to bed hungry.",
    **kwargs,
):
    return chronology_entry_record(actor=actor, child=child, occurred_on=occurred_on, kind=kind, summary=summary, impact_on_child=impact_on_child, **kwargs)


def bulk_entries(child, agency, count, *, start=date(2020, 1, 1), significance=Significance.ROUTINE):
    """`count` plain entries on consecutive days from `start`, written in one statement."""
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            child=child,
            agency=agency,
            occurred_on=date.fromordinal(start.toordinal() + number % 2000),
            kind=EntryKind.HOME_VISIT,
            summary=f"Visit number {number}",
            impact_on_child="Needs met on the day.",
            significance=significance,
        )
        for number in range(count)
    )
