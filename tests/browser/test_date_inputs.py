"""The one date input (day, month, year) where dates are typed to search: the audit log's filters and
find a child and the chronology. Typed in the boxes, refused with a GOV.UK message, kept as typed; at desktop width and
at 320 px, with no serious axe-core problem and no sideways scrolling."""

from datetime import date

import pytest

from tests.chronologies.builders import make_entry
from tests.factories import PASSWORD

from .conftest import date_value, fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}


def _both_widths(page, screenshot, name):
    screenshot(f"{name}-desktop")
    assert serious_violations(page) == [], name
    page.set_viewport_size(PHONE)
    screenshot(f"{name}-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert serious_violations(page) == [], name


def test_the_audit_log_filters_by_dates_typed_in_three_boxes(world, page, screenshot):
    sign_in(page, "auditor", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/audit/")
    assert page.locator('input[type="date"]').count() == 0, "no browser date picker"
    fill_date(page, "From date", "2026-05-02")
    fill_date(page, "To date", "2026-05-01")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    assert "To date must be the same as or after the from date." in summary.inner_text()
    assert date_value(page, "From date") == "2026-05-02", "what was typed is kept"
    assert date_value(page, "To date") == "2026-05-01"
    _both_widths(page, screenshot, "dates-audit-log-error")

    page.set_viewport_size({"width": 1280, "height": 900})
    fill_date(page, "To date", "2099-12-31")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".govuk-error-summary").count() == 0
    assert "date_from_day=2" in page.url and "date_to_year=2099" in page.url


def test_find_a_child_refuses_a_date_that_does_not_exist_and_keeps_the_parts(world, page, screenshot):
    child = world.case.child
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/cases/find/")
    assert page.locator('input[type="date"]').count() == 0, "no browser date picker"
    page.get_by_label("Given name").fill(child.given_name)
    page.get_by_label("Family name").fill(child.family_name)
    group = page.get_by_role("group", name="Date of birth")
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill("2015")
    page.get_by_role("button", name="Search").click()
    assert "real date" in page.locator(".govuk-error-summary").inner_text()
    assert [group.get_by_label(part).input_value() for part in ("Day", "Month", "Year")] == ["31", "2", "2015"]
    _both_widths(page, screenshot, "dates-find-a-child-error")

    page.set_viewport_size({"width": 1280, "height": 900})
    fill_date(page, "Date of birth", child.date_of_birth)
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("link", name=str(child)).is_visible()


def test_the_chronology_filters_by_dates_typed_in_three_boxes(world, page, screenshot):
    make_entry(world.case.child, world.users["lead_practitioner"], occurred_on=date(2026, 10, 1), summary="Home visit in October.")
    make_entry(world.case.child, world.users["lead_practitioner"], occurred_on=date(2026, 6, 1), summary="Home visit in June.")
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/chronologies/child/{world.case.child_id}/")
    page.get_by_text("Filter the chronology").click()
    fill_date(page, "From", "2026-09-01", exact=True)
    fill_date(page, "To", "2026-08-01", exact=True)
    page.get_by_role("button", name="Apply filters").click()
    assert "after the 'from' date" in page.locator(".govuk-error-summary").inner_text()
    assert date_value(page, "To", exact=True) == "2026-08-01", "what was typed is kept"
    _both_widths(page, screenshot, "dates-chronology-filter-error")

    page.set_viewport_size({"width": 1280, "height": 900})
    fill_date(page, "To", "2026-10-31", exact=True)
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator(".govuk-error-summary").count() == 0
    assert page.get_by_text("Home visit in October.").is_visible()
    assert page.get_by_text("Home visit in June.").count() == 0
