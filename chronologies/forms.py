"""Forms for the chronology: filters, recording and amending an entry, importing a file.

They parse what was typed and keep it on errors; services decide the business rules and their
`ValidationError`s are shown beside the fields they name (`neglect_portal.govuk_forms.add_service_errors`).
`error_links()` (neglect_portal/govuk_forms.py) gives the error summary an anchor per message.
"""

from django import forms

from agencies.models import Agency
from concerns.models import NeglectType
from neglect_portal.govuk_forms import GovukFormMixin
from neglect_portal.uploads import read_upload
from partnership.wording import mark_wording_fields

from .importing import MAX_FILE_BYTES, ImportFileError, decode
from .models import DatePrecision, EntryKind, Significance
from .selectors import ChronologyFilters

REAL_DATE = "Enter a real date, for example 2026-03-14"


def _all(label, choices):
    return [("", label), *choices]


class ChronologyFilterForm(GovukFormMixin, forms.Form):
    """The merged view's filters (GET). Each empty field leaves the chronology unfiltered on it."""

    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("newest", "Newest first"), ("oldest", "Oldest first")],
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        required=False,
        queryset=Agency.objects.none(),
        empty_label="All agencies",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind of event",
        required=False,
        choices=_all("All kinds", EntryKind.choices),
        error_messages={"invalid_choice": "Choose a kind of event from the list"},
    )
    significance = forms.ChoiceField(
        label="Significance",
        required=False,
        choices=_all("Any significance", Significance.choices),
        error_messages={"invalid_choice": "Choose a significance from the list"},
    )
    neglect_type = forms.ChoiceField(
        label="Type of neglect",
        required=False,
        choices=_all("Any type of neglect", NeglectType.choices),
        error_messages={"invalid_choice": "Choose a type of neglect from the list"},
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput, error_messages={"invalid": REAL_DATE})
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput, error_messages={"invalid": REAL_DATE})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def _valid(self) -> dict:
        """The values of the fields that are valid (an invalid field is left out of `cleaned_data`)."""
        if not self.is_bound:
            return {}
        self.is_valid()  # validates once; later calls reuse the result
        return self.cleaned_data

    def filters(self) -> ChronologyFilters:
        """The filters from the fields that are valid: one mistyped date does not hide the chronology."""
        valid = self._valid()
        agency = valid.get("agency")
        return ChronologyFilters(
            agency_id=agency.pk if agency else None,
            kind=valid.get("kind") or "",
            significance=valid.get("significance") or "",
            neglect_type=valid.get("neglect_type") or "",
            date_from=valid.get("date_from"),
            date_to=valid.get("date_to"),
            oldest_first=valid.get("order") == "oldest",
        )

    def applied(self) -> list[str]:
        """The filters in force, in words, for the page and the PDF ("Agency: County Police")."""
        valid = self._valid()
        described = []
        for name in ("agency", "kind", "significance", "neglect_type"):
            value = valid.get(name)
            if value:
                shown = value.name if name == "agency" else dict(self.fields[name].choices)[value]
                described.append(f"{self.fields[name].label}: {shown}")
        for name in ("date_from", "date_to"):
            value = valid.get(name)
            if value:
                described.append(f"{self.fields[name].label} {value.day} {value:%B %Y}")
        return described


