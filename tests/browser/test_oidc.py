"""Single sign-on end to end against a real OpenID Connect provider in a second process.

The provider is django-oauth-toolkit (tests/oidc_provider/), started with `runserver` on 127.0.0.1
and a free port for the session, with its own SQLite database. Its client ids ending "-mfa" put
"mfa" in the ID token's `amr`; the others only "pwd".
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
from tests.browser.conftest import serious_violations

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
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.seed", redirect_uri, json.dumps({"people": PEOPLE, "clients": CLIENTS})], cwd=ROOT, env=env, check=True
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
    return provider


@pytest.fixture
def providers(world, oidc_provider, monkeypatch):
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
