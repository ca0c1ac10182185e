"""The Quarterly Neglect Dashboard in Chromium: a strategy member opens the last complete quarter and moves back one."""

import pytest
import time_machine

from dashboard.services import target_set
from tests.dashboard.conftest import county  # noqa: F401  (fixture)
from tests.factories import PASSWORD

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def april_2026():
    # The county's figures are for 2025-26-Q4, the last complete quarter on this day.
    with time_machine.travel("2026-04-10 09:00 +0000", tick=True):
        yield


@pytest.mark.usefixtures("county")
def test_a_strategy_member_reads_the_dashboard(world, page, screenshot, april_2026):
    # No built-in targets: the strategy group sets one, and only then is there a RAG.
    target_set(actor=world.users["strategy"], measure_key="cp_neglect_12m_plus_pct", value=10, reason="Board's aim for 2025-26")
    sign_in(page, "strategy", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/dashboard/")
    page.wait_for_url("**/dashboard/2025-26-Q4/")
    assert page.get_by_role("heading", level=1).inner_text() == "Quarterly neglect dashboard"
    long_plans = page.get_by_test_id("tile-cp_neglect_12m_plus_pct")
    assert long_plans.get_by_test_id("value").inner_text() == "20%"
    assert "Red" in long_plans.locator(".govuk-tag").inner_text()
    assert page.get_by_role("img", name="Line chart of children on child protection plans by quarter.", exact=False).is_visible()
    screenshot("dashboard-quarter")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Previous quarter").click()
    page.wait_for_url("**/dashboard/2025-26-Q3/")
    assert page.get_by_test_id("tile-cp_children").get_by_test_id("value").inner_text() == "6"
