"""The census import in Chromium: an admin uploads a return with faults, reads the dry run, confirms."""

import pytest

from census.models import ChildCensus
from tests.browser.conftest import serious_violations, sign_in
from tests.census.returns import VALID_RETURN
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAULTY = VALID_RETURN.replace("<AssessmentActualStartDate>2025-05-02<", "<AssessmentActualStartDate>2025-04-02<").replace(
    "<CPPreviewDate>2025-10-01<", "<CPPreviewDate>2025-06-01<"
)


def test_admin_checks_then_imports_a_return(world, page, screenshot, tmp_path):
    path = tmp_path / "cin-return.xml"
    path.write_text(FAULTY)
    sign_in(page, world.users["admin"].username, PASSWORD)
    page.wait_for_url("**/")
    page.goto("/census/import/")
    screenshot("census-import-upload")
    page.get_by_label("Census return (XML)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/census/import/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check the census return before importing it"
    assert "2 elements not imported" in page.content()
    screenshot("census-import-dry-run")
    assert serious_violations(page) == []
    assert not ChildCensus.objects.exists()
    page.get_by_role("button", name="Import 14 changes").click()
    page.wait_for_selector(".govuk-panel__title")
    screenshot("census-import-applied")
    assert ChildCensus.objects.count() == 4
