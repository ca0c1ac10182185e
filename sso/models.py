"""An agency's OpenID Connect provider, and the provider subjects already linked to portal users.

The client secret is never stored: `client_secret_env` names an environment variable holding it, or
(`<NAME>_FILE`) a file holding it, as container secrets are mounted.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from agencies.models import Agency


class OidcProvider(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="oidc_providers")
    slug = models.SlugField(unique=True, help_text="Part of the sign-in address: /accounts/sso/<slug>/")
    display_name = models.CharField(max_length=120, help_text='Shown on the button: "Sign in with <display name>"')
    issuer = models.URLField(help_text="The provider's issuer identifier; an ID token from any other issuer is refused")
    authorization_endpoint = models.URLField()
    token_endpoint = models.URLField()
    userinfo_endpoint = models.URLField()
    jwks_endpoint = models.URLField()
    # OpenID Connect RP-Initiated Logout 1.0: signing out of the portal also ends the provider's
    # session there (sso/logout.py). Blank when the provider's discovery document offers none.
    end_session_endpoint = models.URLField(max_length=500, blank=True, help_text="The provider's sign-out address (end_session_endpoint), if it has one")
    client_id = models.CharField(max_length=255)
    client_secret_env = models.CharField(
        max_length=100,
        help_text="Name of the environment variable holding the client secret (or <NAME>_FILE: a file holding it)",
    )
    sign_algo = models.CharField(max_length=10, default="RS256")
    email_verified_by_provider = models.BooleanField(
        default=False,
        help_text="Trust the email claim without an email_verified claim (only for a provider that issues organisation addresses itself)",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name} ({self.agency})"

    def client_secret_is_set(self):
        """Whether the named variable (or its _FILE) holds a secret: for the admin pages, which never show the secret."""
        name = self.client_secret_env
        if os.environ.get(name):
            return True
        path = os.environ.get(f"{name}_FILE")
        try:
            return bool(path) and bool(Path(path).read_text().strip())
        except OSError:
            return False

    def client_secret(self):
        name = self.client_secret_env
        if os.environ.get(name):
            return os.environ[name]
        path = os.environ.get(f"{name}_FILE")
        if path:
            return Path(path).read_text().strip()
        raise ImproperlyConfigured(f"The client secret of OIDC provider {self.slug!r} is not set (environment variable {name} or {name}_FILE)")


class OidcIdentity(models.Model):
    """A provider's subject (`sub`) linked to a portal user at the first sign-in that matched by email."""

    provider = models.ForeignKey(OidcProvider, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities")
    linked_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique_subject")]
