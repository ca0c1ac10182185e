"""Importing an agency's CSV: every bad row reported by row, column and reason; good rows kept; nothing twice."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AccessEvent, AuditAction
from chronologies.importing import NO_VISIBLE_CHILD, ImportFileError, RowError, plan_import
from chronologies.models import ChronologyEntry, EntryKind, Significance
from chronologies.services import chronology_import
from tests.factories import make_case, make_child

pytestmark = pytest.mark.django_db

HEADER = "external_id,given_name,family_name,date_of_birth,nhs_number,upn,date,kind,summary,impact_on_child,action_taken,significance"


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def row(
    external_id="A1",
    given="Test",
    family=None,
    born="2015-06-01",
    nhs="",
    upn="",
    on="2026-10-01",
    kind="home_visit",
    summary="Home visit",
    impact="Cold house",
    action="",
    significance="",
):
    return ",".join([external_id, given, family, born, nhs, upn, on, kind, summary, impact, action, significance])


@pytest.fixture
def child(world):
    return world.case.child


@pytest.fixture
def school(world):
    return world.users["partner_practitioner"]


def check(user, text):
    return plan_import(user=user, agency_id=user.membership.agency_id, text=text)


def test_a_dry_run_shows_the_entries_and_writes_nothing(child, school):
    plan = check(school, csv_of(row(family=child.family_name, significance="significant")))
    [planned] = plan.planned
    assert (planned.row, planned.entry.child, planned.entry.kind, planned.entry.significance) == (2, child, EntryKind.HOME_VISIT, Significance.SIGNIFICANT)
    assert plan.errors == [] and not ChronologyEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"on": "31/02/2026"}, "date", "Enter the date as a real date, like 2026-03-14 or 14/03/2026 (not “31/02/2026”)"),
        ({"on": "next Tuesday"}, "date", "Enter the date as a real date"),
        ({"on": ""}, "date", "Enter the date of the event"),
        ({"on": "2026-11-25"}, "date", "The date must be today or in the past"),
        ({"born": "2015-13-01"}, "date_of_birth", "Enter the date of birth as a real date"),
        ({"kind": "picnic"}, "kind", "The kind must be one of: concern, home_visit"),
        ({"impact": ""}, "impact_on_child", "Describe the impact on the child"),
        ({"significance": "urgent"}, "significance", "The significance must be one of: routine, significant, critical"),
        ({"nhs": "1234567890"}, "nhs_number", "Enter a valid NHS number: the check digit does not match"),
        ({"external_id": ""}, "external_id", "Enter your system's id for the event"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_column_and_reason(child, school, changes, column, message):
    plan = check(school, csv_of(row(external_id="GOOD", family=child.family_name), row(**{"family": child.family_name, **changes})))
    [error] = plan.errors
    assert (error.row, error.column) == (3, column)
    assert error.message.startswith(message)
    assert [planned.row for planned in plan.planned] == [2]


def test_a_kind_may_be_given_by_its_name(child, school):
    plan = check(school, csv_of(row(family=child.family_name, kind="A&E or urgent care attendance")))
    assert plan.planned[0].entry.kind == EntryKind.URGENT_CARE


def test_an_unknown_child_and_a_child_the_user_cannot_see_get_the_same_error(world, school):
    hidden = make_case(world.police, child=make_child(given_name="Hidden", family_name="Away", date_of_birth=date(2014, 1, 1))).child
    plan = check(
        school,
        csv_of(
            row(external_id="NOBODY", given="No", family="Body", born="2014-01-01"),
            row(external_id="HIDDEN", given=hidden.given_name, family=hidden.family_name, born="2014-01-01"),
        ),
    )
    assert plan.errors == [RowError(2, "child identifiers", NO_VISIBLE_CHILD), RowError(3, "child identifiers", NO_VISIBLE_CHILD)]


def test_a_child_is_found_by_nhs_number_or_upn(world, school):
    child = make_child(nhs_number="9434765919", upn="A123456789012")
    make_case(world.health, child=child, team=[world.school])
    plan = check(
        school,
        csv_of(row(external_id="N", given="", family="", born="", nhs="943 476 5919"), row(external_id="U", given="", family="", born="", upn="a123456789012")),
    )
    assert plan.errors == [] and [planned.entry.child for planned in plan.planned] == [child, child]


def test_identifiers_that_contradict_the_child_found_are_refused(world, school):
    child = make_child(nhs_number="9434765919")
    make_case(world.health, child=child, team=[world.school])
    plan = check(school, csv_of(row(external_id="X", given="Someone", family="Else", born="2015-06-01", nhs="9434765919")))
    assert plan.errors == [RowError(2, "child identifiers", NO_VISIBLE_CHILD)]


def test_an_external_id_twice_in_one_file_is_an_error_on_the_second(child, school):
    plan = check(school, csv_of(row(external_id="DUP", family=child.family_name), row(external_id="DUP", family=child.family_name)))
    assert plan.errors == [RowError(3, "external_id", "The external id DUP is also on row 2: each event once")]
    assert [planned.row for planned in plan.planned] == [2]


def test_a_file_without_its_required_columns_is_refused_whole(school):
    with pytest.raises(ImportFileError, match="missing: impact_on_child"):
        check(school, "external_id,nhs_number,date,kind,summary\nA,9434765919,2026-01-01,other,x\n")


def test_a_school_attendance_row_keeps_its_percentage(child, school):
    header = HEADER + ",attendance_percentage"
    plan = check(school, csv_of(row(family=child.family_name, kind="school_attendance") + ",86.5", header=header))
    assert plan.planned[0].entry.attendance_percentage == Decimal("86.5")


# --- Importing --------------------------------------------------------------------------------------


def test_a_mixed_file_imports_the_good_rows_and_reports_the_bad(child, school):
    text = csv_of(
        row(external_id="G1", family=child.family_name),
        row(external_id="B1", family=child.family_name, on="yesterday"),
        row(external_id="G2", family=child.family_name, kind="school_absence", summary="Absent all week"),
        row(external_id="B2", given="Nobody", family="Known"),
    )
    plan = chronology_import(actor=school, text=text)
    assert [(error.row, error.column) for error in plan.errors] == [(3, "date"), (5, "child identifiers")]
    entries = ChronologyEntry.objects.order_by("external_id")
    assert [(entry.external_id, entry.agency, entry.author, entry.child) for entry in entries] == [
        ("G1", school.membership.agency, school, child),
        ("G2", school.membership.agency, school, child),
    ]


def test_importing_the_same_file_again_creates_nothing_twice(child, school):
    text = csv_of(row(external_id="G1", family=child.family_name), row(external_id="G2", family=child.family_name))
    chronology_import(actor=school, text=text)
    again = chronology_import(actor=school, text=text)
    assert again.planned == [] and again.already_imported == [(2, "G1"), (3, "G2")]
    assert ChronologyEntry.objects.count() == 2


def test_another_agency_may_use_the_same_external_id(world, child, school):
    text = csv_of(row(external_id="G1", family=child.family_name))
    chronology_import(actor=school, text=text)
    chronology_import(actor=world.users["lead_practitioner"], text=text)
    assert ChronologyEntry.objects.filter(external_id="G1").count() == 2


def test_an_import_writes_one_audit_row_per_child_given_entries(world, child, school):
    sibling = make_case(world.health, child=make_child(given_name="Ava", family_name="Bell", date_of_birth=date(2019, 2, 2)), team=[world.school]).child
    before = AccessEvent.objects.count()
    chronology_import(
        actor=school,
        text=csv_of(
            row(external_id="G1", family=child.family_name),
            row(external_id="G2", family=child.family_name),
            row(external_id="G3", given="Ava", family="Bell", born="02/02/2019"),
        ),
    )
    events = AccessEvent.objects.order_by("id")[before:]
    assert sorted((event.action, event.child_id, event.detail) for event in events) == sorted(
        [
            (AuditAction.CREATE, child.pk, "imported 2 entries from Riverside School's file"),
            (AuditAction.CREATE, sibling.pk, "imported 1 entry from Riverside School's file"),
        ]
    )
