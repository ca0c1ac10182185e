"""A multi-agency case audit round in Chromium, end to end, and the family's feedback page on a phone.

A strategy member sets up a round (a random draw and a chosen case), chooses auditors from three agencies
and the moderator, and starts it; the police and the school grade both cases; the health manager moderates
(after one mistake); the strategy member records learning and an action, tracks it into the agency's
action plan and to done, closes the round (the police auditor's access ends: 404) and downloads the
round's report as a PDF, which is rendered to PNG for a person to look at. Screenshots (desktop and
320 px) go to screenshots/.
"""

import subprocess

import pytest
from django.utils import timezone

from quality.models import AuditRound, FeedbackResponse, LearningAction, Respondent, SampledCase
from tests.factories import PASSWORD, make_case, make_plan
from tests.quality.builders import sent_link, shipped_sets

from .conftest import SCREENSHOTS, fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def _accessible(page, screenshot, name, *, phone=False):
    page.wait_for_load_state()
    screenshot(name)
    assert serious_violations(page) == [], name
    if phone:
        page.set_viewport_size(PHONE)
        screenshot(f"{name}-320")
        # Nothing but the wide tables (which scroll inside their box) may push the page sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} is wider than the phone"
        page.set_viewport_size(DESKTOP)


def _as(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")


def _grade_case(page, label, grade, evidence):
    page.get_by_role("link", name=label).click()
    for section in page.locator("form section, form div[id^=question-]").all():
        section.get_by_label(grade, exact=True).check()
        section.get_by_label("Your evidence").fill(evidence)
    page.get_by_role("button", name="Save your grades").click()
    assert "7 grades saved" in page.get_by_role("alert").inner_text()
    page.get_by_role("link", name="Your case audits").first.click()


@pytest.fixture
def cases(world):
    shipped_sets()
    neglect_plan = make_case(world.health, team=[world.school])
    make_plan(neglect_plan)
    return {"drawn": neglect_plan, "chosen": world.case}


def test_a_round_end_to_end(world, page, screenshot, cases):
    # --- Set up: the strategy member ------------------------------------------------------------------
    _as(page, "strategy")
    page.get_by_role("link", name="Case audits").first.click()
    _accessible(page, screenshot, "quality-round-list")
    page.get_by_role("link", name="Set up a round").click()
    page.get_by_label("Title").fill("Neglect at early help: spring audit")
    page.get_by_label("Theme").fill("Cases of neglect on child protection plans or stepped down to early help.")
    page.get_by_role("button", name="Set up the round").click()
    assert "Neglect at early help: spring audit" in page.get_by_role("heading", level=1).inner_text()

    page.get_by_role("link", name="Choose the sample").click()
    page.get_by_label("How many cases").fill("1")
    page.get_by_label("Plans").select_option("cp_neglect")
    page.get_by_role("button", name="Draw the cases").click()
    assert "1 case drawn at random" in page.get_by_role("alert").inner_text()
    page.get_by_label("Case number").fill(str(cases["chosen"].pk))
    page.get_by_role("button", name="Add the case").click()
    _accessible(page, screenshot, "quality-round-sample", phone=True)
    assert SampledCase.objects.get(reference=1).case == cases["drawn"] and SampledCase.objects.get(reference=2).case == cases["chosen"]

    page.get_by_role("link", name="Back to the round").first.click()
    page.get_by_role("link", name="Choose an auditor from each agency").click()
    for username, agency, role in (
        ("outsider", "County Police", "Practitioner"),
        ("partner_dsl", "Riverside School", "Designated safeguarding lead"),
        ("lead_manager", "Community Health Trust", "Manager"),
    ):
        page.get_by_label("Auditor").select_option(label=f"{agency}: {username} ({role})")
        page.get_by_role("button", name="Add the auditor").click()
    _accessible(page, screenshot, "quality-round-auditors")
    page.get_by_role("link", name="Back to the round").first.click()
    page.get_by_label("Moderator").select_option(label="lead_manager (Community Health Trust)")
    page.get_by_role("button", name="Save the moderator").click()
    _accessible(page, screenshot, "quality-round-ready")
    page.get_by_role("button", name="Start the round").click()
    assert "Round started" in page.get_by_role("alert").inner_text()

    # --- Grading: two agencies ---------------------------------------------------------------------------
    for username, grade in (("outsider", "Requires improvement"), ("partner_dsl", "Good")):
        _as(page, username)
        page.get_by_role("link", name="Your case audits").first.click()
        if username == "outsider":
            _accessible(page, screenshot, "quality-my-audits", phone=True)
            page.get_by_role("link", name="Case A:").click()
            _accessible(page, screenshot, "quality-audit-case", phone=True)
            # A grade without its evidence comes back with the message beside the question.
            page.locator("#question-identification").get_by_label("Good", exact=True).check()
            page.get_by_role("button", name="Save your grades").click()
            assert "Give the evidence for your grade" in page.locator(".govuk-error-summary").inner_text()
            _accessible(page, screenshot, "quality-audit-case-error")
            page.get_by_role("link", name="Your case audits").first.click()
        for label in ("Case A:", "Case B:"):
            _grade_case(page, label, grade, f"{username}: the chronology shows the signs were seen and shared within a week.")

    # --- Moderation -----------------------------------------------------------------------------------------
    _as(page, "lead_manager")
    page.get_by_role("link", name="Your case audits").first.click()
    for reference, agreed in (("Case A", "Good"), ("Case B", "Requires improvement")):
        page.get_by_role("link", name=f"Moderate {reference}").click()
        assert "outsider: the chronology" in page.get_by_test_id("grades-identification").inner_text()
        for question in page.locator("form section[id^=question-]").all():
            question.get_by_label(agreed, exact=True).check()
        page.get_by_role("button", name="Record the agreed grades").click()
        if reference == "Case A":
            assert "Choose the overall grade for the case" in page.locator(".govuk-error-summary").inner_text()
            _accessible(page, screenshot, "quality-moderate-error", phone=True)
        page.locator("fieldset", has_text="Overall grade for the case").get_by_label(agreed, exact=True).check()
        page.get_by_label("What the auditors agreed").fill("The police and the school agreed after discussing the plan reviews.")
        page.get_by_role("button", name="Record the agreed grades").click()
        assert f"Agreed grades recorded for {reference}" in page.get_by_role("alert").inner_text()
    assert SampledCase.objects.filter(moderated_at__isnull=False).count() == 2

    # --- Learning and actions, tracked; the round closes -----------------------------------------------------
    _as(page, "strategy")
    page.get_by_role("link", name="Case audits").first.click()
    page.get_by_role("link", name="Neglect at early help: spring audit").click()
    page.get_by_role("link", name="Record a learning point").click()
    page.get_by_label("Question it is about").select_option("fathers")
    page.get_by_label("What the audit found").fill("Fathers and male carers were not seen in either case.")
    page.get_by_role("button", name="Record the learning point").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What will be done").fill("Briefing for health visitors on seeing fathers")
    page.get_by_label("Owner agency").select_option(label="Public Health")
    page.get_by_label("Owner", exact=True).fill("Head of 0-19 services")
    fill_date(page, "Due date", timezone.localdate() + timezone.timedelta(days=60))
    page.get_by_label("From the learning point").select_option(label="Fathers and male carers were not seen in either case.")
    page.get_by_role("button", name="Add the action").click()
    page.get_by_role("link", name="Briefing for health visitors on seeing fathers").click()
    page.get_by_role("button", name="Add to Public Health's action plan").click()
    assert "added to Public Health's neglect action plan" in page.get_by_role("alert").inner_text()
    page.get_by_label("Done", exact=True).check()
    page.get_by_role("button", name="Save the progress").click()
    assert "Say what shows the action is done" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Evidence it is done").fill("Briefing given to 40 health visitors; fathers recorded in 9 of 10 new assessments.")
    page.get_by_role("button", name="Save the progress").click()
    assert LearningAction.objects.get().is_done and LearningAction.objects.get().action_plan_row is not None

    page.get_by_role("button", name="Close the round").click()
    assert "Round closed" in page.get_by_role("alert").inner_text()
    _accessible(page, screenshot, "quality-round-closed", phone=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the round's report (PDF)").click()
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf_path = SCREENSHOTS / "quality-round-report.pdf"
    download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf_path), str(SCREENSHOTS / "quality-round-report")], check=True, timeout=120)

    # The police auditor read the chosen case only through the round: now it is 404, and so is the audit page.
    _as(page, "outsider")
    sampled = SampledCase.objects.get(reference=2)
    assert page.goto(f"/quality/audits/{sampled.pk}/").status == 404
    assert page.goto(f"/cases/{cases['chosen'].pk}/").status == 404
    assert AuditRound.objects.get().is_closed


