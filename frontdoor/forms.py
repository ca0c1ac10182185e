"""Forms of the front door (issue 14). They parse and check shapes; the rules are in services.py."""

from django import forms
from django.contrib.auth import get_user_model

from agencies.access import CASE_WORKING_ROLES
from cases.models import Threshold
from concerns.forms import ConcernContentForm
from neglect_portal.govuk_forms import GovukFormMixin
from sharing.forms import SharingDecisionFields

from .models import Outcome


class HouseholdConcernForm(SharingDecisionFields, ConcernContentForm):
    """A concern about a household known by its address or a parent's name, and the decision to share it with the front door."""

    address = forms.CharField(
        label="Address lines",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="As much of the address as you know: flat, house, street, town.",
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    uprn = forms.CharField(
        label="UPRN",
        max_length=12,
        required=False,
        help_text="The Unique Property Reference Number, if your records hold it.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "inputmode": "numeric"}),
    )
    parent_name = forms.CharField(label="A parent's or carer's name", max_length=200, required=False, help_text="If you know it, for example Dee Brook.")
    who_was_seen = forms.CharField(
        label="Who you saw or know of",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For example: three children seen at the flat, the youngest about 3.",
    )
    agencies_told = None

    field_order = ["address", "postcode", "uprn", "parent_name", "who_was_seen"]
    wording_fields = ConcernContentForm.wording_fields
    HOUSEHOLD_FIELDS = ("address", "postcode", "uprn", "parent_name", "who_was_seen")

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in ("address", "postcode", "parent_name")):
            self.add_error("address", "Enter the address, or a parent's or carer's name, so the front door can find the household")
        return cleaned

    def household_fields(self):
        return [self[name] for name in self.HOUSEHOLD_FIELDS]

    def concern_fields(self):
        skip = set(self.HOUSEHOLD_FIELDS) | set(self.SHARING_FIELDS)
        return [field for field in self.visible_fields() if field.name not in skip]

    def service_arguments(self):
        data = self.cleaned_data
        return {**super().service_arguments(), **{name: data.get(name, "") for name in self.HOUSEHOLD_FIELDS}, "sharing": self.sharing_details()}


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        membership = user.membership
        return f"{user.get_full_name() or user.get_username()} – {membership.get_role_display()}, {membership.agency.name}"


class DecisionForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="What happens next", choices=Outcome.choices, widget=forms.RadioSelect, error_messages={"required": "Choose what happens next"}
    )
    threshold = forms.ChoiceField(
        label="Level of need", choices=Threshold.choices, widget=forms.RadioSelect, error_messages={"required": "Choose the level of need"}
    )
    early_help_lead = LeadChoiceField(
        label="Early help lead",
        required=False,
        queryset=get_user_model().objects.none(),
        help_text="Needed for early help: the person who will lead it. They are told, and become lead professional of any case here that has none.",
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Whoever asked the front door is told this decision and these reasons.",
        error_messages={"required": "Give the reasons for the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["early_help_lead"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, membership__role__in=CASE_WORKING_ROLES, membership__agency__is_active=True)
            .select_related("membership__agency")
            .order_by("membership__agency__name", "last_name", "first_name", "username")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.EARLY_HELP and not cleaned.get("early_help_lead"):
            self.add_error("early_help_lead", "Name the early help lead: the person who will lead the early help")
        return cleaned


class LinkForm(GovukFormMixin, forms.Form):
    """Link a household concern to a household (chosen on the item page) and the children it is about."""

    children = forms.ModelMultipleChoiceField(
        label="Which children the concern is about",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the children the concern is about"},
    )
    reason = forms.CharField(
        label="Why this is the household",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why this is the household the concern is about"},
    )

    def __init__(self, *args, household_children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = household_children


class FrontDoorTeamForm(GovukFormMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="Who works the front door",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Children's social care's managers and designated safeguarding leads work it as well.",
    )

    def __init__(self, *args, front_door_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = front_door_people
        self.fields["members"].label_from_instance = lambda user: f"{user.get_full_name() or user.get_username()} ({user.membership.get_role_display()})"
