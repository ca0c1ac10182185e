"""The level of need in Chromium (issue 15 item 2): from the case page, a step down refused for want of a review date, then recorded."""

import pytest
import time_machine

from tests.factories import PASSWORD

from .conftest import SCREENSHOTS, fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def november_2026():
    with time_machine.travel("2026-11-24 09:00 +0000", tick=True):
        yield


def _shot(page, name, width=None):
    SCREENSHOTS.mkdir(exist_ok=True)
    if width:
        page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert serious_violations(page) == [], name


def test_a_step_down_from_the_case_page(world, page, november_2026):
    sign_in(page, "lead_manager", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/")
    page.get_by_role("link", name="Change level of need").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change level of need"

    page.get_by_label("Universal Plus").check()
    page.get_by_label("Reasons for the decision").fill("Attendance back to 97% for a term; home conditions good at three visits.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Enter the date the step down will be reviewed" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Reasons for the decision").input_value().startswith("Attendance back to 97%")
    assert page.get_by_label("Universal Plus").is_checked()
    _shot(page, "need-change-error")
    _shot(page, "need-change-error-320", width=320)

    fill_date(page, "Review date", "2027-01-05")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/cases/{world.case.pk}/**")
    summary = page.locator("#summary")
    assert "Universal Plus" in summary.inner_text()
    summary.get_by_text("How the level of need changed (1)").click()
    assert "stepped down from Targeted Early Help to Universal Plus" in summary.inner_text()
    _shot(page, "need-case-page")
    _shot(page, "need-case-page-320", width=320)


def test_a_partner_sees_no_change_link(world, page, november_2026):
    sign_in(page, "partner_dsl", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/")
    assert "Targeted Early Help" in page.locator("#summary").inner_text()
    assert page.get_by_role("link", name="Change level of need").count() == 0
