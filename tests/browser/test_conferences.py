"""A conference in Chromium: schedule it, record the attendance table (with a mistake first), the decision, then the lists."""

from datetime import date

import pytest
import time_machine

from conferences.models import ConferenceKind
from tests.conferences.builders import make_conference
from tests.factories import PASSWORD

from .conftest import date_value, fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def november_2026():
    # The clock keeps ticking (the browser waits on it) from Tuesday 24 November 2026.
    with time_machine.travel("2026-11-24 09:00 +0000", tick=True):
        yield


def _accessible(page, screenshot, name):
    screenshot(name)
    assert serious_violations(page) == [], name


def test_schedule_a_conference_and_record_its_attendance_and_decision(world, page, screenshot, november_2026):
    sign_in(page, "csc_manager", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/conferences/cases/{world.case.pk}/")
    _accessible(page, screenshot, "conferences-case-list-empty")
    page.get_by_role("link", name="Schedule a conference").click()

    # Schedule an initial conference held yesterday, 15 working days after the strategy discussion.
    page.get_by_label("Initial child protection conference").check()
    fill_date(page, "Date", "2026-11-23", exact=True)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Virtual").check()
    fill_date(page, "Date of the strategy discussion", "2026-11-02")
    page.get_by_label("Person invited from Riverside School", exact=True).fill("Ms Jones")
    _accessible(page, screenshot, "conferences-schedule")
    page.get_by_role("button", name="Schedule the conference").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Initial child protection conference"
    assert "Within timescale" in page.get_by_test_id("timescale").inner_text()

    # The attendance table: the school did not attend; its impact is left out at first.
    page.get_by_role("link", name="Record attendance and reports").click()
    page.get_by_label("Attendance of Children's Social Care").select_option("in_person")
    fill_date(page, "Date Children's Social Care's report was received", "2026-11-18")
    page.get_by_label("Attendance of Community Health Trust").select_option("virtual")
    fill_date(page, "Date Community Health Trust's report was received", "2026-11-19")
    page.get_by_label("Attendance of Riverside School").select_option("did_not_attend")
    page.get_by_role("button", name="Save attendance and reports").click()
    summary = page.locator(".govuk-error-summary")
    assert "Describe the impact of Riverside School's absence on the conference" in summary.inner_text()
    assert date_value(page, "Date Community Health Trust's report was received") == "2026-11-19"
    _accessible(page, screenshot, "conferences-attendance-error")
    page.get_by_label("Impact of Riverside School's absence").fill("No information on the children's school attendance or presentation.")
    _accessible(page, screenshot, "conferences-attendance")
    page.get_by_role("button", name="Save attendance and reports").click()
    assert page.get_by_test_id("quorum").inner_text() == "Not quorate: 2 of the 3 agencies needed took part"
    assert "Late" in page.get_by_test_id("invitations").get_by_role("row", name="Community Health Trust").inner_text()

    # The decision for the child.
    page.get_by_role("link", name="Record decisions").click()
    page.get_by_label(f"Decision for {world.case.child}", exact=True).select_option("plan_started")
    page.get_by_label(f"Category of {world.case.child}'s plan").select_option("neglect")
    page.get_by_label("Why decisions are made although the conference is not quorate").fill("The school sent its view in writing.")  # issue 15
    _accessible(page, screenshot, "conferences-decisions")
    page.get_by_role("button", name="Save decisions").click()
    assert "Neglect (NEG)" in page.get_by_test_id("children").inner_text()
    _accessible(page, screenshot, "conferences-detail")

    page.goto(f"/conferences/cases/{world.case.pk}/")
    assert "Child protection plan started (Neglect)" in page.get_by_test_id("case-conferences").inner_text()
    _accessible(page, screenshot, "conferences-case-list")
    make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_practitioner"],
        held_on=date(2026, 12, 1),
        kind=ConferenceKind.CORE_GROUP,
        invitations=[world.csc, world.health, world.school],
    )
    page.goto("/conferences/upcoming/")
    assert "Core group" in page.get_by_test_id("upcoming").inner_text()
    _accessible(page, screenshot, "conferences-upcoming")
    page.goto("/conferences/attendance/?start=2026-10-01&end=2026-12-31")
    assert "Riverside School" in page.get_by_test_id("attendance-report").inner_text()
    _accessible(page, screenshot, "conferences-attendance-report")
