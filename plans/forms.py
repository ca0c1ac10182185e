"""Forms for plans and their actions. They parse and check shapes; business rules stay in plans/services.py."""

from django import forms

from agencies.models import Agency
from cases.forms import VersionedForm, WordingCheckMixin, date_field
from neglect_portal.govuk_forms import GovukFormMixin

from .models import ActionStatus, CPCategory, PlanKind


class PlanForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of plan", choices=PlanKind.choices)
    cp_category = forms.ChoiceField(
        label="Child protection category",
        choices=[("", "Not a child protection plan")] + CPCategory.choices,
        required=False,
        help_text="Only for a child protection plan.",
    )
    started_on = date_field("Start date")


class PlanEndForm(GovukFormMixin, VersionedForm):
    ended_on = date_field("End date")
    end_reason = forms.CharField(label="Why the plan ended", max_length=300, error_messages={"required": "Say why the plan ended"})


class PlanActionForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    what = forms.CharField(label="What will be done", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Say what will be done"})
    outcome_for_child = forms.CharField(
        label="What will be different for the child",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what will be different for the child"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible", queryset=Agency.objects.none(), empty_label="Choose an agency", error_messages={"required": "Choose the agency responsible"}
    )
    due_on = date_field("Due date")

    wording_fields = ("what", "outcome_for_child")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(team_memberships__case=case).order_by("name")


class PlanActionUpdateForm(WordingCheckMixin, GovukFormMixin, VersionedForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="What shows the action is done and made a difference.")

    wording_fields = ("evidence",)
