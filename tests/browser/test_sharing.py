"""Sharing decisions and edit conflicts in Chromium: the pages read well and pass axe."""

from datetime import date

import pytest

from plans.services import plan_action_update
from tests.factories import PASSWORD, make_action, make_concern, make_plan

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_case_page_shows_the_sharing_decisions(world, page, screenshot):
    make_concern(world.case, world.users["partner_practitioner"], description="Came in without a coat again")
    sign_in(page, "lead_manager", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/#sharing")
    log = page.locator("#sharing").inner_text()
    assert "The team needs to know to keep the child safe" in log and "Public task" in log
    screenshot("case-sharing-decisions")
    assert serious_violations(page) == []


def test_a_concern_without_the_sharing_decision_shows_its_errors(world, page, screenshot):
    sign_in(page, "partner_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/concerns/new/")
    page.get_by_label("What you saw, heard, smelt or were told").fill("Came in without a coat again.")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose the lawful basis for sharing" in summary and "Say why you are sharing this information" in summary
    assert page.get_by_label("What you saw, heard, smelt or were told").input_value() == "Came in without a coat again."
    screenshot("concern-sharing-errors")
    assert serious_violations(page) == []


def test_an_edit_conflict_keeps_the_users_text_and_shows_the_other_change(world, page, screenshot):
    action = make_action(make_plan(world.case, started_on=date(2026, 1, 12)), world.school, what="Breakfast club place")
    sign_in(page, "partner_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/actions/{action.pk}/")
    plan_action_update(actor=world.users["lead_practitioner"], action=action, status="in_progress", evidence="Booked by the health visitor", expected_version=1)
    page.get_by_label("Evidence").fill("He has eaten breakfast every day this week.")
    page.get_by_role("button", name="Save").click()
    assert "Someone else changed this record" in page.locator(".govuk-error-summary").inner_text()
    assert "Booked by the health visitor" in page.locator("#their-changes").inner_text()
    assert page.get_by_label("Evidence").input_value() == "He has eaten breakfast every day this week."
    screenshot("action-edit-conflict")
    assert serious_violations(page) == []
