"""Single sign-on end to end against a real OpenID Connect provider in a second process.

The provider is django-oauth-toolkit (tests/oidc_provider/), started with `runserver` on 127.0.0.1
and a free port for the session, with its own SQLite database. Its client ids ending "-mfa" put
"mfa" in the ID token's `amr`; the others only "pwd". It offers RP-Initiated Logout (end_session_endpoint)
and accepts the portal's signed-out page as the post-logout redirect URI.
"""

import json
import os
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from audit.models import AccessEvent, AuditAction
from sso.models import OidcIdentity, OidcProvider
from tests.browser.conftest import serious_violations, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_PASSWORD = "provider-Pass-word-7"
PEOPLE = [
    {"username": "leah", "email": "lead_practitioner@example.org", "password": PROVIDER_PASSWORD},
    {"username": "pat", "email": "partner_practitioner@example.org", "password": PROVIDER_PASSWORD},
    {"username": "stranger", "email": "stranger@example.org", "password": PROVIDER_PASSWORD},
]
CLIENTS = [
    {"client_id": "health-mfa", "client_secret": "health-client-secret-1"},
    {"client_id": "school", "client_secret": "school-client-secret-2"},
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The running provider's discovery document (issuer and endpoints)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_TEST_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    redirect_uri = f"{live_server.url}/accounts/sso/callback/"
    post_logout_redirect_uri = f"{live_server.url}/accounts/signed-out/"
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.seed", redirect_uri, json.dumps({"people": PEOPLE, "clients": CLIENTS}), post_logout_redirect_uri],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                discovery = requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2)
                if discovery.ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("the test OpenID Connect provider did not start")
            time.sleep(0.2)
        yield {**discovery.json(), "discovery_url": discovery.url}
    finally:
        process.terminate()
        process.wait(timeout=10)


def register(discovery, agency, *, slug, display_name, client, monkeypatch):
    """Register the provider as an operator would: `manage.py add_oidc_provider`, reading its discovery document."""
    variable = f"OIDC_SECRET_{slug.upper()}"
    monkeypatch.setenv(variable, client["client_secret"])
    out = StringIO()
    call_command(
        "add_oidc_provider",
        agency=agency.name,
        slug=slug,
        display_name=display_name,
        discovery_url=discovery["discovery_url"],
        client_id=client["client_id"],
        client_secret_env=variable,
        stdout=out,
    )
    assert out.getvalue().startswith("Created:")
    provider = OidcProvider.objects.get(slug=slug)
    assert (provider.issuer, provider.jwks_endpoint) == (discovery["issuer"], discovery["jwks_uri"])
    assert provider.end_session_endpoint == discovery["end_session_endpoint"]
    return provider


@pytest.fixture
def providers(world, oidc_provider, monkeypatch, live_server, settings):
    # The post-logout redirect URI is built from SITE_URL: here, the live server the provider knows.
    settings.SITE_URL = live_server.url
    health = register(oidc_provider, world.health, slug="health", display_name="Community Health Trust", client=CLIENTS[0], monkeypatch=monkeypatch)
    school = register(oidc_provider, world.school, slug="riverside", display_name="Riverside School", client=CLIENTS[1], monkeypatch=monkeypatch)
    return {"health": health, "school": school}


def sign_in_at_provider(page, button, username, screenshot=None):
    page.goto("/accounts/login/")
    if screenshot:
        screenshot("oidc_sign_in_page")
        assert serious_violations(page) == []
    page.get_by_role("button", name=f"Sign in with {button}").click()
    page.get_by_label("Work username").fill(username)
    page.get_by_label("Work password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to organisation").click()
    page.wait_for_load_state()


def test_a_practitioner_signs_in_with_their_organisation_and_reaches_a_case_page(world, providers, page, screenshot):
    sign_in_at_provider(page, "Community Health Trust", "leah", screenshot)
    # The provider asserted MFA (amr "mfa"): no portal second factor.
    assert "/two-factor/" not in page.url and "/accounts/login/" not in page.url
    page.goto(f"/cases/{world.case.pk}/")
    assert page.url.endswith(f"/cases/{world.case.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(world.case.child.given_name)
    user = world.users["lead_practitioner"]
    assert OidcIdentity.objects.filter(provider=providers["health"], user=user).exclude(subject="").count() == 1
    login = AccessEvent.objects.get(action=AuditAction.LOGIN, user_id=user.pk)
    assert login.agency_name == world.health.name
    # The agency and role are the portal's: the membership did not change.
    user.membership.refresh_from_db()
    assert user.membership.agency == world.health


def test_a_provider_that_does_not_assert_mfa_keeps_the_portal_second_factor(world, providers, page):
    sign_in_at_provider(page, "Riverside School", "pat")
    assert page.url.endswith("/accounts/two-factor/setup/")
    page.goto(f"/cases/{world.case.pk}/")
    assert "/accounts/two-factor/" in page.url
    assert AccessEvent.objects.filter(action=AuditAction.LOGIN, user_id=world.users["partner_practitioner"].pk).count() == 1


def test_a_person_the_portal_does_not_know_is_refused(world, providers, page, screenshot):
    sign_in_at_provider(page, "Community Health Trust", "stranger")
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot sign in with this account"
    screenshot("oidc_refused")
    assert serious_violations(page) == []
    event = AccessEvent.objects.get(action=AuditAction.LOGIN_FAILED)  # one row, as for a wrong password
    assert event.username == "stranger@example.org"
    assert "health" in event.detail
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert not OidcIdentity.objects.exists()


def test_a_user_of_another_agency_cannot_sign_in_through_this_agencys_provider(world, providers, page):
    # Pat is a portal user, but of Riverside School, and the provider knows Pat: still refused at Community Health.
    sign_in_at_provider(page, "Community Health Trust", "pat")
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot sign in with this account"
    assert not AccessEvent.objects.filter(action=AuditAction.LOGIN).exists()
    failed = AccessEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert [event.username for event in failed] == ["partner_practitioner@example.org"]
    assert "no portal user of Community Health Trust" in failed[0].detail


def on_provider_sign_in_page(page, oidc_provider):
    return page.url.startswith(oidc_provider["issuer"].rsplit("/o", 1)[0]) and page.get_by_label("Work username").count() == 1


def test_signing_out_of_the_portal_signs_out_at_the_provider_too(world, providers, oidc_provider, page, screenshot):
    sign_in_at_provider(page, "Community Health Trust", "leah")
    page.goto("/")
    assert page.get_by_test_id("header-user").inner_text().startswith("Leah Lead")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/signed-out/**")
    assert "state=" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out"
    assert "You have signed out of Neglect Portal and of Community Health Trust" in page.inner_text("main")
    screenshot("oidc_signed_out")
    assert serious_violations(page) == []
    assert AccessEvent.objects.filter(action=AuditAction.LOGOUT, user_id=world.users["lead_practitioner"].pk).count() == 1
    # The portal session is gone...
    page.goto(f"/cases/{world.case.pk}/")
    assert "/accounts/login/" in page.url
    # ...and so is the provider's: signing in again asks for the organisation's password again.
    page.get_by_role("button", name="Sign in with Community Health Trust").click()
    page.wait_for_load_state()
    assert on_provider_sign_in_page(page, oidc_provider), page.url


def test_without_a_sign_out_address_the_provider_session_outlives_the_portal_one(world, providers, oidc_provider, page):
    """The control for the test above: what it proves is the provider's sign-out, not the browser forgetting."""
    OidcProvider.objects.filter(slug="health").update(end_session_endpoint="")
    sign_in_at_provider(page, "Community Health Trust", "leah")
    page.goto("/")
    assert page.get_by_test_id("header-user").inner_text().startswith("Leah Lead")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_role("button", name="Sign in with Community Health Trust").click()
    page.wait_for_load_state()
    assert not on_provider_sign_in_page(page, oidc_provider)
    assert "/accounts/login/" not in page.url, "signed straight back in by the provider's live session"


def test_a_partnership_admin_adds_a_provider_on_the_agencys_page_and_people_sign_in_with_it(
    world, oidc_provider, page, screenshot, monkeypatch, live_server, settings
):
    settings.SITE_URL = live_server.url
    monkeypatch.setenv("OIDC_SECRET_HEALTH_PAGE", CLIENTS[0]["client_secret"])
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/partnership/agencies/{world.health.pk}/")
    page.get_by_role("link", name="single sign-on providers for Community Health Trust").click()
    page.get_by_role("button", name="Add a provider").click()
    page.get_by_label("Name on the sign-in button").fill("Community Health Trust")
    page.get_by_label("Short name").fill("health")
    page.get_by_label("Discovery address").fill(oidc_provider["issuer"] + "-not-here")
    page.get_by_label("Client ID").fill(CLIENTS[0]["client_id"])
    page.get_by_label("Name of the environment variable holding the client secret").fill("OIDC_SECRET_HEALTH_PAGE")
    page.get_by_role("button", name="Add provider").click()
    # The provider answers 404 there: the form comes back with the text kept and the error beside the field.
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_label("Short name").input_value() == "health"
    screenshot("oidc_admin_add_error")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    screenshot("oidc_admin_add_error-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Discovery address").fill(oidc_provider["discovery_url"])
    page.get_by_role("button", name="Add provider").click()
    page.wait_for_url(f"**/partnership/agencies/{world.health.pk}/sign-in-providers/")
    card = page.locator(".govuk-summary-card", has_text="Community Health Trust")
    assert "Set on the server: yes" in card.inner_text()
    assert "Signs people out of the provider too" in card.inner_text()
    assert CLIENTS[0]["client_secret"] not in page.content()
    screenshot("oidc_admin_provider_list")
    assert serious_violations(page) == []
    provider = OidcProvider.objects.get(slug="health")
    assert provider.end_session_endpoint == oidc_provider["end_session_endpoint"]
    assert AccessEvent.objects.filter(object_type="oidc_provider", action=AuditAction.CREATE, user_id=world.users["admin"].pk).count() == 1
    page.get_by_role("button", name="Sign out").click()
    # Leah signs in through the provider the admin added.
    sign_in_at_provider(page, "Community Health Trust", "leah")
    page.goto(f"/cases/{world.case.pk}/")
    assert page.url.endswith(f"/cases/{world.case.pk}/")
