"""The referral form. It parses and checks shapes; business rules stay in referrals/services.py."""

from django import forms

from agencies.models import Agency
from cases.forms import WordingCheckMixin, date_field
from neglect_portal.govuk_forms import GovukFormMixin

from .models import ReferralOutcome


class ReferralForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    referred_on = date_field("Date of referral")
    referring_agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), empty_label="Choose an agency")
    is_neglect = forms.BooleanField(label="Neglect is among the reasons", required=False)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Give the reasons for the referral"})
    outcome = forms.ChoiceField(choices=[("", "Not decided yet")] + ReferralOutcome.choices, required=False)
    outcome_on = date_field("Date of the outcome", required=False)

    wording_fields = ("reasons",)
