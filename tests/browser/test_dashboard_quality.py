"""The quarter's page with the audit and family-feedback tables (issue 17, item 3), as the strategy group reads it.

The quarter of tests/dashboard/test_quality_measures.py: the page shows the round's grades by question and
the parents' answers, passes axe, and at 320 px only the tables scroll (inside their own box). Screenshots
(desktop and 320 px) go to screenshots/.
"""

import pytest

from tests.dashboard.test_quality_measures import IMPACT, ROUND, Q, quality_quarter  # noqa: F401 (a fixture)
from tests.factories import PASSWORD

from .conftest import SCREENSHOTS, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_quarter_page_shows_the_quality_tables_at_both_widths(world, quality_quarter, page, screenshot):  # noqa: F811
    sign_in(page, world.users["strategy"].username, PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"{page.url.rstrip('/')}/dashboard/{Q.name}/")
    grades = page.get_by_test_id("questions-audit_grades_by_question")
    assert ROUND in grades.locator("caption").inner_text()
    impact = grades.get_by_role("row").filter(has_text=IMPACT)
    # The strategy group's page shows every cell: 1 outstanding, 5 good, 1 requires improvement, 0 inadequate, 7 graded.
    assert impact.get_by_role("cell").all_inner_texts() == ["1", "5", "1", "0", "7", "85.7%"]
    parents = page.get_by_test_id("questions-feedback_parent_by_question")
    assert "Did workers listen to you?" in parents.inner_text()
    grades.scroll_into_view_if_needed()
    screenshot("dashboard-quality")
    grades.screenshot(path=str(SCREENSHOTS / "dashboard-quality-grades.png"))  # the table alone, to look at
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    grades.scroll_into_view_if_needed()
    screenshot("dashboard-quality-320")
    grades.screenshot(path=str(SCREENSHOTS / "dashboard-quality-grades-320.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
