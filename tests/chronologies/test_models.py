"""The entry table's own guarantees: recorded once, required impact, attendance only on attendance, one chain per source."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cases.models import ImmutableRecordError
from chronologies.models import ChronologyEntry, DatePrecision, EntryKind, SourceType

from .builders import make_entry

pytestmark = pytest.mark.django_db


def row(world, **fields):
    values = {
        "child": world.case.child,
        "agency": world.school,
        "occurred_on": date(2026, 10, 1),
        "kind": EntryKind.OTHER,
        "summary": "Something happened",
        "impact_on_child": "Upset",
    }
    return ChronologyEntry(**{**values, **fields})


def test_a_saved_entry_cannot_be_changed_through_the_model(world):
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    entry.summary = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        ChronologyEntry.objects.filter(pk=entry.pk).update(summary="Rewritten")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_an_entry(world):
    entry = make_entry(world.case.child, world.users["partner_practitioner"])
    with pytest.raises(DatabaseError, match="recorded once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE chronologies_chronologyentry SET summary = 'Rewritten' WHERE id = %s", [entry.pk])


@pytest.mark.parametrize(
    "fields",
    [
        {"impact_on_child": ""},
        {"summary": ""},
        {"attendance_percentage": 80},
        {"kind": EntryKind.SCHOOL_ATTENDANCE, "attendance_percentage": 101},
        {"source_type": SourceType.CONCERN},
        {"amendment_reason": "Corrected"},
    ],
    ids=["no impact", "no summary", "attendance on a visit", "attendance over 100", "source without id", "reason without amendment"],
)
def test_the_database_refuses_a_malformed_entry(world, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(world, **fields).save()


def test_one_chain_per_source_record(world):
    row(world, source_type=SourceType.CONCERN, source_id=7).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row(world, source_type=SourceType.CONCERN, source_id=7).save()


def test_an_external_id_once_per_agency(world):
    row(world, external_id="A1").save()
    row(world, external_id="A1", agency=world.health).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row(world, external_id="A1").save()


@pytest.mark.parametrize(
    ("precision", "shown"),
    [(DatePrecision.DAY, "3 March 2026"), (DatePrecision.MONTH, "March 2026"), (DatePrecision.APPROXIMATE, "About 3 March 2026")],
)
def test_the_date_reads_as_precisely_as_it_is_known(world, precision, shown):
    assert row(world, occurred_on=date(2026, 3, 3), date_precision=precision).date_display == shown
