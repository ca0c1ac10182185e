"""Every main page at desktop width and at 320 px (a small phone): no serious or critical axe-core
problem, and no sideways scrolling at 320 px (issue 20, item 3; WCAG 2.2, 1.4.10 Reflow).

Each page is looked at as the role that uses it, with a screenshot at each width under screenshots/.
"""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}

# (who, page name, url name or a function of the world giving the path)
MAIN_PAGES = [
    (None, "sign-in", lambda w: reverse("login")),
    (None, "accessibility-statement", lambda w: reverse("accessibility")),
    (None, "page-not-found", lambda w: "/no-such-page/"),
    ("lead_practitioner", "home", lambda w: reverse("home")),
    ("lead_practitioner", "case", lambda w: reverse("cases:case_detail", args=[w.case.pk])),
    ("lead_practitioner", "find-a-child", lambda w: reverse("cases:find_child")),
    ("lead_practitioner", "account", lambda w: reverse("account")),
    ("csc_manager", "drift-queue", lambda w: reverse("drift:queue")),
    ("csc_manager", "front-door-queue", lambda w: reverse("frontdoor:queue")),
    ("csc_manager", "conferences", lambda w: reverse("conferences:upcoming")),
    ("strategy", "dashboard", lambda w: reverse("dashboard:index")),
    ("auditor", "audit-log", lambda w: reverse("audit:event_list")),
    ("admin", "agencies", lambda w: reverse("agencies:agency_list")),
    ("admin", "agency-form", lambda w: reverse("agencies:agency_edit", args=[w.school.pk])),
    ("admin", "agency-merge", lambda w: reverse("agencies:agency_merge", args=[w.public_health.pk])),
    ("admin", "users", lambda w: reverse("agencies:user_list")),
]


def _look(page, screenshot, name):
    found = {}
    for width, viewport in (("desktop", DESKTOP), ("320", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_load_state()
        screenshot(f"main-{name}-{width}")
        found[width] = {
            "axe": serious_violations(page),
            "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
        }
    return found


@pytest.mark.parametrize(("who", "name", "path"), MAIN_PAGES, ids=[name for _, name, _ in MAIN_PAGES])
def test_main_page_has_no_serious_problem_and_no_sideways_scroll_at_320px(world, page, screenshot, who, name, path):
    if who is not None:
        sign_in(page, who, PASSWORD)
        page.wait_for_url("**/")
    page.goto(path(world))
    found = _look(page, screenshot, name)
    assert found["desktop"]["axe"] == [], found
    assert found["320"]["axe"] == [], found
    assert found["320"]["scroll_width"] <= 320, found
