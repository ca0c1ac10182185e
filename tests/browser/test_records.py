"""Subject access requests and retention reviews in Chromium, as a partnership admin.

(Here rather than in tests/subject_access and tests/retention: the session-wide browser fixture of
this folder cannot be shared with modules elsewhere.)
"""

from datetime import date

import pytest

from retention.services import retention_review_create
from tests.factories import PASSWORD
from tests.retention.conftest import TODAY, closed_case
from tests.subject_access.conftest import record  # noqa: F401  (fixture)

from .conftest import fill_date, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_records_a_request_and_downloads_the_pdf(page, screenshot, world, record):
    child = record.child
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/subject-access/")
    assert page.get_by_role("heading", level=1).inner_text() == "Subject access requests"
    page.get_by_label("A child").check()
    page.get_by_label("Child's given name").fill(child.given_name)
    page.get_by_label("Child's family name").fill(child.family_name)
    fill_date(page, "Child's date of birth", child.date_of_birth)
    page.get_by_label("Requester's name").fill("Dana Moss")
    page.get_by_label("Requester's relationship to the subject").fill("Mother with parental responsibility")
    page.get_by_label("Requester's address or email").fill("12 Mill Lane, Northtown")
    fill_date(page, "Date received", "2026-11-20")
    page.get_by_label("The requester's identity and authority have been checked").check()
    screenshot("subject-access-form")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Record the request and prepare the export").click()
    page.wait_for_url("**/subject-access/*/")
    assert "Done" in page.get_by_test_id("export-status").inner_text()
    screenshot("subject-access-request")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto("/subject-access/")
    screenshot("subject-access-list")


def test_a_request_for_an_unknown_child_keeps_what_was_typed(page, screenshot, world, record):
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/subject-access/")
    page.get_by_label("A child").check()
    page.get_by_label("Child's given name").fill("Nobody")
    page.get_by_label("Child's family name").fill("Known")
    fill_date(page, "Child's date of birth", "2015-01-01")
    page.get_by_label("Requester's name").fill("Dana Moss")
    page.get_by_role("button", name="Record the request and prepare the export").click()
    assert "No child matches these identifiers" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Requester's name").input_value() == "Dana Moss"
    screenshot("subject-access-form-errors")


def test_an_admin_holds_one_back_and_approves_the_rest(page, screenshot, world):
    held = closed_case(world, born=date(2012, 4, 1), closed_on=date(2019, 1, 1), given_name="Amy", family_name="Zed")
    closed_case(world, born=date(2001, 11, 24), closed_on=date(2020, 3, 1), given_name="Ben", family_name="Young", threshold="specialist")
    review = retention_review_create(today=TODAY)
    item = review.items.get(child_id=held.child_id)
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/retention/")
    screenshot("retention-list")
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Review {review.pk}").click()
    page.locator(f"#hold_{item.pk}").check()
    page.get_by_role("button", name="Approve deletion of the records not held back").click()
    assert "Say why this record is held back" in page.locator(".govuk-error-summary").inner_text()
    screenshot("retention-review-errors")
    page.locator(f"#reason_{item.pk}").fill("Legal hold: care proceedings")
    screenshot("retention-review")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Approve deletion of the records not held back").click()
    page.wait_for_url(f"**/retention/{review.pk}/")
    body = page.get_by_test_id("items").inner_text()
    assert "Held back: Legal hold: care proceedings" in body and "Deleted" in body
    screenshot("retention-review-done")
    page.goto("/retention/log/")
    assert "child " in page.locator("table").inner_text()
    screenshot("retention-log")
