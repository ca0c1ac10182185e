"""The information-sharing questions asked beside a concern (the case's and the front door's concern forms)."""

from django import forms

from .models import FamilyInformed, LawfulBasis, SharingCondition
from .services import SharingDetails


class SharingDecisionFields(forms.Form):
    """The information-sharing decision asked of whoever records a concern (who and when are known).

    Required, with no answer chosen for the user: the decision is theirs, and the government's
    advice asks them to record why and on what basis. Consent is not asked for (it is not the
    basis for safeguarding sharing); whether the family knows is, and why not when they do not.
    """

    sharing_reason = forms.CharField(
        label="Why you are sharing this",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recording a concern shares it with the team around the child and the agencies you told. For example: "
        "the child may be suffering neglect and the team needs to know to keep them safe.",
        error_messages={"required": "Say why you are sharing this information"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing (UK GDPR Article 6)",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        help_text="Public bodies and services acting for them usually share for their public task.",
        error_messages={"required": "Choose the lawful basis for sharing"},
    )
    sharing_condition = forms.ChoiceField(
        label="Condition for special category data (UK GDPR Article 9, DPA 2018 Schedule 1)",
        choices=SharingCondition.choices,
        widget=forms.RadioSelect,
        help_text="Health and other sensitive details need a condition as well. Safeguarding usually applies.",
        error_messages={"required": "Choose the condition for sharing special category data"},
    )
    family_informed = forms.ChoiceField(
        label="Does the family know this is being shared?",
        choices=[(FamilyInformed.YES, "Yes"), (FamilyInformed.NO, "No")],
        widget=forms.RadioSelect,
        help_text="You do not need consent to share to safeguard a child, but tell the family unless that could put the child at risk.",
        error_messages={"required": "Say whether the family knows this is being shared"},
    )
    not_informed_reason = forms.CharField(
        label="If not, why not",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For example: telling them could put the child at risk, or they could not be reached yet.",
    )

    SHARING_FIELDS = ("sharing_reason", "lawful_basis", "sharing_condition", "family_informed", "not_informed_reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("family_informed") == FamilyInformed.NO and not (cleaned.get("not_informed_reason") or "").strip():
            self.add_error("not_informed_reason", "Say why the family has not been told")
        return cleaned

    def sharing_details(self):
        data = self.cleaned_data
        return SharingDetails(
            reason=data["sharing_reason"],
            lawful_basis=data["lawful_basis"],
            condition=data["sharing_condition"],
            family_informed=data["family_informed"],
            not_informed_reason=data.get("not_informed_reason", ""),
        )

    def sharing_fields(self):
        return [self[name] for name in self.SHARING_FIELDS]
