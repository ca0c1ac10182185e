"""From a conference to the dashboard in Chromium (issue 15): two siblings' conference, not quorate, decides
"child protection plan started – neglect" for both; the plans show on both case pages; the quarter counts both.

Also the partner's view of the upcoming conferences (its own agency's invitations and report deadline).
Screenshots of the changed pages at desktop width and at 320 px go to screenshots/ for a person to look at.
"""

from datetime import date

import pytest
import time_machine

from conferences.models import Attendance, ConferenceKind
from dashboard.selectors import compute_measures
from neglect_portal.quarters import quarter_of
from plans.models import Plan, PlanKind
from tests.conferences.builders import make_conference, record
from tests.factories import PASSWORD, make_case, make_child

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The school sent its report; the children could not wait for another conference."


@pytest.fixture
def november_2026():
    # The clock keeps ticking (the browser waits on it) from Tuesday 24 November 2026.
    with time_machine.travel("2026-11-24 09:00 +0000", tick=True):
        yield


def _both_widths(page, screenshot, name):
    """Screenshot at desktop width and at 320 px (reflow), each free of serious accessibility violations."""
    screenshot(f"{name}-desktop")
    assert serious_violations(page) == [], name
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(f"{name}-320")
    assert serious_violations(page) == [], f"{name} at 320 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_siblings_conference_starts_plans_that_the_quarter_counts(world, page, screenshot, november_2026):
    quarter = quarter_of(date(2026, 11, 24))
    before = compute_measures(quarter=quarter)["cp_children"]
    sister = make_child(given_name="Amy", family=world.case.child.family, date_of_birth=date(2017, 3, 1))
    sisters_case = make_case(world.health, child=sister, team=[world.school])
    conference = make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        kind=ConferenceKind.INITIAL,
        held_on=date(2026, 11, 23),
        strategy_discussion_on=date(2026, 11, 2),
        siblings=[sisters_case],
        invitations=[world.csc, world.health, world.school],
    )
    # The school sent apologies: two of the three agencies needed took part.
    record(conference, world.users["csc_manager"], {world.csc: Attendance.IN_PERSON, world.health: Attendance.VIRTUAL, world.school: Attendance.APOLOGIES})

    sign_in(page, "csc_manager", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/conferences/{conference.pk}/")
    page.get_by_role("link", name="Record decisions").click()
    assert "Not quorate: 2 of the 3 agencies needed took part" in page.get_by_test_id("not-quorate").inner_text()
    for child in (world.case.child, sister):
        page.get_by_label(f"Decision for {child}", exact=True).select_option("plan_started")
        page.get_by_label(f"Category of {child}'s plan").select_option("neglect")

    # Without the chair's reason the decisions are refused, with the choices kept.
    page.get_by_role("button", name="Save decisions").click()
    assert "Enter why decisions are made although the conference is not quorate" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label(f"Decision for {sister}", exact=True).input_value() == "plan_started"
    _both_widths(page, screenshot, "issue15-decisions-reason-error")
    page.get_by_label("Why decisions are made although the conference is not quorate").fill(REASON)
    page.get_by_role("button", name="Save decisions").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Initial child protection conference"
    assert REASON in page.get_by_test_id("inquorate-reason").inner_text()
    assert page.get_by_test_id("children").inner_text().count("Neglect (NEG)") == 2
    _both_widths(page, screenshot, "issue15-conference-detail")

    # A plan on both siblings' case pages.
    for case in (world.case, sisters_case):
        page.goto(f"/cases/{case.pk}/")
        plans = page.locator("#plans").inner_text()
        assert "Child Protection – Neglect (NEG)" in plans and "Started 23 November 2026" in plans

    # The quarter's dashboard counts both children on a plan.
    started = Plan.objects.filter(kind=PlanKind.CHILD_PROTECTION, ended_on__isnull=True, case__in=[world.case, sisters_case])
    assert started.count() == 2
    assert compute_measures(quarter=quarter)["cp_children"] == before + 2


def test_a_partner_sees_its_invitations_and_records_its_report(world, page, screenshot, november_2026):
    conference = make_conference(
        world.case,
        actor=world.users["csc_manager"],
        chair=world.users["csc_manager"],
        held_on=date(2026, 12, 8),
        kind=ConferenceKind.REVIEW,
        invitations=[world.csc, world.health, world.school],
    )
    sign_in(page, "partner_dsl", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Upcoming conferences").first.click()
    school = conference.invitations.get(agency=world.school)
    card = page.get_by_test_id(f"invitation-{school.pk}")
    assert "Due by 1 December 2026" in card.get_by_test_id("report").inner_text()
    _both_widths(page, screenshot, "issue15-upcoming-partner")
    card.get_by_role("button", name="Record that we sent our report").click()
    assert "On time" in page.get_by_test_id(f"invitation-{school.pk}").get_by_test_id("report").inner_text()
    _both_widths(page, screenshot, "issue15-upcoming-partner-report-sent")
