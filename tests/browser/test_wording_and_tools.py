"""Issue 21 in Chromium: the wording hint beside a concern's field as it is typed (never a block), and the
changed tool pages (the tool's page, a final run with its rules, the checklist's evidence hint, the printed copy),
each at desktop width and at 320 px, with no serious axe-core violations."""

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps

from concerns.models import Concern
from tests.factories import PASSWORD
from tests.tools.builders import final_run, published

from .conftest import SCREENSHOTS, fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = importlib.import_module("partnership.migrations.0003_seed_wording_guide")
BLAMING = "Mum refused to engage with the health visitor; the house was cold."


@pytest.fixture
def november_2026():
    with time_machine.travel("2026-11-24 09:00 +0000", tick=True):
        yield


def _both_widths(page, screenshot, name, focus=None):
    """Look at the page as it is, then at 320 px wide (a small phone), checking accessibility at each.

    With `focus` (a CSS selector), also a screen-sized shot with that part of the page in view, for a person to read.
    """
    page.wait_for_load_state()
    for width, suffix in ((1280, "desktop"), (320, "320")):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"{name}-{suffix}")
        if focus:
            page.locator(focus).first.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{suffix}-view.png"))
        assert serious_violations(page) == [], f"{name} at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_wording_hint_shows_beside_the_field_and_the_concern_saves_as_written(world, page, screenshot, november_2026):
    SEED.seed(apps, None)  # a transactional test starts with empty tables: the guide as the migration seeds it
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{world.case.pk}/concerns/new/")
    description = page.get_by_label("What you saw, heard, smelt or were told")
    description.fill(BLAMING)
    hint = page.locator("#id_description-wording-hint")
    hint.get_by_text("Could you say it another way?").wait_for()
    assert "“refused to engage”" in hint.inner_text() and "Instead:" in hint.inner_text()
    _both_widths(page, screenshot, "wording-hint-concern-form", focus="#id_description-wording-hint")

    # Never a block: the concern saves as written on the first submission.
    fill_date(page, "Date observed", "2026-11-20")
    page.get_by_label("Impact on the child").fill("Cold at night; tired at school.")
    page.locator("#id_neglect_types_0").check()
    page.get_by_label("Why you are sharing this").fill("The team needs to know the house is cold.")
    page.locator("#id_lawful_basis_0").check()
    page.locator("#id_sharing_condition_0").check()
    page.locator("#id_family_informed_0").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/cases/{world.case.pk}/**")
    assert Concern.objects.get().description == BLAMING


def test_the_changed_tool_pages(world, page, screenshot, november_2026):
    SEED.seed(apps, None)
    gcp2 = published("gcp2")
    run = final_run(
        world.case,
        world.users["lead_practitioner"],
        values={
            "physical_care": [1, 2, 4, 4, 1],
            "safety": [2, 3],
            "emotional_care": [2, 2],
            "developmental_care": [2, 3, 2, 2],
        },
        on=date(2026, 11, 2),
    )
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")

    page.goto(f"/tools/about/{gcp2.pk}/")
    page.get_by_text("What each answer means").first.click()
    _both_widths(page, screenshot, "tool-page-gcp2", focus="h2:has-text('How it is scored')")

    page.goto(f"/tools/runs/{run.pk}/")
    assert "How it is scored: The highest (worst) of its sub-area grades" in page.locator("main").inner_text()
    _both_widths(page, screenshot, "tool-run-final-gcp2", focus="[data-testid=scores]")

    checklist = published("ccdc")
    page.goto(f"/tools/about/{checklist.pk}/")
    _both_widths(page, screenshot, "tool-page-checklist", focus="h2:has-text('Areas and questions')")
    page.goto(f"/tools/cases/{world.case.pk}/start/")
    page.get_by_label("Child Care and Development Checklist").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("link", name="Health care", exact=True).click()
    page.locator("#id_value-no_frequent_emergency_visits_2").check()
    page.locator("#id_evidence-no_frequent_emergency_visits").fill(
        "Four A&E visits since August; the last for a scald. Mum said she refused to engage with the GP."
    )
    page.locator("#id_evidence-no_frequent_emergency_visits-wording-hint").get_by_text("Could you say it another way?").wait_for()
    _both_widths(page, screenshot, "tool-area-checklist-health", focus="#id_evidence-no_frequent_emergency_visits-wording-hint")
