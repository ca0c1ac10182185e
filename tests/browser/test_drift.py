"""Drift flags in Chromium: a case page with several flags, one opened to its evidence, then acknowledged; the queue."""

from datetime import date

import pytest
import time_machine

from cases.models import Threshold
from chronologies.models import EntryKind
from tests.chronologies.builders import make_entry
from tests.factories import PASSWORD, make_action, make_plan

from .conftest import fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def november_2026():
    with time_machine.travel("2026-11-24 09:00 +0000", tick=True):
        yield


def _accessible(page, screenshot, name):
    screenshot(name)
    assert serious_violations(page) == [], name


def test_case_page_flags_their_evidence_and_an_acknowledgement(world, page, screenshot, november_2026):
    plan = make_plan(world.case, started_on=date(2025, 10, 4))
    make_action(plan, world.school, due_on=date(2026, 10, 1), what="Breakfast club every school day")
    make_entry(
        world.case.child,
        world.users["partner_practitioner"],
        occurred_on=date(2026, 10, 20),
        kind=EntryKind.SCHOOL_ATTENDANCE,
        attendance_percentage=84,
        summary="Attendance this half term",
    )
    world.case.threshold = Threshold.SPECIALIST
    world.case.save()
    sign_in(page, "csc_manager", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/")
    flags = page.locator("#flags")
    assert "Child protection plan for neglect open 13 months (since 4 Oct 2025)" in flags.inner_text()
    flags.get_by_test_id("flag-actions_overdue").get_by_text("The records behind this").click()
    assert flags.get_by_role("link", name="Due 1 Oct 2026: Breakfast club every school day (Riverside School)").is_visible()
    _accessible(page, screenshot, "drift-case-flags")

    flags.get_by_role("link", name="Record a decision about long child protection plan").click()
    page.get_by_role("button", name="Record the decision").click()
    assert "Give the reason for your decision" in page.locator(".govuk-error-summary").inner_text()
    _accessible(page, screenshot, "drift-acknowledge-error")
    page.get_by_label("Why the delay is acceptable").fill("Legal planning meeting on 1 December decides on proceedings.")
    fill_date(page, "Review date", "2026-12-08")
    page.get_by_role("button", name="Record the decision").click()
    assert "Acknowledged until 8 Dec 2026" in page.locator("#flags").inner_text()

    page.goto("/drift/queue/")
    assert page.get_by_role("heading", level=1).inner_text() == "Drift and delay"
    _accessible(page, screenshot, "drift-queue")
