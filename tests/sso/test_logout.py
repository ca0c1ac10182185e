"""Signing out after a single sign-on also signs out at the provider (OpenID Connect RP-Initiated Logout 1.0).

The browser test (tests/browser/test_oidc.py) does it against a real provider; these pin the URL the
portal builds, the POST and CSRF rules, where the browser may and may not be sent, and that ending a
user's sessions still ends a single sign-on session.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from agencies.services import user_update
from audit.models import AccessEvent, AuditAction
from sso import logout as sso_logout
from sso.models import OidcProvider
from tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db

ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWFoIn0.c2lnbmF0dXJl"


@pytest.fixture
def provider(world):
    return OidcProvider.objects.create(
        agency=world.health,
        slug="health",
        display_name="Community Health Trust",
        issuer="https://login.health.example",
        authorization_endpoint="https://login.health.example/authorize",
        token_endpoint="https://login.health.example/token",
        userinfo_endpoint="https://login.health.example/userinfo",
        jwks_endpoint="https://login.health.example/jwks",
        end_session_endpoint="https://login.health.example/logout?p=B2C_1_signin",
        client_id="portal-client",
        client_secret_env="OIDC_SECRET_HEALTH",
    )


def signed_in_through(provider, user, client=None):
    """A client whose session came from a single sign-on: as sso/views.py leaves it after the provider's return."""
    client = sign_in_verified(client or Client(), user)
    session = client.session
    session[sso_logout.ID_TOKEN] = ID_TOKEN
    session[sso_logout.PROVIDER] = provider.pk
    session.save()
    return client


def on_to_provider(client, response):
    """The provider's sign-out address the portal's step page moves the browser on to (instant meta refresh and a link)."""
    assert response.status_code == 302 and response["Location"] == reverse("sso_provider_sign_out")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    url = html.split('<meta http-equiv="refresh" content="0;url=')[1].split('"')[0].replace("&amp;", "&")
    assert f'href="{url.replace("&", "&amp;")}"' in html, "the same address as a link, for a browser that does not refresh"
    return url


def query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_the_end_session_url_carries_the_id_token_the_signed_out_page_the_client_and_the_state(provider, settings):
    settings.SITE_URL = "https://portal.example.org"
    url = sso_logout.end_session_url(provider, ID_TOKEN, "state-1")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "login.health.example", "/logout")
    assert query(url) == {
        "p": "B2C_1_signin",  # the endpoint's own query is kept
        "id_token_hint": ID_TOKEN,
        "post_logout_redirect_uri": "https://portal.example.org/accounts/signed-out/",
        "client_id": "portal-client",
        "state": "state-1",
    }


def test_the_endpoints_own_query_cannot_choose_where_the_browser_goes_back_to(provider, settings):
    settings.SITE_URL = "https://portal.example.org"
    provider.end_session_endpoint = "https://login.health.example/logout?post_logout_redirect_uri=https://evil.example/&state=x"
    url = sso_logout.end_session_url(provider, ID_TOKEN, "state-1")
    assert parse_qs(urlsplit(url).query)["post_logout_redirect_uri"] == ["https://portal.example.org/accounts/signed-out/"]
    assert parse_qs(urlsplit(url).query)["state"] == ["state-1"]


def test_no_end_session_url_without_an_endpoint_or_with_a_plain_http_one(provider, settings):
    settings.DEBUG = False
    provider.end_session_endpoint = ""
    assert sso_logout.end_session_url(provider, ID_TOKEN, "s") is None
    provider.end_session_endpoint = "http://login.health.example/logout"
    assert sso_logout.end_session_url(provider, ID_TOKEN, "s") is None
    provider.end_session_endpoint = "javascript:alert(1)"
    assert sso_logout.end_session_url(provider, ID_TOKEN, "s") is None


