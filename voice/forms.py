"""The child's voice form. It parses and checks shapes; business rules stay in voice/services.py."""

from django import forms

from cases.forms import WordingCheckMixin, date_field
from neglect_portal.govuk_forms import GovukFormMixin

from .models import Speaker, VoiceMethod


class ChildVoiceForm(WordingCheckMixin, GovukFormMixin, forms.Form):
    recorded_on = date_field("Date")
    speaker = forms.ChoiceField(label="Whose view is this", choices=Speaker.choices, widget=forms.RadioSelect, initial=Speaker.CHILD)
    what_was_said = forms.CharField(
        label="What they said or showed", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Record what they said or showed"}
    )
    how_they_feel = forms.CharField(label="How they feel about it", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    method = forms.ChoiceField(
        label="How it was captured", choices=VoiceMethod.choices, widget=forms.RadioSelect, error_messages={"required": "Select how it was captured"}
    )

    # No wording hint here: the child's voice is recorded in their own words, whatever they are.
