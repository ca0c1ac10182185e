"""The "Sign in with <organisation>" start, the provider's return, the refusal page, and signing out.

Signing out (`sign_out`, the portal's one sign-out) is a POST with CSRF protection. It ends the portal
session; after a single sign-on through a provider that publishes an end_session_endpoint it then
sends the browser there to end the provider's session too (sso/logout.py), which sends it back to the
signed-out page. The way there is a page of the portal's own (`provider_sign_out`) that moves on at
once (an instant meta refresh, with a link): the portal's Content-Security-Policy allows a form to
post only to the portal (`form-action 'self'`, which browsers apply to a form's redirects too), and it
stays that strict.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from agencies.two_factor import MFA_ASSERTED_USER
from sso import logout as sso_logout
from sso.backends import STATE_PROVIDERS
from sso.models import OidcProvider

MAX_PENDING_STATES = 5


class SsoStartView(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request, slug):
        provider = get_object_or_404(OidcProvider, slug=slug, is_active=True, agency__is_active=True)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        # The state just made is the one in oidc_states not yet mapped to a provider.
        mapped = request.session.get(STATE_PROVIDERS, {})
        states = list(request.session.get("oidc_states", {}))
        mapped = {state: mapped.get(state, provider.pk) for state in states[-MAX_PENDING_STATES:]}
        request.session[STATE_PROVIDERS] = mapped
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        response = super().login_success()
        session = self.request.session
        session.pop(STATE_PROVIDERS, None)
        if getattr(self.request, "sso_mfa_asserted", False):
            session[MFA_ASSERTED_USER] = self.user.pk
        else:
            session.pop(MFA_ASSERTED_USER, None)
        # Kept server-side (database sessions) for signing out at the provider: the cookie holds only the session key.
        provider = getattr(self.request, "sso_provider", None)
        id_token = getattr(self.request, "sso_id_token", None)
        if provider is not None and id_token:
            session[sso_logout.ID_TOKEN] = id_token
            session[sso_logout.PROVIDER] = provider.pk
        return response

    def login_failure(self):
        provider = getattr(self.request, "sso_provider", None)
        return render(self.request, "sso/refused.html", {"provider": provider}, status=403)


@require_POST
@csrf_protect
@never_cache
def sign_out(request):
    """End the portal session; after a single sign-on, go on to the provider's sign-out (RP-Initiated Logout).

    Where to go next never comes from the request (no `next`): the provider's endpoint is the stored
    one, and it sends the browser back to the signed-out page only.
    """
    at_provider = sso_logout.provider_sign_out(request.session) if request.user.is_authenticated else None
    logout(request)  # the signal writes the "Logged out" audit row; the session and the ID token in it are gone
    if at_provider is None:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    url, state, provider = at_provider
    request.session[sso_logout.SIGNED_OUT] = {"state": state, "provider": provider.display_name, "url": url}
    return redirect("sso_provider_sign_out")


@require_GET
@never_cache
def provider_sign_out(request):
    """The step from the portal's sign-out to the provider's: shown once, then the browser moves on to the provider."""
    pending = request.session.get(sso_logout.SIGNED_OUT) or {}
    url = pending.pop("url", None)
    if not url:
        return redirect("signed_out")
    request.session[sso_logout.SIGNED_OUT] = pending
    return render(request, "sso/provider_sign_out.html", {"url": url, "provider_name": pending.get("provider", "")})


@require_GET
@never_cache
def signed_out(request):
    """Where a provider sends the browser back after its sign-out; also fine to reach directly."""
    pending = request.session.pop(sso_logout.SIGNED_OUT, None) or {}
    state = request.GET.get("state", "")
    provider_name = pending.get("provider") if state and constant_time_compare(state, pending.get("state", "")) else None
    return render(request, "sso/signed_out.html", {"provider_name": provider_name})
