"""Registering and changing an agency's OpenID Connect providers (writes: keyword-only, atomic, audited).

`manage.py add_oidc_provider` and the partnership admin's pages (sso/admin_views.py) both register a
provider through `oidc_provider_register`: the server reads the provider's discovery document (with
`OIDC_TIMEOUT_SECONDS`, no redirects followed), checks it, and stores the issuer and endpoints. The
client secret is never stored or accepted: only the name of the environment variable holding it.
"""

import json
import re
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from sso.models import OidcProvider

WELL_KNOWN = "/.well-known/openid-configuration"
# A discovery document is a few kilobytes; anything far larger is not one.
MAX_DISCOVERY_BYTES = 256 * 1024
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
# POSIX environment variable names, upper case as operators write them.
# Short names the sign-in addresses (/accounts/sso/<slug>/) already use for the portal's own pages.
RESERVED_SLUGS = frozenset({"callback", "sign-out"})
SECRET_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")

# Discovery document member -> OidcProvider field. The first five are required.
REQUIRED_ENDPOINTS = {
    "authorization_endpoint": "authorization_endpoint",
    "token_endpoint": "token_endpoint",
    "userinfo_endpoint": "userinfo_endpoint",
    "jwks_uri": "jwks_endpoint",
}
OPTIONAL_ENDPOINTS = {"end_session_endpoint": "end_session_endpoint"}


class DiscoveryError(ValidationError):
    """The discovery document could not be read or is not one the portal can use (a message for a person)."""


def discovery_url_for(url):
    """The discovery document's address: the URL given, or the issuer's with /.well-known/openid-configuration added."""
    url = (url or "").strip()
    return url if url.rstrip("/").endswith(WELL_KNOWN) else url.rstrip("/") + WELL_KNOWN


