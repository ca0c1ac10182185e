"""Forms for recording and amending a concern. They parse and check shapes; business rules stay in services.py."""

from django import forms
from django.utils import timezone

from agencies.models import Agency
from cases.forms import ChildIdentifiersForm, WordingCheckMixin, date_field
from cases.models import Threshold
from neglect_portal.govuk_forms import GovukFormMixin
from sharing.forms import SharingDecisionFields

from .models import NeglectType


class NeglectTypesField(forms.MultipleChoiceField):
    """The concern's types of neglect: needed, except that a concern at the Universal or Universal Plus
    level may name none and is recorded as "needs not met" (concerns/models.py, `neglect_type_required`).

    Shown as a question to answer, not "(optional)": whether it may be left empty depends on the level
    suggested, which the service checks (its message goes beside this field).
    """

    def validate(self, value):
        if value:
            super().validate(value)


class ConcernContentForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    observed_on = date_field("Date observed", help_text="The day you saw, heard or were told about it.")
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
