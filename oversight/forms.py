"""The management oversight form. It parses and checks shapes; business rules stay in oversight/services.py."""

from django import forms

from cases.forms import WordingCheckMixin, date_field
from neglect_portal.govuk_forms import GovukFormMixin


class OversightForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    recorded_on = date_field("Date of the review")
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Record the decision"})
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Give the reasons for the decision"})
    next_review_on = date_field("Next review date")

    wording_fields = ("decision", "reasons")
