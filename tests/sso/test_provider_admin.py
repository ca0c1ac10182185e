"""Partnership admins add and change an agency's single sign-on providers (sso/admin_views.py, sso/services.py).

The discovery document is read over HTTP from a real local server (tests/sso/conftest.py).
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from sso import services
from sso.models import OidcProvider

pytestmark = pytest.mark.django_db


def form_data(discovery_url, **overrides):
    return {
        "display_name": "Community Health Trust",
        "slug": "health",
        "discovery_url": discovery_url,
        "client_id": "portal-client",
        "client_secret_env": "OIDC_SECRET_HEALTH",
        **overrides,
    }


def error_summary(response):
    return response.content.decode().split('govuk-error-summary__list">')[1].split("</ul>")[0]


# --- Reading the discovery document -------------------------------------------------------------


def test_discovery_reads_the_endpoints_and_the_sign_out_address(discovery_server):
    url = discovery_server.document()
    found = services.discover(url)
    issuer = discovery_server.base + "/tenant"
    assert found == {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_endpoint": f"{issuer}/jwks",
        "end_session_endpoint": f"{issuer}/logout",
    }
    # The issuer's address is enough: the well-known path is added.
    assert services.discover(issuer) == found


def test_a_provider_without_a_sign_out_address_is_still_accepted(discovery_server):
    assert services.discover(discovery_server.document(end_session_endpoint=None))["end_session_endpoint"] == ""


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s: s.document(issuer="https://someone-else.example"), "names another issuer"),
        (lambda s: s.document(jwks_uri=None), "lacks jwks_uri"),
        (lambda s: s.document(token_endpoint="http://login.example/token"), "token_endpoint is not an https address"),
        (lambda s: s.document(end_session_endpoint="http://login.example/logout"), "end_session_endpoint is not an https address"),
        (lambda s: s.serve("/x/.well-known/openid-configuration", b"<html>", status=200) or s.base + "/x", "not JSON"),
        (lambda s: s.serve("/y/.well-known/openid-configuration", b"{}", status=500) or s.base + "/y", "answered 500"),
        (
            lambda s: s.serve("/z/.well-known/openid-configuration", b"", status=302, headers={"Location": "https://evil.example/"}) or s.base + "/z",
            "sends elsewhere",
        ),
        (lambda s: s.serve("/big/.well-known/openid-configuration", b" " * (300 * 1024)) or s.base + "/big", "far too large"),
        (lambda s: "http://127.0.0.1:9/nothing-listens-here", "could not reach"),
    ],
    ids=["issuer-mismatch", "missing-jwks", "http-endpoint", "http-sign-out", "not-json", "server-error", "redirect", "too-large", "unreachable"],
)
def test_discovery_refuses_what_the_portal_cannot_trust(discovery_server, setup, message, settings):
    settings.DEBUG = False
    with pytest.raises(services.DiscoveryError) as refused:
        services.discover(setup(discovery_server))
    assert message in " ".join(refused.value.messages)


def test_discovery_gives_up_after_the_timeout(discovery_server, settings):
    settings.OIDC_TIMEOUT = 1
    discovery_server.serve("/slow/.well-known/openid-configuration", b"{}", delay=3)
    with pytest.raises(services.DiscoveryError, match="did not answer within 1 seconds"):
        services.discover(discovery_server.base + "/slow")


def test_plain_http_is_refused_outside_debug_except_on_this_machine(settings):
    settings.DEBUG = False
    assert not services.secure_enough("http://login.example.org/.well-known/openid-configuration")
    assert services.secure_enough("http://127.0.0.1:8081/.well-known/openid-configuration")
    assert services.secure_enough("https://login.example.org/x")
    assert not services.secure_enough("ftp://login.example.org/x")
    with pytest.raises(services.DiscoveryError, match="https://"):
        services.discover("http://login.example.org/")
    settings.DEBUG = True
    assert services.secure_enough("http://login.example.org/x")


# --- The command and the page share one function ------------------------------------------------


def test_the_command_registers_and_updates_through_the_shared_function(world, discovery_server, capsys):
    url = discovery_server.document()
    call_command(
        "add_oidc_provider",
        agency="Community Health Trust",
        slug="health",
        display_name="Health",
        discovery_url=url,
        client_id="c",
        client_secret_env="OIDC_SECRET_HEALTH",
    )
    provider = OidcProvider.objects.get(slug="health")
    assert provider.end_session_endpoint == discovery_server.base + "/tenant/logout"
    assert "post-logout redirect URI" in capsys.readouterr().out
    # Again: updated, not refused (the command is idempotent), and audited as an update.
    call_command(
        "add_oidc_provider",
        agency="Community Health Trust",
        slug="health",
        display_name="Health Trust",
        discovery_url=url,
        client_id="c",
        client_secret_env="OIDC_SECRET_HEALTH",
    )
    assert OidcProvider.objects.get(slug="health").display_name == "Health Trust"
    assert list(AccessEvent.objects.filter(object_type="oidc_provider").values_list("action", flat=True).order_by("pk")) == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
    ]
    with pytest.raises(CommandError, match="discovery_url: .*names another issuer"):
        call_command(
            "add_oidc_provider",
            agency="Community Health Trust",
            slug="h2",
            display_name="H",
            discovery_url=discovery_server.document("/t2", issuer="https://x.example"),
            client_id="c",
            client_secret_env="OIDC_SECRET_H2",
        )


def test_the_page_refuses_a_taken_short_name_where_the_command_would_update(world, discovery_server):
    url = discovery_server.document()
    services.oidc_provider_register(
        agency=world.health, slug="health", display_name="Health", discovery_url=url, client_id="c", client_secret_env="OIDC_SECRET_HEALTH"
    )
    with pytest.raises(ValidationError) as refused:
        services.oidc_provider_register(
            agency=world.school, slug="health", display_name="School", discovery_url=url, client_id="c", client_secret_env="OIDC_SECRET_SCHOOL"
        )
    assert "slug" in refused.value.message_dict
    assert OidcProvider.objects.get(slug="health").agency == world.health


# --- The pages ----------------------------------------------------------------------------------


@pytest.fixture
def admin_client_for(world, client_for):
    return client_for(world.users["admin"])


def test_an_admin_adds_a_provider_from_its_discovery_address(world, discovery_server, admin_client_for, monkeypatch):
    monkeypatch.delenv("OIDC_SECRET_HEALTH", raising=False)
    client = admin_client_for
    agency_page = client.get(reverse("agencies:agency_edit", args=[world.health.pk])).content.decode()
    assert reverse("sso:provider_list", args=[world.health.pk]) in agency_page
    url = discovery_server.document()
    response = client.post(reverse("sso:provider_create", args=[world.health.pk]), form_data(url, client_secret="never-stored"))
    assert response.status_code == 302 and response["Location"] == reverse("sso:provider_list", args=[world.health.pk])
    provider = OidcProvider.objects.get(slug="health")
    assert (provider.agency, provider.issuer, provider.client_secret_env) == (world.health, discovery_server.base + "/tenant", "OIDC_SECRET_HEALTH")
    assert provider.end_session_endpoint.endswith("/tenant/logout")
    event = AccessEvent.objects.get(object_type="oidc_provider")
    assert (event.action, event.username, event.object_id) == (AuditAction.CREATE, "admin", str(provider.pk))
    assert "never-stored" not in event.detail
    listing = client.get(response["Location"]).content.decode()
    assert "Community Health Trust" in listing and "OIDC_SECRET_HEALTH" in listing
    assert "Set on the server: no" in listing
    assert "Signs people out of the provider too" in listing
    monkeypatch.setenv("OIDC_SECRET_HEALTH", "the-real-secret-value")
    listing = client.get(response["Location"]).content.decode()
    assert "Set on the server: yes" in listing
    assert "the-real-secret-value" not in listing
    edit = client.get(reverse("sso:provider_edit", args=[provider.pk])).content.decode()
    assert "the-real-secret-value" not in edit and "Set on the server: yes" in edit


def test_no_form_takes_a_client_secret():
    from sso.forms import ProviderCreateForm, ProviderEditForm

    for form in (ProviderCreateForm, ProviderEditForm):
        assert not [name for name in form.base_fields if "secret" in name and name != "client_secret_env"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda s, url: {"discovery_url": "http://127.0.0.1:9/nothing"}, "discovery_url", "could not reach the discovery address"),
        (lambda s, url: {"discovery_url": "http://login.example.org/"}, "discovery_url", "starts with https://"),
        (lambda s, url: {"discovery_url": s.document("/other", issuer="https://someone-else.example")}, "discovery_url", "names another issuer"),
        (lambda s, url: {"slug": "riverside"}, "slug", "already exists"),
        (lambda s, url: {"slug": "Not a slug!"}, "slug", "lower-case letters"),
        (lambda s, url: {"slug": "callback"}, "slug", "used by the portal itself"),
        (lambda s, url: {"client_secret_env": "the secret itself"}, "client_secret_env", "capital letters"),
        (lambda s, url: {"display_name": ""}, "display_name", "Enter the name people will see"),
    ],
    ids=["unreachable", "not-https", "issuer-mismatch", "duplicate-slug", "bad-slug", "reserved-slug", "bad-variable", "no-name"],
)
def test_bad_input_shows_the_form_again_with_the_text_kept_and_a_govuk_error(world, discovery_server, admin_client_for, settings, change, field, message):
    settings.DEBUG = False
    OidcProvider.objects.create(
        agency=world.school,
        slug="riverside",
        display_name="Riverside",
        issuer="https://r.example",
        authorization_endpoint="https://r.example/a",
        token_endpoint="https://r.example/t",
        userinfo_endpoint="https://r.example/u",
        jwks_endpoint="https://r.example/j",
        client_id="c",
        client_secret_env="OIDC_SECRET_RIVERSIDE",
    )
    data = form_data(discovery_server.document())
    data.update(change(discovery_server, data["discovery_url"]))
    response = admin_client_for.post(reverse("sso:provider_create", args=[world.health.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in error_summary(response)
    assert f'href="#id_{field}"' in error_summary(response)
    assert f'id="id_{field}-error-1"' in html and "govuk-form-group--error" in html
    assert "<title>Error: " in html
    for name in ("display_name", "slug", "discovery_url", "client_id", "client_secret_env"):
        if data[name]:
            assert f'value="{data[name]}"' in html.replace("&quot;", '"'), f"{name} kept"
    assert OidcProvider.objects.count() == 1
    assert not AccessEvent.objects.filter(object_type="oidc_provider").exists()


def test_an_admin_edits_and_deactivates_a_provider_and_each_change_is_audited(world, discovery_server, admin_client_for):
    provider, _ = services.oidc_provider_register(
        agency=world.health,
        slug="health",
        display_name="Health",
        discovery_url=discovery_server.document(),
        client_id="c",
        client_secret_env="OIDC_SECRET_HEALTH",
    )
    client = admin_client_for
    response = client.post(
        reverse("sso:provider_edit", args=[provider.pk]),
        {"display_name": "Community Health Trust", "is_active": "on", "email_verified_by_provider": "on", "issuer": "https://evil.example"},
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.display_name, provider.is_active, provider.email_verified_by_provider) == ("Community Health Trust", True, True)
    assert provider.issuer == discovery_server.base + "/tenant", "the issuer is the discovery document's, not the form's"
    response = client.post(reverse("sso:provider_deactivate", args=[provider.pk]))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert not provider.is_active
    # The sign-in page no longer offers it, and its start address is gone.
    assert "Sign in with Community Health Trust" not in client.get(reverse("login")).content.decode()
    rows = list(AccessEvent.objects.filter(object_type="oidc_provider", user_id=world.users["admin"].pk).order_by("pk"))
    assert [row.action for row in rows] == [AuditAction.UPDATE, AuditAction.UPDATE]
    assert "display name 'Health' -> 'Community Health Trust'" in rows[0].detail and "deactivated" in rows[1].detail
    # Saving with nothing changed writes nothing.
    client.post(reverse("sso:provider_edit", args=[provider.pk]), {"display_name": "Community Health Trust", "email_verified_by_provider": "on"})
    assert AccessEvent.objects.filter(object_type="oidc_provider", user_id=world.users["admin"].pk).count() == 2


@pytest.mark.parametrize("kind", ["lead_manager", "strategy", "auditor", "csc_manager"])
def test_anyone_else_is_refused_with_one_audit_row(world, client_for, kind):
    client = client_for(world.users[kind])
    before = AccessEvent.objects.filter(action=AuditAction.DENIED).count()
    response = client.post(reverse("sso:provider_create", args=[world.health.pk]), form_data("https://login.example.org/"))
    assert response.status_code == 403
    assert AccessEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1
    assert not OidcProvider.objects.exists()


def test_the_access_layer_says_who_manages_providers(world):
    from agencies import access

    assert access.can_manage_identity_providers(world.users["admin"])
    assert not [kind for kind, user in world.users.items() if kind != "admin" and access.can_manage_identity_providers(user)]


def test_reading_the_discovery_document_again_picks_up_a_sign_out_address_published_later(world, discovery_server, admin_client_for):
    provider, _ = services.oidc_provider_register(
        agency=world.health,
        slug="health",
        display_name="Health",
        discovery_url=discovery_server.document(end_session_endpoint=None),
        client_id="c",
        client_secret_env="OIDC_SECRET_HEALTH",
    )
    assert provider.end_session_endpoint == ""
    discovery_server.document()  # the provider now publishes its end_session_endpoint
    edit = reverse("sso:provider_edit", args=[provider.pk])
    response = admin_client_for.post(edit, {"display_name": "Health", "is_active": "on", "reread_discovery": "on"})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.end_session_endpoint == discovery_server.base + "/tenant/logout"
    event = AccessEvent.objects.filter(object_type="oidc_provider").latest("pk")
    assert event.action == AuditAction.UPDATE and "end_session_endpoint (none) -> " in event.detail
    # A document that no longer names the same issuer is refused beside the box; nothing changes.
    discovery_server.document(issuer="https://moved.example")
    response = admin_client_for.post(edit, {"display_name": "Renamed", "is_active": "on", "reread_discovery": "on"})
    assert response.status_code == 200
    assert "names another issuer" in error_summary(response) and 'href="#id_reread_discovery"' in error_summary(response)
    provider.refresh_from_db()
    assert (provider.display_name, provider.issuer) == ("Health", discovery_server.base + "/tenant")
