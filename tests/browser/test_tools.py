"""A Graded Care Profile 2 run in Chromium: start, fill the areas over two sittings, finalise, see progress."""

from datetime import date

import pytest
import time_machine

from tests.factories import PASSWORD
from tests.tools.builders import EVIDENCE, PRESENT, VOICE, final_run, published

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Grades given in the browser, item by item; the earlier run graded every item 3.
GRADES = {
    "physical_care": {"nutrition": 2, "housing": 2, "clothing": 3, "hygiene": 2, "health": 2},
    "safety": {"safety_in_presence": 2, "safety_in_absence": 3},
    "emotional_care": {"carer_warmth": 4, "mutual_engagement": 4},
    "developmental_care": {"stimulation": 3, "approval": 3, "disapproval": 3, "acceptance": 3},
}
TITLES = {
    "physical_care": "Physical care",
    "safety": "Care of safety",
    "emotional_care": "Emotional care (love and belonging)",
    "developmental_care": "Developmental care (esteem)",
}


@pytest.fixture
def march_2026():
    # The clock keeps ticking (the browser waits on it) from a fixed start.
    with time_machine.travel("2026-03-10 09:00 +0000", tick=True):
        yield


def _accessible(page, screenshot, name):
    page.wait_for_load_state()
    screenshot(name)
    assert serious_violations(page) == [], name


def _status(page, task):
    return page.locator(f"#{task}-status").inner_text().strip()


def _fill_area(page, area_id):
    page.get_by_role("link", name=TITLES[area_id], exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == TITLES[area_id]
    for item_id, grade in GRADES[area_id].items():
        page.locator(f"#id_value-{item_id}_{grade - 1}").check()
        page.locator(f"#id_evidence-{item_id}").fill(f"{EVIDENCE} ({item_id})")
    page.get_by_role("button", name="Save and return to the task list").click()


def test_a_gcp2_run_over_two_sittings_then_the_progress_chart(world, page, screenshot, march_2026):
    published("gcp2")
    final_run(world.case, world.users["lead_practitioner"], values=dict.fromkeys(GRADES, 3), on=date(2026, 1, 12))

    # First sitting: start, details, two areas.
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/tools/cases/{world.case.pk}/")
    _accessible(page, screenshot, "tools-case-runs")
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Graded Care Profile 2").check()
    _accessible(page, screenshot, "tools-run-start")
    page.get_by_role("button", name="Start the assessment").click()
    assert _status(page, "area-physical_care") == "Not started"
    assert _status(page, "finalise") == "Cannot start yet"
    _accessible(page, screenshot, "tools-task-list-new")

    page.get_by_role("link", name="Assessment details").click()
    page.get_by_label("Who was present").fill(PRESENT)
    page.get_by_role("button", name="Save and return to the task list").click()

    page.get_by_role("link", name="Physical care", exact=True).click()
    page.get_by_role("button", name="Save and return to the task list").click()  # nothing chosen yet: the draft keeps the area started
    assert _status(page, "area-physical_care") == "In progress"
    page.get_by_role("link", name="Physical care", exact=True).click()
    _accessible(page, screenshot, "tools-area-form")
    page.goto(page.url.rsplit("/areas/", 1)[0] + "/")
    _fill_area(page, "physical_care")
    _fill_area(page, "safety")
    assert _status(page, "area-safety") == "Completed"
    _accessible(page, screenshot, "tools-task-list-first-sitting")

    # Sign out; the second sitting finds the draft where it was left.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/tools/cases/{world.case.pk}/")
    page.get_by_role("row", name="Draft").get_by_role("link").click()
    assert _status(page, "area-physical_care") == "Completed"
    _fill_area(page, "emotional_care")
    _fill_area(page, "developmental_care")
    page.get_by_role("link", name="The child's voice").click()
    page.get_by_label("The child's voice").fill(VOICE)
    page.get_by_role("button", name="Save and return to the task list").click()
    assert page.get_by_test_id("task-count").inner_text() == "You have completed 6 of 6 sections."

    page.get_by_role("link", name="Check and finalise").click()
    _accessible(page, screenshot, "tools-check-and-finalise")
    page.get_by_role("button", name="Finalise the assessment").click()
    assert "It cannot be changed." in page.locator("main").inner_text()
    _accessible(page, screenshot, "tools-run-final")

    # Progress: 3 everywhere in January; now each area at its worst sub-area grade (version 2 of the shipped
    # GCP2, docs/tools.md): physical care 3 (clothing; version 1 rounded the mean 2.2 to 2), safety 3,
    # emotional care 4, developmental 3. Each row says how it is scored.
    page.get_by_role("link", name="See progress over time").click()
    table = page.get_by_role("table")
    physical = table.get_by_role("row", name="Physical care")
    assert [text.strip() for text in physical.locator("td").all_inner_texts()] == ["3", "3", "No change"]
    assert "worst" in physical.locator("th").inner_text()
    assert [text.strip() for text in table.get_by_role("row", name="Emotional care").locator("td").all_inner_texts()][-2:] == ["4", "Worse"]
    assert "Worse: Graded Care Profile 2: Emotional care (love and belonging) worse (3 to 4)" in page.get_by_test_id("progress-flag-gcp2").inner_text()
    chart = page.get_by_role("img", name="Bar chart of Graded Care Profile 2 scores")
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
    _accessible(page, screenshot, "tools-progress")

    # The final run refuses a change in the browser too.
    page.goto(page.get_by_role("link", name="10 Mar 2026").get_attribute("href") + "areas/safety/")
    assert page.get_by_test_id("refusal").inner_text().startswith("This assessment is final and cannot be changed.")


def test_definition_pages_and_a_refused_file_are_accessible(world, page, screenshot):
    gcp2 = published("gcp2")
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/tools/definitions/")
    _accessible(page, screenshot, "tools-definition-list")
    page.goto(f"/tools/definitions/{gcp2.pk}/")
    _accessible(page, screenshot, "tools-definition-detail")
    page.goto("/tools/definitions/load/")
    page.get_by_label("Or paste the definition (JSON or YAML) (optional)").fill(
        "key: home_visit\nname: Home visit\nhigher_is: worse\nscales: {grade: {kind: points, points: [{value: 1, label: Fine}, {value: 2, label: Poor}]}}\n"
        "scoring: {area: median, overall: worst}\nareas:\n  - id: home\n    title: Home\n    items: [{id: warmth, title: Warm, scale: grade7}]\n"
    )
    page.get_by_role("button", name="Load as a draft").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "scoring.area: unknown scoring rule 'median'" in summary
    assert "areas[0].items[0]: unknown scale 'grade7' (scales in this file: grade)" in summary
    _accessible(page, screenshot, "tools-definition-load-errors")
