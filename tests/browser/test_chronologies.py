"""A child's multi-agency chronology in Chromium: patterns on top, significant entries standing out, filters, forms."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from chronologies.models import EntryKind, Significance
from chronologies.services import chronology_entry_record
from tests.factories import PASSWORD, make_concern

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def november_2026():
    # The clock keeps ticking (the browser waits on it) from a fixed start.
    with time_machine.travel("2026-11-24 09:00 +0000", tick=True):
        yield


def _accessible(page, screenshot, name):
    screenshot(name)
    assert serious_violations(page) == [], name


def _record(world, user_kind, **fields):
    return chronology_entry_record(actor=world.users[user_kind], child=world.case.child, **fields)


@pytest.fixture
def chronology(world, november_2026):
    """Concerns from health and the school, a restricted police call-out, low attendance, missed appointments."""
    make_concern(
        world.case,
        world.users["lead_practitioner"],
        observed_on=date(2026, 9, 14),
        neglect_types=("physical", "nutritional"),
        description="At the clinic in a soiled nappy; weight below the 2nd centile.",
        impact_on_child="Sore skin; not gaining weight.",
    )
    make_concern(
        world.case,
        world.users["partner_practitioner"],
        observed_on=date(2026, 10, 6),
        neglect_types=("nutritional",),
        description="Hungry at breakfast club three days running.",
        impact_on_child="Cannot concentrate; asks other children for food.",
    )
    _record(
        world,
        "partner_practitioner",
        occurred_on=date(2026, 10, 23),
        kind=EntryKind.SCHOOL_ATTENDANCE,
        attendance_percentage=Decimal("84.5"),
        summary="Autumn half-term attendance.",
        impact_on_child="Missed 6 days of learning; behind in reading.",
        significance=Significance.SIGNIFICANT,
    )
    for day in (2, 16, 30):
        _record(
            world,
            "lead_practitioner",
            occurred_on=date(2026, 10, day),
            kind=EntryKind.HEALTH_APPOINTMENT_MISSED,
            summary="Was not brought to the dental appointment.",
            impact_on_child="Tooth pain continues untreated.",
        )
    _record(
        world,
        "granted",
        occurred_on=date(2026, 11, 8),
        kind=EntryKind.POLICE_CALL_OUT,
        restricted=True,
        significance=Significance.CRITICAL,
        summary="Called to the home at 2am: adults shouting; children alone downstairs.",
        impact_on_child="Frightened; no adult supervising.",
    )


def test_a_childs_chronology_shows_patterns_first_and_is_accessible(world, chronology, page, screenshot):
    sign_in(page, "csc_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/chronologies/child/{world.case.child_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Multi-agency chronology"
    for code in ("cumulative_concerns", "missed_appointments", "absence_alongside_concerns", "theme_neglect_nutritional"):
        assert page.get_by_test_id(f"pattern-{code}").is_visible(), code
    assert "Showing 1 to 7 of 7 entries" in page.get_by_test_id("entry-count").inner_text()
    police = page.locator("li.app-flag--red")
    assert "Critical" in police.inner_text() and "Restricted" in police.inner_text()
    _accessible(page, screenshot, "chronology-child")

    # Each pattern links to the entries behind it (the chronology page itself loads none of them).
    page.get_by_role("link", name="See the 4 entries behind “cumulative concerns”").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cumulative concerns"
    assert page.locator("main li[data-testid^=entry-]").count() == 4
    _accessible(page, screenshot, "chronology-pattern")
    page.get_by_role("link", name="Back to the chronology").click()

    page.get_by_text("Filter the chronology").click()
    page.get_by_label("Significance").select_option("significant")
    page.get_by_role("button", name="Apply filters").click()
    assert "Showing 1 to 3 of 3 entries, filtered by Significance: Significant" in page.get_by_test_id("entry-count").inner_text()
    _accessible(page, screenshot, "chronology-child-filtered")


def test_the_school_does_not_see_the_police_entry_and_adding_an_entry_is_accessible(world, chronology, page, screenshot):
    sign_in(page, "partner_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/chronologies/child/{world.case.child_id}/")
    assert "Called to the home at 2am" not in page.locator("main").inner_text()
    page.get_by_role("button", name="Add an entry").click()
    page.get_by_role("button", name="Add the entry").click()
    assert "Describe the impact on the child" in page.locator(".govuk-error-summary").inner_text()
    _accessible(page, screenshot, "chronology-entry-form-errors")


def test_the_whole_familys_chronology_is_accessible(world, chronology, page, screenshot):
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/chronologies/child/{world.case.child_id}/")
    page.get_by_role("link", name="See the whole family's chronology").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Whole-family chronology"
    _accessible(page, screenshot, "chronology-family")


def test_importing_a_file_is_accessible_from_upload_to_check(world, november_2026, page, screenshot, tmp_path):
    child = world.case.child
    csv = tmp_path / "attendance.csv"
    csv.write_text(
        "external_id,given_name,family_name,date_of_birth,date,kind,summary,impact_on_child,attendance_percentage\n"
        f"T1,{child.given_name},{child.family_name},2015-06-01,2026-10-23,school_attendance,Autumn half term,Missed learning,84.5\n"
        "T2,Nobody,Known,2015-06-01,2026-10-23,school_attendance,Autumn half term,Missed learning,84.5\n"
        f"T3,{child.given_name},{child.family_name},2015-06-01,23/13/2026,school_absence,Absent,Missed learning,\n"
    )
    sign_in(page, "partner_dsl", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/chronologies/import/")
    _accessible(page, screenshot, "chronology-import")
    page.get_by_label("Upload a CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_test_id("import-summary").inner_text().startswith("1 entry will be added.")
    _accessible(page, screenshot, "chronology-import-check")
    page.get_by_role("button", name="Import 1 entry").click()
    assert "1 entry imported. 2 rows had errors" in page.locator(".govuk-notification-banner").inner_text()
