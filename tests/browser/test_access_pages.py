"""The pages of issue 22 in Chromium, at desktop width and at 320 px: a refusal that says why, find a child
after a search (a POST, no identifiers in the URL), and the case-grant page. Each passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.access import case_grant
from tests.factories import PASSWORD

from .conftest import fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def _both_widths(page, screenshot, name):
    screenshot(name)
    assert serious_violations(page) == []
    page.set_viewport_size(NARROW)
    screenshot(f"{name}-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], "nothing wider than the screen"
    assert serious_violations(page) == []


def test_a_refusal_says_why(world, page, screenshot):
    sign_in(page, "partner_dsl", PASSWORD)
    page.wait_for_url("**/")
    response = page.goto(f"/cases/{world.case.pk}/oversight/new/")
    assert response.status == 403
    reason = page.get_by_test_id("refusal-reason").inner_text()
    assert "oversee this case" in reason
    _both_widths(page, screenshot, "refusal-with-reason")


def test_find_a_child_posts_and_shows_results_without_identifiers_in_the_url(world, page, screenshot):
    child = world.case.child
    sign_in(page, "partner_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/cases/find/")
    page.get_by_label("Given name").fill(child.given_name)
    page.get_by_label("Family name").fill(child.family_name)
    fill_date(page, "Date of birth", child.date_of_birth)
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.url.endswith("/cases/find/"), page.url
    assert page.get_by_role("link", name=str(child)).is_visible()
    _both_widths(page, screenshot, "find-a-child-results")
    page.get_by_role("button", name="Record a concern about this child").click()
    page.wait_for_load_state()
    assert page.url.endswith("/cases/concerns/new/")
    assert page.get_by_label("Family name").input_value() == child.family_name


def test_the_case_grant_page(world, page, screenshot):
    case_grant(
        granted_by=world.users["admin"],
        case=world.case,
        agency=world.public_health,
        reason="Health needs assessment for the review",
        expires_on=timezone.localdate() + timedelta(days=60),
    )
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/partnership/case-grants/")
    page.get_by_role("button", name="Grant", exact=True).click()
    assert page.locator(".govuk-error-summary").is_visible()
    _both_widths(page, screenshot, "case-grants")
