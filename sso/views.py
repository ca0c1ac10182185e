"""The "Sign in with <organisation>" start, the provider's return, and the refusal page."""

from django.shortcuts import get_object_or_404, render
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from agencies.two_factor import MFA_ASSERTED_USER
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
        return response

    def login_failure(self):
        provider = getattr(self.request, "sso_provider", None)
        return render(self.request, "sso/refused.html", {"provider": provider}, status=403)