@pytest.mark.parametrize("respondent", [Respondent.PARENT, Respondent.CHILD])
def test_the_family_page_on_a_phone(world, page, screenshot, respondent):
    _, token = sent_link(world, respondent=respondent)
    page.set_viewport_size(PHONE)
    page.goto(f"/your-say/{token}/")
    name = f"quality-family-{respondent}"
    screenshot(f"{name}-320")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    body = page.locator("body").inner_text()
    for secret in (world.case.child.given_name, world.case.child.family_name, "Community Health Trust", "Riverside School", "Children's Social Care"):
        assert secret not in body
    page.set_viewport_size(DESKTOP)
    screenshot(name)
    first_answer = "Yes" if respondent == Respondent.PARENT else "Good"
    page.locator("fieldset").first.get_by_label(first_answer, exact=True).check()
    page.get_by_label("Is there anything else you want to tell us?").fill("Thank you for listening.")
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
    assert FeedbackResponse.objects.get().answers["anything_else"] == "Thank you for listening."
    # Used once: the same link now says so, and nothing more.
    page.set_viewport_size(PHONE)
    response = page.goto(f"/your-say/{token}/")
    assert response.status == 404 and page.get_by_role("heading", level=1).inner_text() == "This link cannot be used"
    screenshot("quality-family-used-320")
    assert serious_violations(page) == []
