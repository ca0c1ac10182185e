"""The partnership admin's forms for single sign-on providers. None takes a client secret: only the variable's name."""

from django import forms
from django.core.validators import validate_slug

from neglect_portal.govuk_forms import GovukFormMixin
from sso.models import OidcProvider
from sso.services import RESERVED_SLUGS, SECRET_ENV_NAME

DISPLAY_NAME = forms.CharField(
    label="Name on the sign-in button",
    max_length=120,
    help_text='People see "Sign in with" and this name, for example Riverside School',
    error_messages={"required": "Enter the name people will see on the sign-in button", "max_length": "The name must be 120 characters or fewer"},
)
EMAIL_VERIFIED = forms.BooleanField(
    required=False,
    label="The provider vouches for its email addresses",
    help_text="Only for a provider that issues the organisation's own addresses. Otherwise a person is matched by email only when the provider marks the address verified.",
)


class ProviderCreateForm(GovukFormMixin, forms.Form):
    display_name = DISPLAY_NAME
    slug = forms.CharField(
        label="Short name",
        max_length=50,
        help_text="Lower-case letters, digits and hyphens, used in the sign-in address, for example riverside",
        error_messages={"required": "Enter a short name for the sign-in address", "max_length": "The short name must be 50 characters or fewer"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    discovery_url = forms.CharField(
        label="Discovery address",
        max_length=500,
        help_text="The provider's address ending /.well-known/openid-configuration, or its issuer address. The portal reads the rest from it.",
        error_messages={"required": "Enter the provider's discovery address", "max_length": "The discovery address must be 500 characters or fewer"},
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=255,
        help_text="The identifier the provider gave the portal when it was registered there",
        error_messages={"required": "Enter the client ID the provider gave the portal"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    client_secret_env = forms.CharField(
        label="Name of the environment variable holding the client secret",
        max_length=100,
        help_text="Not the secret itself: the server's operator puts the secret in this variable (or in a file named by NAME_FILE). For example OIDC_SECRET_RIVERSIDE",
        error_messages={"required": "Enter the name of the environment variable that holds the client secret"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )
    email_verified_by_provider = EMAIL_VERIFIED

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        try:
            validate_slug(slug)
        except forms.ValidationError as error:
            raise forms.ValidationError("The short name must use only lower-case letters, digits, hyphens and underscores") from error
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"The short name {slug} is used by the portal itself. Choose another short name")
        # Checked here too so a taken name is said before the provider is asked for anything.
        if OidcProvider.objects.filter(slug=slug).exists():
            raise forms.ValidationError("A provider with this short name already exists. Choose another short name")
        return slug

    def clean_discovery_url(self):
        return self.cleaned_data["discovery_url"].strip()

    def clean_client_secret_env(self):
        name = self.cleaned_data["client_secret_env"].strip()
        if not SECRET_ENV_NAME.match(name):
            raise forms.ValidationError("Enter the name of an environment variable, in capital letters, digits and underscores, like OIDC_SECRET_RIVERSIDE")
        return name


class ProviderEditForm(GovukFormMixin, forms.Form):
    display_name = DISPLAY_NAME
    is_active = forms.BooleanField(required=False, label="Provider is active", help_text="People of the agency can sign in with it.")
    email_verified_by_provider = EMAIL_VERIFIED
    reread_discovery = forms.BooleanField(
        required=False,
        label="Read the provider's addresses again from its discovery document",
        help_text="For example after the provider has changed an address or published a sign-out address. The issuer cannot change.",
    )
