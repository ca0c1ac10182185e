from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from neglect_portal.govuk_forms import GovukFormMixin

from .models import Agency, Role

User = get_user_model()


def _locality_choices():
    return [("", "Whole partnership")] + [(name, name.title()) for name in settings.PARTNERSHIP_LOCALITIES]


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated. Ask your partnership admin.",
    }


class AgencyForm(GovukFormMixin, forms.ModelForm):
    locality = forms.ChoiceField(choices=_locality_choices, required=False)

    class Meta:
        model = Agency
        fields = ["name", "kind", "locality", "ods_code", "urn", "police_force_code", "is_active"]
        labels = {"is_active": "Agency is active (its users can sign in and work)"}
        help_texts = {
            "ods_code": "Health agencies only: the NHS Organisation Data Service code, like RJ1 or A81001",
            "urn": "Schools, early years settings and education services only: the unique reference number, like 100001",
            "police_force_code": "Police only: the Home Office force code, like 01",
        }
        error_messages = {
            "name": {"required": "Enter the agency's name"},
            "kind": {"required": "Select what kind of agency it is", "invalid_choice": "Select what kind of agency it is, from the list"},
        }

    # Typed as people see them ("rj1", "RJ 1"); stored upper-case without spaces before the format is checked.
    def clean_ods_code(self):
        return self.cleaned_data["ods_code"].replace(" ", "").upper()

    def clean_urn(self):
        return self.cleaned_data["urn"].replace(" ", "")

    def clean_police_force_code(self):
        return self.cleaned_data["police_force_code"].replace(" ", "")


class AgencyMergeForm(GovukFormMixin, forms.Form):
    """Which agency the duplicate is merged into: an active agency, not itself, not already merged."""

    keep = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency to keep",
        empty_label="Choose the agency to keep",
        error_messages={"required": "Choose the agency to keep", "invalid_choice": "Choose an agency from the list"},
    )
    confirm = forms.BooleanField(
        label="I have checked these are the same organisation",
        error_messages={"required": "Confirm that you have checked these are the same organisation"},
    )

    def __init__(self, *args, merge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Agency.objects.filter(merged_into__isnull=True).exclude(pk=merge.pk).order_by("name")


class UserBaseForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="Notifications are sent here.")
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True))
    role = forms.ChoiceField(choices=Role.choices)
    job_title = forms.CharField(max_length=120, required=False)


class UserCreateForm(UserBaseForm):
    """Invite a user: no password here. They get an email with a link to set their own (`services.user_invite`)."""

    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    # Declared, not changed in __init__: the GOV.UK mixin makes each bound field (hint included) as the form is made.
    email = forms.EmailField(help_text="We email a link to set their password here, and send notifications here.")
    field_order = ["username", "first_name", "last_name", "email", "agency", "role", "job_title"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with this username already exists. Choose another username.")
        User.username_validator(username)
        return username


class UserEditForm(UserBaseForm):
    is_active = forms.BooleanField(required=False, label="Account is active", help_text="Deactivating signs the user out at once.")


# --- The account's own password (docs/security.md, "Finding 6") ----------------------------------

PASSWORD_HINT = "At least 12 characters. Not a common password, and not like your name, username or email address."
PASSWORD_ERRORS = {"password_mismatch": "Enter the same new password in both fields"}


def _new_password_field(label, required_message, help_text=""):
    """Declared here, not changed after __init__: the GOV.UK mixin reads labels and hints as the form is made."""
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        error_messages={"required": required_message},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}),
    )


class PasswordSetForm(GovukFormMixin, SetPasswordForm):
    """Set a password through an emailed link (invitation, second-factor reset, forgotten password)."""

    error_messages = PASSWORD_ERRORS
    new_password1 = _new_password_field("New password", "Enter a new password", PASSWORD_HINT)
    new_password2 = _new_password_field("Confirm new password", "Enter the new password again")


class AccountPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    """A signed-in user changes their password, giving the current one."""

    error_messages = {**PASSWORD_ERRORS, "password_incorrect": "Your current password is wrong. Enter it again"}
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = _new_password_field("New password", "Enter a new password", PASSWORD_HINT)
    new_password2 = _new_password_field("Confirm new password", "Enter the new password again")
    field_order = ["old_password", "new_password1", "new_password2"]


class PasswordResetRequestForm(GovukFormMixin, forms.Form):
    """ "Forgot your password?": the address the link goes to, if an account has it."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address your partnership admin set up your account with.",
        error_messages={"required": "Enter your email address", "invalid": "Enter an email address in the correct format, like name@example.org"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
