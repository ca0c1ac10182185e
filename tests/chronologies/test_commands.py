"""The back-fill command gives older case records their entries, once."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from chronologies.models import ChronologyEntry
from concerns.services import concern_amend
from tests.factories import make_concern, make_plan

pytestmark = pytest.mark.django_db


def test_older_records_get_their_entries_once_and_an_amended_concern_ends_as_amended(world):
    """A concern amended once and a plan started and ended: 2 + 2 entries, then nothing more."""
    concern = make_concern(world.case, world.users["lead_practitioner"])
    concern_amend(
        actor=world.users["lead_practitioner"],
        concern=concern,
        reason="Date",
        observed_on=date(2026, 11, 2),
        neglect_types=["medical"],
        description="Untreated rash.",
        impact_on_child="Sore.",
    )
    make_plan(world.case, started_on=date(2026, 2, 1), ended_on=date(2026, 6, 1))
    # As if recorded before the chronology existed (amendments first: they protect what they supersede).
    # On PostgreSQL entries are deleted only under the retention flag, as an approved deletion does.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('neglect.retention_delete', 'on', true)")
        ChronologyEntry.objects.filter(original__isnull=False).delete()
        ChronologyEntry.objects.all().delete()
    first, second = StringIO(), StringIO()
    call_command("chronology_sync_case_records", stdout=first)
    call_command("chronology_sync_case_records", stdout=second)
    assert (first.getvalue(), second.getvalue()) == ("4 chronology entries written.\n", "0 chronology entries written.\n")
    current = ChronologyEntry.objects.filter(superseded_by__isnull=True, kind="concern").get()
    assert (current.summary, current.supersedes.summary) == ("Untreated rash.", concern.description)
