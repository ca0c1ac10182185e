from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password

from neglect_portal.govuk_forms import GovukFormMixin

from .models import Agency, AgencyKind, Role

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
        fields = ["name", "kind", "locality", "is_active"]
        labels = {"is_active": "Agency is active (its users can sign in and work)"}


class UserBaseForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="Notifications are sent here.")
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True))
    role = forms.ChoiceField(choices=Role.choices)
    job_title = forms.CharField(max_length=120, required=False)


class UserCreateForm(UserBaseForm):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 12 characters; not a common password.")
    field_order = ["username", "first_name", "last_name", "email", "agency", "role", "job_title", "password"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with this username already exists. Choose another username.")
        User.username_validator(username)
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class UserEditForm(UserBaseForm):
    is_active = forms.BooleanField(required=False, label="Account is active", help_text="Deactivating signs the user out at once.")
