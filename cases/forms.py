"""Forms for case work. They parse and check shapes; business rules stay in services.py.

Every form keeps what was typed when it fails, and its messages say what to fix.
"""

from django import forms
from django.contrib.auth import get_user_model

from agencies import access
from agencies.models import Role
from neglect_portal.govuk_forms import GovukFormMixin
from partnership.wording import mark_wording_fields

from .selectors import ChildIdentifiers


def date_field(label, *, required=True, help_text=""):
    """A date field whose messages name it ("Enter the date of birth", "... as a real date")."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a real date"},
    )


class WordingCheckMixin:
    """Free text gets the partnership's wording guide as a hint beside the field (partnership/wording.py).

    The hint shows as the practitioner types (the fields in `wording_fields` are marked for it) and
    never holds back saving: what they wrote is saved as written.
    """

    wording_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_wording_fields(self, self.wording_fields)


class ChildIdentifiersForm(GovukFormMixin, forms.Form):
    """Exact identifiers: name and date of birth, or NHS number, or unique pupil number."""

    given_name = forms.CharField(max_length=100, required=False)
    family_name = forms.CharField(max_length=100, required=False)
    date_of_birth = date_field("Date of birth", required=False, help_text="For an unborn child, the expected date of delivery.")
    nhs_number = forms.CharField(label="NHS number", max_length=12, required=False, help_text="10 digits, for example 943 476 5919.")
    upn = forms.CharField(label="Unique pupil number (UPN)", max_length=13, required=False, help_text="13 characters, starting with a letter.")

    def identifiers(self):
        data = self.cleaned_data
        return ChildIdentifiers(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number", ""),
            upn=data.get("upn", ""),
        )


class VersionedForm(forms.Form):
    """An edit of a mutable record carries the version it was based on (optimistic concurrency)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": "Reload the page and try again: the form is missing its record version"}
    )


class ReassignLeadForm(GovukFormMixin, VersionedForm):
    lead_professional = forms.ModelChoiceField(label="New lead professional", queryset=get_user_model().objects.none(), empty_label="Choose a person")
    reason = forms.CharField(label="Why", max_length=300, error_messages={"required": "Say why the lead professional is changing"})

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # Case workers of the agencies that may lead (agencies/access.py): children's social care for
        # statutory work; otherwise the agencies in the team around the child.
        people = get_user_model().objects.filter(
            is_active=True,
            membership__agency__in=access.agencies_that_may_lead(case),
            membership__role__in=[Role.PRACTITIONER, Role.MANAGER, Role.DSL],
        )
        if not access.is_statutory_case(case):
            people = people.filter(membership__agency__team_memberships__case=case)
        self.fields["lead_professional"].queryset = people.select_related("membership__agency").order_by("last_name", "first_name")
        self.fields["lead_professional"].label_from_instance = lambda user: f"{user.get_full_name() or user.username} ({user.membership.agency})"
