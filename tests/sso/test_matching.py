"""Who an OpenID Connect sign-in may become: the portal decides (sso/backends.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agencies.models import AgencyKind, Role
from sso.backends import AgencyOidcBackend, provider_asserts_mfa
from sso.models import OidcIdentity, OidcProvider
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    agency = make_agency(AgencyKind.SCHOOL, name="Riverside School")
    return OidcProvider.objects.create(
        agency=agency,
        slug="riverside",
        display_name="Riverside School",
        issuer="https://login.example",
        authorization_endpoint="https://login.example/authorize",
        token_endpoint="https://login.example/token",
        userinfo_endpoint="https://login.example/userinfo",
        jwks_endpoint="https://login.example/jwks",
        client_id="portal",
        client_secret_env="OIDC_SECRET_TEST_RIVERSIDE",
    )


def test_a_verified_email_of_the_agency_links_the_subject_and_the_subject_is_used_after(provider):
    user = make_user(provider.agency, Role.DSL, "dsl")
    backend = AgencyOidcBackend()
    assert backend.match_user(provider, "sub-1", {"email": "DSL@example.org", "email_verified": True}) == user
    assert OidcIdentity.objects.get(provider=provider, subject="sub-1").user == user
    # Later the email claim no longer matters: the linked subject decides.
    assert backend.match_user(provider, "sub-1", {"email": "changed@elsewhere.example"}) == user
    user.membership.refresh_from_db()
    assert (user.membership.agency, user.membership.role) == (provider.agency, Role.DSL)


def test_an_unverified_email_a_shared_email_and_another_agencys_user_are_refused(provider):
    make_user(provider.agency, Role.PRACTITIONER, "alex")
    backend = AgencyOidcBackend()
    assert backend.match_user(provider, "s1", {"email": "alex@example.org"}) is None
    assert backend.match_user(provider, "s1", {"email": "alex@example.org", "email_verified": False}) is None
    other = make_user(make_agency(AgencyKind.POLICE, name="County Police"), Role.PRACTITIONER, "pc")
    assert backend.match_user(provider, "s2", {"email": other.email, "email_verified": True}) is None
    twin = make_user(provider.agency, Role.PRACTITIONER, "twin")
    twin.email = "alex@example.org"
    twin.save()
    assert backend.match_user(provider, "s3", {"email": "alex@example.org", "email_verified": True}) is None
    assert not OidcIdentity.objects.exists()


def test_a_deactivated_user_is_refused_even_with_a_linked_subject(provider):
    user = make_user(provider.agency, Role.PRACTITIONER, "gone")
    backend = AgencyOidcBackend()
    assert backend.match_user(provider, "s1", {"email": user.email, "email_verified": True}) == user
    user.is_active = False
    user.save()
    assert backend.match_user(provider, "s1", {"email": user.email, "email_verified": True}) is None


def test_mfa_is_asserted_only_by_the_configured_amr_or_acr_values(settings):
    settings.OIDC_MFA_AMR_VALUES = ["mfa", "otp", "hwk"]
    settings.OIDC_MFA_ACR_VALUES = ["urn:example:loa:high"]
    assert provider_asserts_mfa({"amr": ["pwd", "mfa"]})
    assert provider_asserts_mfa({"amr": "hwk"})
    assert provider_asserts_mfa({"acr": "urn:example:loa:high"})
    assert not provider_asserts_mfa({"amr": ["pwd"], "acr": "urn:example:loa:low"})
    assert not provider_asserts_mfa({})
    settings.OIDC_MFA_AMR_VALUES = []
    assert not provider_asserts_mfa({"amr": ["mfa"]})


def test_the_client_secret_comes_from_the_environment_or_a_file_never_the_database(provider, monkeypatch, tmp_path):
    monkeypatch.delenv("OIDC_SECRET_TEST_RIVERSIDE", raising=False)
    with pytest.raises(ImproperlyConfigured):
        provider.client_secret()
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    monkeypatch.setenv("OIDC_SECRET_TEST_RIVERSIDE_FILE", str(secret_file))
    assert provider.client_secret() == "from-a-file"
    monkeypatch.setenv("OIDC_SECRET_TEST_RIVERSIDE", "from-the-environment")
    assert provider.client_secret() == "from-the-environment"
    assert "from-the-environment" not in str(OidcProvider.objects.filter(pk=provider.pk).values().get())