class EntryForm(GovukFormMixin, forms.Form):
    occurred_on = forms.DateField(
        label="Date",
        widget=forms.DateInput,
        help_text="When it happened. If only the month is known, enter any day in it and choose 'Month only' below.",
        error_messages={"required": "Enter the date of the event", "invalid": REAL_DATE},
    )
    date_precision = forms.ChoiceField(
        label="How exact is the date?",
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how exact the date is"},
    )
    kind = forms.ChoiceField(
        label="Kind of event",
        choices=_all("Choose the kind of event", EntryKind.choices),
        error_messages={"required": "Choose the kind of event", "invalid_choice": "Choose a kind of event from the list"},
    )
    impact_on_child = forms.CharField(
        label="Impact on the child",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What this meant for the child: what they experienced, how it affected their health, development or safety.",
        error_messages={"required": "Describe the impact on the child"},
    )
    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was seen, heard, done or said, in plain words.",
        error_messages={"required": "Say what happened"},
    )
    action_taken = forms.CharField(label="Action taken", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    significance = forms.ChoiceField(
        label="Significance",
        choices=Significance.choices,
        initial=Significance.ROUTINE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how significant this is for the child"},
    )
    neglect_types = forms.MultipleChoiceField(
        label="Types of neglect this shows",
        required=False,
        choices=NeglectType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Leave empty if the event does not show neglect.",
    )
    attendance_percentage = forms.DecimalField(
        label="Attendance percentage",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        help_text="For school attendance only: attendance over the period, for example 86.5.",
        error_messages={
            "invalid": "Enter the attendance as a number, for example 86.5",
            "min_value": "Attendance must be 0 or more",
            "max_value": "Attendance must be 100 or less",
            "max_digits": "Enter the attendance with at most one decimal place, for example 86.5",
            "max_decimal_places": "Enter the attendance with at most one decimal place, for example 86.5",
        },
    )

    # Free text that gets the wording guide's hint beside it (partnership/wording.py); never a block.
    wording_fields = ("summary", "impact_on_child", "action_taken")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_wording_fields(self, self.wording_fields)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attendance_percentage") is not None and cleaned.get("kind") != EntryKind.SCHOOL_ATTENDANCE:
            self.add_error("attendance_percentage", "Only a school attendance entry has an attendance percentage: choose 'School attendance' or clear it")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        names = (
            "occurred_on",
            "date_precision",
            "kind",
            "summary",
            "impact_on_child",
            "action_taken",
            "significance",
            "neglect_types",
            "attendance_percentage",
        )
        return {name: data[name] for name in names}

    @classmethod
    def initial_from(cls, entry) -> dict:
        """What an entry says, as the form's initial values (amending starts from the latest version)."""
        names = ("occurred_on", "date_precision", "kind", "summary", "impact_on_child", "action_taken", "significance", "attendance_percentage")
        return {**{name: getattr(entry, name) for name in names}, "neglect_types": entry.neglect_types}


class NewEntryForm(EntryForm):
    restricted = forms.BooleanField(
        label="Restrict this entry",
        required=False,
        help_text="Only your agency, children's social care and the agencies you name below will see it.",
    )
    shared_with = forms.ModelMultipleChoiceField(
        label="Also share a restricted entry with",
        required=False,
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The agencies in the team around the child.",
    )

    def __init__(self, *args, team_agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = team_agencies

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shared_with") and not cleaned.get("restricted"):
            self.add_error("shared_with", "Name agencies only on a restricted entry, or tick 'Restrict this entry'")
        return cleaned

    def service_arguments(self) -> dict:
        return {**super().service_arguments(), "restricted": self.cleaned_data["restricted"], "shared_with": self.cleaned_data["shared_with"]}


class AmendEntryForm(EntryForm):
    reason = forms.CharField(
        label="Why are you amending this entry?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The original stays in the chronology beside your correction.",
        error_messages={"required": "Say why the entry is being amended"},
    )

    field_order = ["reason"]
    wording_fields = (*EntryForm.wording_fields, "reason")

    def service_arguments(self) -> dict:
        return {**super().service_arguments(), "reason": self.cleaned_data["reason"]}


class ImportUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="UTF-8 text, up to 2 MB and 5,000 rows, with the columns listed below.",
        error_messages={"required": "Choose a CSV file to check", "empty": "The file is empty"},
    )

    def clean_file(self):
        raw = read_upload(self.cleaned_data["file"], limit=MAX_FILE_BYTES)  # refused by size before it is read
        try:
            return decode(raw)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


class ImportConfirmForm(GovukFormMixin, forms.Form):
    """The checked file's text, carried in the page so the import needs no server-side state."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False, error_messages={"required": "Upload the file again"})
