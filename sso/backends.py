"""Sign-in through an agency's OpenID Connect provider (mozilla-django-oidc, one provider per agency).

The provider proves who the person is; the portal decides whether they may come in. A person is let
in only when they are already a portal user of the agency the provider is configured for, found by
the subject linked before or else by a verified email address. Their agency and role are the
portal's; nothing in the provider's claims changes them, and no user is ever created here.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sso.models import OidcIdentity, OidcProvider

# session key: state -> provider id, written when the browser is sent to the provider.
STATE_PROVIDERS = "sso_state_providers"


def provider_asserts_mfa(payload):
    """True when the ID token says the person used more than a password (`amr` or `acr`)."""
    amr = payload.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.OIDC_MFA_AMR_VALUES):
        return True
    return bool(payload.get("acr")) and payload.get("acr") in settings.OIDC_MFA_ACR_VALUES


class AgencyOidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Configured per sign-in from the provider the browser was sent to, not from global settings.
        self.UserModel = get_user_model()
        self.provider = None

    def configure(self, provider):
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret()
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        provider_id = request.session.get(STATE_PROVIDERS, {}).get(request.GET["state"])
        provider = OidcProvider.objects.filter(pk=provider_id, is_active=True, agency__is_active=True).select_related("agency").first()
        if provider is None:
            return None
        self.configure(provider)
        request.sso_provider = provider
        return super().authenticate(request, **kwargs)

    def store_tokens(self, access_token, id_token):
        # Not in the session yet: the callback keeps the ID token only once the person is let in (sso/views.py),
        # for signing out at the provider (sso/logout.py). The access token is not kept.
        self.request.sso_id_token = id_token

    def get_or_create_user(self, access_token, id_token, payload):
        provider = self.provider
        audience = payload.get("aud")
        audience = [audience] if isinstance(audience, str) else (audience or [])
        if payload.get("iss") != provider.issuer or provider.client_id not in audience:
            raise SuspiciousOperation("ID token from another issuer or for another client")
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo subject differs from the ID token's")
        user = self.match_user(provider, payload["sub"], claims)
        if user is None:
            # Audited as a failed sign-in by agencies/signals.py when Django reports the failure.
            self.request.sso_refused_email = claims.get("email", "")
            self.request.sso_refusal_detail = f"single sign-on through {provider.slug}: no portal user of {provider.agency.name} with this identity"
            return None
        self.request.sso_mfa_asserted = provider_asserts_mfa(payload)
        return user

    def match_user(self, provider, subject, claims):
        """The active portal user of the provider's agency with this subject, or this verified email."""
        users = self.UserModel.objects.filter(is_active=True, membership__agency=provider.agency)
        with transaction.atomic():
            identity = OidcIdentity.objects.select_for_update().filter(provider=provider, subject=subject).select_related("user").first()
            if identity is not None:
                user = users.filter(pk=identity.user_id).first()
            else:
                email = (claims.get("email") or "").strip()
                verified = claims.get("email_verified") is True or provider.email_verified_by_provider
                candidates = list(users.filter(email__iexact=email)[:2]) if email and verified else []
                # Two portal users with one address: refuse rather than pick one.
                user = candidates[0] if len(candidates) == 1 else None
                if user is not None:
                    identity = OidcIdentity.objects.create(provider=provider, subject=subject, user=user)
            if user is not None:
                identity.last_sign_in_at = timezone.now()
                identity.save(update_fields=["last_sign_in_at"])
        return user
