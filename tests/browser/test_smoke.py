import pytest

from tests.factories import PASSWORD

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_see_the_home_page_with_no_serious_accessibility_problems(world, page, screenshot):
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Leah"
    assert "Community Health Trust" in page.get_by_test_id("header-user").inner_text()
    assert page.get_by_role("table").get_by_role("link", name=str(world.case.child)).is_visible()
    screenshot("home-practitioner")
    assert serious_violations(page) == []


def test_login_page_errors_are_accessible(world, page, screenshot):
    sign_in(page, "lead_practitioner", "wrong")
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot("login-error")
    assert serious_violations(page) == []


def test_admin_pages_have_no_serious_accessibility_problems(world, page, screenshot):
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    for path, name in [("/partnership/agencies/", "agencies"), ("/partnership/users/new/", "user-form")]:
        page.goto(path)
        screenshot(f"admin-{name}")
        assert serious_violations(page) == [], path
