"""The level-of-need form: it validates the input; need/services.py decides."""

from django import forms
from django.contrib.auth import get_user_model

from agencies.models import Role
from neglect_portal.govuk_forms import GovukFormMixin
from partnership.wording import mark_wording_fields

from .levels import level_choices, level_label


class LevelOfNeedForm(GovukFormMixin, forms.Form):
    to_level = forms.ChoiceField(label="New level of need", widget=forms.RadioSelect, choices=(), error_messages={"required": "Choose the new level of need"})
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="What has changed for the child, and what the evidence is.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the decision"},
    )
    early_help_lead = forms.ModelChoiceField(
        label="Early-help lead",
        help_text="When stepping down: the person who will lead the early help. They become the lead professional. If nobody is named yet, drift flags the case after a few working days.",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Not named yet",
    )
    review_on = forms.DateField(
        label="Review date",
        help_text="Needed when stepping down: when the partnership will check the step down is holding for the child. For example, 15 3 2027.",
        required=False,
        error_messages={"invalid": "Enter the review date as a real date"},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_level"].choices = [(code, label) for code, label in level_choices() if code != case.threshold]
        self.fields["to_level"].help_text = f"Now: {level_label(case.threshold)}."
        # Case workers of the agencies that may lead the case once stepped down (the service checks again).
        people = get_user_model().objects.filter(
            is_active=True,
            membership__agency__is_active=True,
            membership__agency__team_memberships__case=case,
            membership__role__in=[Role.PRACTITIONER, Role.MANAGER, Role.DSL],
        )
        self.fields["early_help_lead"].queryset = people.select_related("membership__agency").order_by("last_name", "first_name").distinct()
        self.fields["early_help_lead"].label_from_instance = lambda user: f"{user.get_full_name() or user.username} ({user.membership.agency})"
        mark_wording_fields(self, ["reasons"])