def secure_enough(url):
    """https, or http only on this machine's loopback address (a provider run for tests) or with DEBUG on."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and bool(parts.hostname) and (parts.hostname in LOOPBACK_HOSTS or settings.DEBUG)


def discover(url):
    """The issuer and endpoints from a provider's discovery document, checked; raises DiscoveryError.

    Checks (OpenID Connect Discovery 1.0, section 4.3): the address is https; the document's `issuer`
    is the address the document was fetched from, less /.well-known/openid-configuration; every
    endpoint is https. `end_session_endpoint` (RP-Initiated Logout) is read when present.
    """
    url = discovery_url_for(url)
    if not secure_enough(url):
        raise DiscoveryError("Enter a discovery address that starts with https://")
    try:
        with requests.get(url, timeout=settings.OIDC_TIMEOUT, allow_redirects=False, headers={"Accept": "application/json"}, stream=True) as response:
            if response.is_redirect:
                raise DiscoveryError(
                    f"The discovery address sends elsewhere ({response.status_code}). Enter the address the provider publishes, not a redirect"
                )
            response.raise_for_status()
            body = response.raw.read(MAX_DISCOVERY_BYTES + 1, decode_content=True)
        if len(body) > MAX_DISCOVERY_BYTES:
            raise DiscoveryError("The discovery address did not return a discovery document (it is far too large)")
        document = json.loads(body)
    except requests.Timeout as error:
        raise DiscoveryError(f"The provider did not answer within {settings.OIDC_TIMEOUT} seconds. Check the discovery address, or try again later") from error
    except requests.HTTPError as error:
        raise DiscoveryError(f"The provider answered {error.response.status_code} at that address. Check the discovery address") from error
    except requests.RequestException as error:
        raise DiscoveryError(
            "The portal could not reach the discovery address. Check it, and that the provider can be reached from the portal's server"
        ) from error
    except ValueError as error:
        raise DiscoveryError("The discovery address did not return a discovery document (not JSON)") from error
    if not isinstance(document, dict):
        raise DiscoveryError("The discovery address did not return a discovery document")
    missing = [name for name in ("issuer", *REQUIRED_ENDPOINTS) if not isinstance(document.get(name), str) or not document.get(name)]
    if missing:
        raise DiscoveryError(f"The discovery document lacks {', '.join(missing)}")
    issuer = document["issuer"]
    if issuer.rstrip("/") + WELL_KNOWN != url.rstrip("/"):
        raise DiscoveryError("The discovery document names another issuer than the address it was read from. Enter the provider's own discovery address")
    found = {"issuer": issuer}
    for name, field in {**REQUIRED_ENDPOINTS, **OPTIONAL_ENDPOINTS}.items():
        value = document.get(name) or ""
        if name in OPTIONAL_ENDPOINTS and not isinstance(value, str):
            value = ""
        if value and not secure_enough(value):
            raise DiscoveryError(f"The discovery document's {name} is not an https address")
        if len(value) > OidcProvider._meta.get_field(field).max_length:
            raise DiscoveryError(f"The discovery document's {name} is too long to store")
        found[field] = value
    return found


def _check_secret_env(name):
    if not SECRET_ENV_NAME.match(name or ""):
        raise ValidationError(
            {"client_secret_env": "Enter the name of an environment variable, in capital letters, digits and underscores, like OIDC_SECRET_RIVERSIDE"}
        )


def oidc_provider_register(
    *,
    agency: Agency,
    slug,
    display_name,
    discovery_url,
    client_id,
    client_secret_env,
    email_verified_by_provider=False,
    replace=False,
    actor=None,
    request=None,
):
    """Add the provider `slug` for `agency` from its discovery document; with `replace`, update it if it exists.

    Raises ValidationError keyed by field: `discovery_url` (unreachable, not https, issuer mismatch,
    endpoints missing), `slug` (taken, and not `replace`), `client_secret_env` (not a variable name).
    The document is read before the transaction opens, so no lock is held while waiting for it.
    Returns (provider, created). Audited once (CREATE or UPDATE).
    """
    _check_secret_env(client_secret_env)
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise ValidationError({"slug": "The short name must use only lower-case letters, digits, hyphens and underscores"}) from error
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"The short name {slug} is used by the portal itself. Choose another short name"})
    if not replace and OidcProvider.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": "A provider with this short name already exists. Choose another short name"})
    try:
        endpoints = discover(discovery_url)
    except DiscoveryError as error:
        raise ValidationError({"discovery_url": error.messages}) from error
    with transaction.atomic():
        values = {
            "agency": agency,
            "display_name": display_name,
            "client_id": client_id,
            "client_secret_env": client_secret_env,
            "email_verified_by_provider": email_verified_by_provider,
            "is_active": True,
            **endpoints,
        }
        if replace:
            provider, created = OidcProvider.objects.update_or_create(slug=slug, defaults=values)
        else:
            if OidcProvider.objects.select_for_update().filter(slug=slug).exists():
                raise ValidationError({"slug": "A provider with this short name already exists. Choose another short name"})
            provider, created = OidcProvider.objects.create(slug=slug, **values), True
        sign_out = f", sign-out at {provider.end_session_endpoint}" if provider.end_session_endpoint else ", no sign-out endpoint"
        audit_record(
            user=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="oidc_provider",
            object_id=str(provider.pk),
            detail=f"single sign-on provider {slug} for {agency.name}: issuer {provider.issuer}, client {client_id}, secret in {client_secret_env}{sign_out}",
            request=request,
        )
    return provider, created


def oidc_provider_update(*, provider: OidcProvider, display_name, is_active, email_verified_by_provider, actor, reread_discovery=False, request=None):
    """Change what a partnership admin may change on a provider: its name on the button, active, and trusting its email addresses.

    With `reread_discovery` the endpoints are read again from the issuer's discovery document (a
    provider that has since published a sign-out address, say); the issuer itself cannot change.
    Raises ValidationError on `reread_discovery` when the document cannot be used. Audited once, when anything changed.
    """
    endpoints = {}
    if reread_discovery:
        try:
            endpoints = discover(provider.issuer)
        except DiscoveryError as error:
            raise ValidationError({"reread_discovery": error.messages}) from error
    with transaction.atomic():
        changes = []
        if provider.display_name != display_name:
            changes.append(f"display name {provider.display_name!r} -> {display_name!r}")
        if provider.is_active != is_active:
            changes.append("activated" if is_active else "deactivated")
        if provider.email_verified_by_provider != email_verified_by_provider:
            changes.append(f"email addresses vouched for by the provider: {'yes' if email_verified_by_provider else 'no'}")
        for field, value in endpoints.items():
            if getattr(provider, field) != value:
                changes.append(f"{field} {getattr(provider, field) or '(none)'} -> {value or '(none)'}")
                setattr(provider, field, value)
        if not changes:
            return provider
        provider.display_name, provider.is_active, provider.email_verified_by_provider = display_name, is_active, email_verified_by_provider
        provider.save()
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="oidc_provider",
            object_id=str(provider.pk),
            detail=f"single sign-on provider {provider.slug} for {provider.agency.name}: {'; '.join(changes)}",
            request=request,
        )
    return provider


def oidc_provider_deactivate(*, provider: OidcProvider, actor, request=None):
    """Nobody signs in through this provider any more (its button goes); portal sessions already begun run on."""
    return oidc_provider_update(
        provider=provider,
        display_name=provider.display_name,
        is_active=False,
        email_verified_by_provider=provider.email_verified_by_provider,
        actor=actor,
        request=request,
    )
