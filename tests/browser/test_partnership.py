"""Action plans in Chromium: a strategy member reviews the plans, records a quarterly update (after one
mistake), and an admin opens the partnership profile. Screenshots go to screenshots/ for a person to look at."""

import pytest
import time_machine

from partnership.models import ActionPlan, Rag
from tests.factories import PASSWORD
from tests.partnership.conftest import make_row, make_update

from .conftest import SCREENSHOTS, fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def april_2026():
    with time_machine.travel("2026-04-10 09:00 +0000", tick=True):
        yield


@pytest.fixture
def reviewed_plans(world, april_2026):
    """Made on the travelled clock, so that the update recorded in the browser is the later one."""
    strategy, admin = world.users["strategy"], world.users["admin"]
    own = ActionPlan.objects.create(agency=world.public_health)
    gcp2 = make_row(
        own,
        strategy,
        objective="Health visitors and school nurses use GCP2 where neglect is suspected",
        action="Train all 0-19 staff in GCP2",
        input="Two GCP2 trainers, 3 days each quarter",
        desired_outcome="Neglect recognised and assessed earlier",
        lead="Head of 0-19 Service",
    )
    make_update(gcp2, "2025-26-Q3", Rag.RED, "Trainer post vacant; no sessions held.", strategy)
    make_update(gcp2, "2025-26-Q4", Rag.AMBER, "Trainer appointed in February; 40 of 120 staff trained.", strategy)
    dental = make_row(
        own,
        strategy,
        objective="Dental neglect is recognised",
        action="Add dental neglect to the universal health review",
        input="Community dental service time",
        desired_outcome="Referrals for dental neglect made early",
        lead="Consultant in Dental Public Health",
    )
    make_update(dental, "2025-26-Q4", Rag.GREEN, "Included in the review from January.", strategy)
    police = ActionPlan.objects.create(agency=world.police)
    make_update(
        make_row(
            police, admin, objective="Officers attending homes record the conditions children live in", lead="Detective Superintendent, Public Protection"
        ),
        "2025-26-Q4",
        Rag.RED,
        "Form changes delayed by the records system upgrade.",
        admin,
    )
    overarching = ActionPlan.objects.create(agency=None)
    make_update(
        make_row(overarching, admin, objective="The partnership measures the impact of neglect work", lead="Partnership business manager"),
        "2025-26-Q4",
        Rag.COMPLETE,
        "Quarterly dashboard in use since January.",
        admin,
    )
    return own


def test_a_strategy_member_reviews_the_plans_and_records_an_update(page, screenshot, world, reviewed_plans, april_2026):
    sign_in(page, "strategy", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Action plans").click()
    page.wait_for_url("**/partnership/action-plans/")
    assert page.get_by_role("heading", level=1).inner_text() == "Agency action plans"
    screenshot("partnership-plan-list")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Public Health").click()
    page.get_by_text("History (2 updates)").click()
    screenshot("partnership-plan-detail")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Record an update for row 1").click()
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Record the update").click()
    page.wait_for_load_state("networkidle")
    assert "Enter the progress made" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Green").is_checked()
    screenshot("partnership-update-error")
    assert serious_violations(page) == []
    page.get_by_label("Progress").fill("All 120 staff trained; GCP2 used in 35 assessments.")
    page.get_by_role("button", name="Record the update").click()
    page.wait_for_url(f"**/partnership/action-plans/{reviewed_plans.pk}/**")
    assert "Update for 2025-26-Q4 recorded." in page.get_by_role("alert").inner_text()

    # The dashboard's last complete quarter counts the new status.
    page.get_by_role("link", name="Neglect dashboard").click()
    page.wait_for_url("**/dashboard/2025-26-Q4/")
    tile = page.get_by_test_id("tile-action_plan_rag_by_agency")
    public_health = tile.get_by_role("row", name="Public Health")
    assert public_health.inner_text().split() == ["Public", "Health", "0", "0", "2", "0"]
    assert "Officers attending homes record the conditions children live in" in tile.get_by_test_id("action-plan-red-rows").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    tile.screenshot(path=str(SCREENSHOTS / "partnership-dashboard-tile.png"))

    # A new row with the lead left out comes back with every other answer kept.
    page.goto(f"/partnership/action-plans/{reviewed_plans.pk}/rows/new/")
    page.get_by_label("Objective").fill("Early years settings spot neglect")
    page.get_by_label("Action").fill("Neglect briefing for every nursery manager")
    page.get_by_label("Input").fill("Early years team, 10 sessions")
    page.get_by_label("Desired outcome").fill("Concerns raised before school age")
    fill_date(page, "Timescale", "2026-12-31")
    page.get_by_label("Amber").check()
    page.get_by_label("Progress").fill("Sessions booked")
    page.get_by_role("button", name="Add the row").click()
    page.wait_for_load_state("networkidle")
    assert "Enter who leads the action" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Objective").input_value() == "Early years settings spot neglect"
    screenshot("partnership-row-new-error")
    assert serious_violations(page) == []


def test_an_admin_opens_the_partnership_profile(page, screenshot, world, april_2026):
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/partnership/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Partnership profile"
    page.get_by_label("Children under 18 in the partnership's area").fill("lots")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert "Enter the number of children as a whole number" in page.get_by_role("alert").inner_text()
    screenshot("partnership-profile-error")
    assert serious_violations(page) == []
