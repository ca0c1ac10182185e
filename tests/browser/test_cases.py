"""Case work in Chromium: record a concern end to end; the case page and the form are accessible."""

import re
from datetime import date

import pytest

from tests.factories import PASSWORD, make_action, make_concern, make_plan

from .conftest import fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_a_concern_end_to_end(world, page, screenshot):
    child = world.case.child
    sign_in(page, "partner_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Record a concern").first.click()
    page.get_by_label("Given name").fill(child.given_name)
    page.get_by_label("Family name").fill(child.family_name)
    fill_date(page, "Date of birth", child.date_of_birth)
    page.get_by_role("button", name="Record the concern").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Given name").input_value() == child.given_name, "typed text is kept"
    screenshot("concern-form-errors")
    assert serious_violations(page) == []

    fill_date(page, "Date observed", date.today())
    page.get_by_label("Nutritional").check()
    page.get_by_label("Lack of supervision and guidance").check()
    page.get_by_label("What you saw, heard, smelt or were told").fill("Arrived without breakfast for the third day; said mum was asleep.")
    page.get_by_label("Impact on the child").fill("Hungry and tired, could not settle in class.")
    page.get_by_label("Why you are sharing this").fill("The team needs to know she is going without food.")
    page.get_by_label("Public task – UK GDPR Article 6(1)(e)").check()
    page.get_by_label("Safeguarding of children and individuals at risk – DPA 2018 Schedule 1 paragraph 18").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the concern").click()
    # The same answer whatever the register holds (issue 22, finding 4): home, with a reference; then the case shows it.
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    assert "Concern recorded" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"/cases/{world.case.pk}/")
    assert "Arrived without breakfast" in page.locator("#concerns").inner_text()


def test_case_page_with_plans_overdue_actions_and_amendments(world, page, screenshot):
    plan = make_plan(world.case, started_on=date(2026, 1, 12))
    make_action(plan, world.school, due_on=date(2026, 3, 1), what="Attendance support meeting")
    make_action(plan, world.health, due_on=date(2027, 1, 15), what="Dental registration")
    make_concern(world.case, world.users["lead_practitioner"], description="Home cold, no food in the fridge", impact_on_child="Child hungry and cold")
    sign_in(page, "lead_manager", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/")
    assert page.locator(".app-overdue").count() == 1
    screenshot("case-page")
    assert serious_violations(page) == []
