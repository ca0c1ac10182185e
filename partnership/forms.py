"""Forms for action plans and the partnership profile: shapes and words; rules stay in services.py.

Every form keeps what was typed when it fails. `version` is the row's (or profile's) version when
the page was opened, sent back hidden, so that a save made by someone else in between is caught.
"""

from django import forms
from django.utils import timezone

from neglect_portal.govuk_forms import GovukFormMixin
from neglect_portal.quarters import last_complete_quarter, quarter_of
from neglect_portal.uploads import read_upload

from .logos import logo_check, logo_max_bytes
from .models import Rag

NO_CHILD_DATA = "Plans are read across the partnership: do not name or describe a child or family."


def _text(label, *, rows=3, help_text="", required_message=None):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": required_message or f"Enter the {label.lower()}"},
    )


def quarter_choices(today=None):
    """The quarter under way and the four before it, newest first (an update reports on one of them)."""
    current = quarter_of(today or timezone.localdate())
    quarters = current.last(5)[::-1]
    return [(q.name, f"{q.name} ({q.label})") for q in quarters]


class _VersionField(forms.IntegerField):
    def __init__(self):
        super().__init__(widget=forms.HiddenInput, min_value=1, error_messages={"required": "Open the page again: it was sent without its version"})


class RowFieldsForm(GovukFormMixin, forms.Form):
    objective = _text("Objective", rows=2, help_text=NO_CHILD_DATA)
    action = _text("Action")
    input = _text(
        "Input",
        rows=2,
        help_text="The resources, people or money the action needs.",
        required_message="Enter the input (the resources, people or money the action needs)",
    )
    desired_outcome = _text("Desired outcome", rows=2)
    lead = forms.CharField(
        label="Lead",
        max_length=200,
        help_text="The person or post leading the action, for example Head of Early Help.",
        error_messages={"required": "Enter who leads the action", "max_length": "The lead must be 200 characters or fewer"},
    )
    timescale = forms.DateField(
        label="Timescale",
        widget=forms.DateInput(),
        help_text="The date the action should be done by.",
        error_messages={"required": "Enter the timescale as a date", "invalid": "Enter the timescale as a real date"},
    )


class StatusFieldsForm(GovukFormMixin, forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        help_text="The quarter this status reports on. The dashboard for a quarter counts each row's latest update for it or an earlier quarter.",
        error_messages={"required": "Choose the quarter the update reports on", "invalid_choice": "Choose one of the quarters listed"},
    )
    rag = forms.ChoiceField(
        label="RAG status", choices=Rag.choices, widget=forms.RadioSelect, error_messages={"required": "Choose red, amber, green or complete"}
    )
    progress = _text(
        "Progress",
        rows=4,
        help_text=f"What has been done since the last update and what happens next. {NO_CHILD_DATA}",
        required_message="Enter the progress made",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices()
        self.fields["quarter"].initial = last_complete_quarter(timezone.localdate()).name


class RowNewForm(RowFieldsForm, StatusFieldsForm):
    """A new row and its first status (asked after what the row says)."""

    field_order = ["objective", "action", "input", "desired_outcome", "lead", "timescale", "quarter", "rag", "progress"]


class RowEditForm(RowFieldsForm):
    version = _VersionField()


class UpdateForm(StatusFieldsForm):
    version = _VersionField()


class ProfileForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Partnership name",
        max_length=200,
        required=False,
        help_text="Leave blank to use the name the deployment is configured with.",
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    under_18_population = forms.IntegerField(
        label="Children under 18 in the partnership's area",
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-10"}),
        help_text="Used for the child protection rate per 10,000. Leave blank to use the configured figure.",
        error_messages={"invalid": "Enter the number of children as a whole number, for example 150000", "min_value": "Enter a number above 0"},
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG, JPEG or SVG image, printed on the cover of the dashboard report.",
        error_messages={"empty": "The file is empty. Choose a PNG, JPEG or SVG logo."},
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    version = _VersionField()

    def __init__(self, *args, has_logo=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_logo:
            del self.fields["remove_logo"]  # nothing to remove

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo is None:
            return None
        data = read_upload(logo, limit=logo_max_bytes(), what="The logo")  # refused by size before it is read
        logo_check(data)  # here too, so that every problem with the form is reported at once
        return data


class WordingEntryForm(GovukFormMixin, forms.Form):
    """One entry of the wording guide. The service checks it again (a phrase must hold a word; no duplicates)."""

    phrase = forms.CharField(
        label="Phrase",
        max_length=100,
        help_text="The words that can read as blame, for example refused to engage.",
        error_messages={"required": "Enter the phrase", "max_length": "The phrase must be 100 characters or fewer"},
    )
    also_matches = forms.CharField(
        label="Other phrasings (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. Word forms are matched already (refused, refusing, refuses); list other wordings of the same idea.",
    )
    unless = forms.CharField(
        label="Not when it is part of (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: phrases in which a match is not blaming. * stands for one to three words, for example found * difficult.",
    )
    why = forms.CharField(label="Why it can blame", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Say why the phrase can blame"})
    instead = forms.CharField(
        label="What to write instead",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the practitioner beside the field. An example helps.",
        error_messages={"required": "Suggest what to write instead"},
    )


class WordingCheckForm(forms.Form):
    text = forms.CharField(required=False, max_length=20_000, strip=False)
