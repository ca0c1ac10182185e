"""Signing out at the provider too: OpenID Connect RP-Initiated Logout 1.0.

At a single sign-on the ID token and the provider are kept in the portal's session (server-side, in
the database; sso/views.py). Signing out of the portal ends that session and, when the provider
publishes an `end_session_endpoint`, sends the browser there with `id_token_hint`, `client_id`, a
one-time `state` and `post_logout_redirect_uri`: the portal's signed-out page, built from SITE_URL and
never from anything in the request, so the sign-out cannot be turned into a redirect elsewhere.
"""

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse

from sso.models import OidcProvider
from sso.services import secure_enough

# Session keys: written at a single sign-on (sso/views.py), read at sign-out.
ID_TOKEN = "sso_id_token"
PROVIDER = "sso_provider_id"
# In the fresh session after sign-out: the state sent to the provider and the provider's name, for the signed-out page.
SIGNED_OUT = "sso_signed_out"


def post_logout_redirect_uri():
    """The signed-out page's absolute address (register it at the provider as a post-logout redirect URI)."""
    return settings.SITE_URL + reverse("signed_out")


def end_session_url(provider: OidcProvider, id_token, state):
    """The provider's end_session_endpoint with the logout request's parameters, or None when it has none fit to use.

    The endpoint's own query (a tenant's policy, say) is kept; the four parameters replace any of the same name.
    """
    endpoint = provider.end_session_endpoint
    if not endpoint or not secure_enough(endpoint):
        return None
    parts = urlsplit(endpoint)
    ours = {"id_token_hint": id_token, "post_logout_redirect_uri": post_logout_redirect_uri(), "client_id": provider.client_id, "state": state}
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in ours]
    query += [(key, value) for key, value in ours.items() if value]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def provider_sign_out(session):
    """(url, state, provider) to send the browser to after the portal session ends, or None to sign out here only.

    Only for a session that signed in through a provider still active, with the ID token it issued.
    """
    id_token = session.get(ID_TOKEN)
    provider = OidcProvider.objects.filter(pk=session.get(PROVIDER), is_active=True).first() if id_token else None
    if provider is None:
        return None
    state = secrets.token_urlsafe(24)
    url = end_session_url(provider, id_token, state)
    return (url, state, provider) if url else None