def test_signing_out_ends_the_portal_session_then_sends_the_browser_to_the_provider(world, provider, settings):
    settings.SITE_URL = "https://portal.example.org"
    user = world.users["lead_practitioner"]
    client = signed_in_through(provider, user)
    old_key = client.session.session_key
    # A `next` in the form is not followed: where the browser goes is the portal's choice.
    response = client.post(reverse("logout"), {"next": "https://evil.example/"})
    location = on_to_provider(client, response)
    assert location.startswith("https://login.health.example/logout?")
    sent = query(location)
    assert (sent["id_token_hint"], sent["client_id"]) == (ID_TOKEN, "portal-client")
    assert sent["post_logout_redirect_uri"] == "https://portal.example.org/accounts/signed-out/"
    assert "evil" not in location
    # The portal session is over: a new, anonymous session carries only the state for the signed-out page.
    assert client.session.session_key != old_key
    assert "_auth_user_id" not in client.session and sso_logout.ID_TOKEN not in client.session
    assert client.get(reverse("home")).status_code == 302
    assert AccessEvent.objects.filter(action=AuditAction.LOGOUT, user_id=user.pk).count() == 1
    # The provider sends the browser back with the state: the page says both sessions ended.
    page = client.get(reverse("signed_out"), {"state": sent["state"]})
    assert page.status_code == 200
    assert "You have signed out of Neglect Portal and of Community Health Trust" in page.content.decode()
    # Once only: the step page too.
    assert client.get(reverse("sso_provider_sign_out"))["Location"] == reverse("signed_out")
    again = client.get(reverse("signed_out"), {"state": sent["state"]}).content.decode()
    assert "Community Health Trust" not in again and "You have signed out of Neglect Portal." in again


def test_the_signed_out_page_does_not_claim_the_provider_signed_out_for_another_state(world, provider):
    client = signed_in_through(provider, world.users["lead_practitioner"])
    on_to_provider(client, client.post(reverse("logout")))
    page = client.get(reverse("signed_out"), {"state": "guessed"}).content.decode()
    assert "Community Health Trust" not in page
    assert "You have signed out of Neglect Portal." in page


def test_a_password_session_or_a_provider_without_sign_out_ends_here_only(world, provider):
    user = world.users["lead_practitioner"]
    response = sign_in_verified(Client(), user).post(reverse("logout"))
    assert response["Location"] == reverse("login")
    provider.end_session_endpoint = ""
    provider.save()
    response = signed_in_through(provider, user).post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_a_deactivated_provider_is_not_sent_the_browser(world, provider):
    client = signed_in_through(provider, world.users["lead_practitioner"])
    provider.is_active = False
    provider.save()
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_the_portal_keeps_its_strict_form_action_policy(world, provider):
    """A form may post only to the portal; the way on to the provider is a page of the portal's own, not the POST's redirect."""
    client = signed_in_through(provider, world.users["lead_practitioner"])
    response = client.post(reverse("logout"))
    assert "form-action 'self'" in response["Content-Security-Policy"]
    assert response["Location"] == reverse("sso_provider_sign_out")
    assert "no-store" in client.get(reverse("sso_provider_sign_out"))["Cache-Control"], "the provider address and ID token are not cached"


def test_the_step_page_without_a_sign_out_pending_goes_to_the_signed_out_page(client):
    assert client.get(reverse("sso_provider_sign_out"))["Location"] == reverse("signed_out")


def test_signing_out_is_a_post_with_csrf_protection(world, provider):
    client = signed_in_through(provider, world.users["lead_practitioner"], Client(enforce_csrf_checks=True))
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 403  # no CSRF token
    assert client.get(reverse("home")).status_code == 200, "still signed in"
    token = client.get(reverse("home")).context["csrf_token"]
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": str(token)})
    assert on_to_provider(client, response).startswith("https://login.health.example/logout?")


def test_deactivating_a_user_still_ends_their_single_sign_on_sessions(world, provider):
    user = world.users["lead_practitioner"]
    client = signed_in_through(provider, user)
    assert client.get(reverse("home")).status_code == 200
    membership = user.membership
    user_update(
        user=user,
        agency=membership.agency,
        role=membership.role,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        job_title=membership.job_title,
        is_active=False,
        actor=world.users["admin"],
    )
    assert client.get(reverse("home")).status_code == 302
    assert sso_logout.provider_sign_out(client.session) is None, "the session and the ID token in it are gone"


def test_the_callback_keeps_the_id_token_only_for_a_person_let_in(world, provider, rf):
    from sso.backends import AgencyOidcBackend

    request = rf.get("/accounts/sso/callback/")
    request.session = {}
    backend = AgencyOidcBackend()
    backend.request = request
    backend.store_tokens("access-token", ID_TOKEN)
    # Nothing in the session yet (sso/views.py writes it after a successful sign-in), and never the access token.
    assert request.session == {}
    assert request.sso_id_token == ID_TOKEN
