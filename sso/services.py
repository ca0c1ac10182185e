"""Registering an agency's OpenID Connect provider (writes: keyword-only, atomic, audited)."""

import requests
from django.conf import settings
from django.db import transaction

from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from sso.models import OidcProvider


class DiscoveryError(Exception):
    pass


def discover(url):
    """The issuer and endpoints from a provider's discovery document (/.well-known/openid-configuration)."""
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise DiscoveryError(f"could not read the discovery document at {url}: {error}") from error
    keys = {
        "issuer": "issuer",
        "authorization_endpoint": "authorization_endpoint",
        "token_endpoint": "token_endpoint",
        "userinfo_endpoint": "userinfo_endpoint",
        "jwks_endpoint": "jwks_uri",
    }
    missing = [name for name in keys.values() if not document.get(name)]
    if missing:
        raise DiscoveryError(f"the discovery document at {url} lacks {', '.join(missing)}")
    return {field: document[name] for field, name in keys.items()}


@transaction.atomic
def oidc_provider_save(*, agency: Agency, slug, display_name, client_id, client_secret_env, endpoints, email_verified_by_provider=False, actor=None):
    """Add or update the provider `slug` for `agency`; the secret itself is never stored (only the variable's name)."""
    provider, created = OidcProvider.objects.update_or_create(
        slug=slug,
        defaults={
            "agency": agency,
            "display_name": display_name,
            "client_id": client_id,
            "client_secret_env": client_secret_env,
            "email_verified_by_provider": email_verified_by_provider,
            "is_active": True,
            **endpoints,
        },
    )
    audit_record(
        user=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="oidc_provider",
        object_id=str(provider.pk),
        detail=f"single sign-on provider {slug} for {agency.name}: issuer {provider.issuer}, client {client_id}",
    )
    return provider, created
