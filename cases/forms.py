"""Forms for case work. They parse and check shapes; business rules stay in services.py.

Every form keeps what was typed when it fails, and its messages say what to fix.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies import access
from agencies.models import Agency, Role
from neglect_portal.govuk_forms import GovukFormMixin
from partnership.wording import mark_wording_fields
from sharing.forms import SharingDecisionFields

from .models import NeglectType, ReferralOutcome, Speaker, Threshold, VoiceMethod
from .selectors import ChildIdentifiers


def _date_field(label, *, required=True, help_text=""):
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
    date_of_birth = _date_field("Date of birth", required=False, help_text="For an unborn child, the expected date of delivery.")
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


class NeglectTypesField(forms.MultipleChoiceField):
    """The concern's types of neglect: needed, except that a concern at the Universal or Universal Plus
    level may name none and is recorded as "needs not met" (cases/models.py, `neglect_type_required`).

    Shown as a question to answer, not "(optional)": whether it may be left empty depends on the level
    suggested, which the service checks (its message goes beside this field).
    """

    def validate(self, value):
        if value:
            super().validate(value)


class ConcernContentForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    observed_on = _date_field("Date observed", help_text="The day you saw, heard or were told about it.")
    neglect_types = NeglectTypesField(
        label="Types of neglect",
        choices=NeglectType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. If you suggest the Universal or Universal Plus level below, you can leave them all unticked: "
        "the concern is recorded as needs not met, in your own words.",
    )
    description = forms.CharField(
        label="What you saw, heard, smelt or were told",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe what you saw, heard, smelt or were told"},
    )
    impact_on_child = forms.CharField(
        label="Impact on the child",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What this means for the child's daily life, health and development.",
        error_messages={"required": "Describe the impact on the child"},
    )
    action_taken = forms.CharField(label="Action you took", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    suggested_threshold = forms.ChoiceField(label="Level of need you suggest", choices=[("", "Not sure")] + Threshold.choices, required=False)
    agencies_told = forms.ModelMultipleChoiceField(
        label="Agencies you have told", queryset=Agency.objects.filter(is_active=True), required=False, widget=forms.CheckboxSelectMultiple
    )

    wording_fields = ("description", "impact_on_child", "action_taken")

    def clean_observed_on(self):
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError("Date observed must be today or in the past")
        return observed_on

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "observed_on": data["observed_on"],
            "neglect_types": data["neglect_types"],
            "description": data["description"],
            "impact_on_child": data["impact_on_child"],
            "action_taken": data["action_taken"],
            "suggested_threshold": data["suggested_threshold"],
        }


class ConcernForm(SharingDecisionFields, ConcernContentForm):
    """A new concern: what was seen, and the decision to share it; optionally a request for support from the front door (issue 14)."""

    ask_front_door = forms.BooleanField(
        label="Ask the front door for support",
        required=False,
        help_text="Children's social care's front door decides what happens next, within one working day, and tells you.",
    )
    support_reason = forms.CharField(
        label="What support you are asking for, and why now",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Only if you ask the front door for support.",
    )

    SUPPORT_FIELDS = ("ask_front_door", "support_reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ask_front_door") and not (cleaned.get("support_reason") or "").strip():
            self.add_error("support_reason", "Say what support you are asking the front door for")
        return cleaned

    def service_arguments(self):
        data = self.cleaned_data
        return {
            **super().service_arguments(),
            "sharing": self.sharing_details(),
            "ask_front_door": bool(data.get("ask_front_door")),
            "support_reason": data.get("support_reason", ""),
        }

    def concern_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.SHARING_FIELDS + self.SUPPORT_FIELDS]

    def support_fields(self):
        return [self[name] for name in self.SUPPORT_FIELDS]


class ConcernByIdentifiersForm(ChildIdentifiersForm, ConcernForm):
    """Record a concern about a child found by exact identifiers (known to the user or not)."""

    field_order = ["given_name", "family_name", "date_of_birth", "nhs_number", "upn"]


class ConcernAmendForm(ConcernContentForm):
    reason = forms.CharField(
        label="Why you are amending it", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Say why the concern is being amended"}
    )
    agencies_told = None

    wording_fields = (*ConcernContentForm.wording_fields, "reason")


class VersionedForm(forms.Form):
    """An edit of a mutable record carries the version it was based on (optimistic concurrency)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": "Reload the page and try again: the form is missing its record version"}
    )


class ReferralForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    referred_on = _date_field("Date of referral")
    referring_agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), empty_label="Choose an agency")
    is_neglect = forms.BooleanField(label="Neglect is among the reasons", required=False)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Give the reasons for the referral"})
    outcome = forms.ChoiceField(choices=[("", "Not decided yet")] + ReferralOutcome.choices, required=False)
    outcome_on = _date_field("Date of the outcome", required=False)

    wording_fields = ("reasons",)


class OversightForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    recorded_on = _date_field("Date of the review")
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Record the decision"})
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Give the reasons for the decision"})
    next_review_on = _date_field("Next review date")

    wording_fields = ("decision", "reasons")


class ChildVoiceForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    recorded_on = _date_field("Date")
    speaker = forms.ChoiceField(label="Whose view is this", choices=Speaker.choices, widget=forms.RadioSelect, initial=Speaker.CHILD)
    what_was_said = forms.CharField(
        label="What they said or showed", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Record what they said or showed"}
    )
    how_they_feel = forms.CharField(label="How they feel about it", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    method = forms.ChoiceField(
        label="How it was captured", choices=VoiceMethod.choices, widget=forms.RadioSelect, error_messages={"required": "Select how it was captured"}
    )

    # No wording hint here: the child's voice is recorded in their own words, whatever they are.


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
