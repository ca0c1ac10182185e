"""Every main page at desktop width and at 320 px (a small phone): no serious or critical axe-core
problem, and no sideways scrolling at 320 px (issue 20, item 3; WCAG 2.2, 1.4.10 Reflow).

Each page is looked at as the role that uses it, with a screenshot at each width under screenshots/.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sso.models import OidcProvider
from tests.conferences.builders import held_review
from tests.factories import PASSWORD, make_action, make_concern, make_plan

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
    ("lead_manager", "cases-to-oversee", lambda w: reverse("cases:manager_cases")),
    ("csc_manager", "front-door-queue", lambda w: reverse("frontdoor:queue")),
    ("csc_manager", "conferences", lambda w: reverse("conferences:upcoming")),
    ("strategy", "dashboard", lambda w: reverse("dashboard:index")),
    ("auditor", "audit-log", lambda w: reverse("audit:event_list")),
    ("admin", "agencies", lambda w: reverse("agencies:agency_list")),
    ("admin", "agency-form", lambda w: reverse("agencies:agency_edit", args=[w.school.pk])),
    ("admin", "agency-merge", lambda w: reverse("agencies:agency_merge", args=[w.public_health.pk])),
    ("admin", "users", lambda w: reverse("agencies:user_list")),
    ("admin", "partnership-settings", lambda w: reverse("partnership:settings")),
    (None, "sign-in-with-organisation", lambda w: _with_sso_provider(w, reverse("login"))),
    (None, "sso-refused", lambda w: reverse("sso_callback") + "?error=access_denied"),
    ("csc_manager", "conference-schedule", lambda w: reverse("conferences:conference_schedule", args=[w.case.pk])),
    ("csc_manager", "conference", lambda w: reverse("conferences:conference_detail", args=[held_review(w).pk])),
    ("lead_practitioner", "chronology", lambda w: reverse("chronologies:child_chronology", args=[w.case.child_id])),
    ("lead_practitioner", "household", lambda w: reverse("households:family_detail", args=[w.case.child.family_id])),
    ("lead_practitioner", "pattern", lambda w: _pattern_path(w)),
    ("lead_practitioner", "action-update", lambda w: _action_update_path(w)),
    ("partner_practitioner", "case-with-plan", lambda w: _case_with_plan_path(w)),
    ("lead_manager", "level-of-need", lambda w: reverse("need:change", args=[w.case.pk])),
    ("admin", "census", lambda w: reverse("census:home")),
    # Single sign-on providers, for partnership admins (sso/admin_views.py), and the page after signing out there.
    ("admin", "sso-providers", lambda w: reverse("sso:provider_list", args=[_with_sso_provider(w, w.health.pk)])),
    ("admin", "sso-provider-add", lambda w: reverse("sso:provider_create", args=[w.health.pk])),
    ("admin", "sso-provider-edit", lambda w: _sso_provider_edit_path(w)),
    (None, "signed-out", lambda w: reverse("signed_out")),
]


def _with_sso_provider(world, path):
    """The sign-in page as an agency with single sign-on sees it: its "Sign in with" button."""
    OidcProvider.objects.create(
        agency=world.health,
        slug="health",
        display_name="Community Health Trust",
        issuer="https://login.example.org",
        authorization_endpoint="https://login.example.org/authorize",
        token_endpoint="https://login.example.org/token",
        userinfo_endpoint="https://login.example.org/userinfo",
        jwks_endpoint="https://login.example.org/jwks",
        end_session_endpoint="https://login.example.org/logout",
        client_id="portal",
        client_secret_env="OIDC_SECRET_HEALTH",
    )
    return path


def _sso_provider_edit_path(world):
    _with_sso_provider(world, "")
    return reverse("sso:provider_edit", args=[OidcProvider.objects.get(slug="health").pk])


def _case_with_plan_path(world):
    """The case page as a partner sees it with a plan: only the action its agency owns links to its update form."""
    plan = make_plan(world.case, actor=world.users["lead_practitioner"])
    make_action(plan, world.health, actor=world.users["lead_practitioner"], what="Weekly home visit by the health visitor")
    make_action(plan, world.school, actor=world.users["lead_practitioner"], what="Breakfast club place every school day")
    return reverse("cases:case_detail", args=[world.case.pk])


def _pattern_path(world):
    """The entries behind a pattern: three concerns from two agencies make cumulative concerns."""
    for kind in ("lead_practitioner", "lead_practitioner", "partner_practitioner"):
        make_concern(world.case, world.users[kind], observed_on=timezone.localdate() - timedelta(days=10))
    return reverse("chronologies:child_pattern", args=[world.case.child_id, "cumulative_concerns"])


def _action_update_path(world):
    plan = make_plan(world.case, actor=world.users["lead_practitioner"])
    action = make_action(plan, world.health, actor=world.users["lead_practitioner"])
    return reverse("cases:action_update", args=[world.case.pk, action.pk])


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
