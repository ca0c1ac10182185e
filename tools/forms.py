"""Forms for tool definitions and assessment runs. They parse what was typed; services decide.

Every form keeps what the user typed when it fails, and `error_links()` gives the error summary
an anchor for each message: the field itself, or the first radio of a radio group (GOV.UK links
the summary to the first option, and Django gives a radio group no id of its own).
"""

import json

from django import forms

from neglect_portal.govuk_forms import GovukFormMixin
from neglect_portal.uploads import UploadTooLarge, read_upload
from partnership.wording import mark_wording_fields

from .definitions import DefinitionError, parse_text

FILE_LIMIT_BYTES = 1_000_000


# --- Definitions -------------------------------------------------------------------------------


class DefinitionDocumentForm(GovukFormMixin, forms.Form):
    """A definition pasted as JSON or YAML (editing a draft shows the stored document as JSON)."""

    document = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        label="Definition (JSON or YAML)",
        help_text="Areas, items, scales and scoring rules. Errors name their place, for example areas[2].items[0].",
        error_messages={"required": "Paste the definition"},
    )

    def clean_document(self):
        try:
            return parse_text(self.cleaned_data["document"])
        except DefinitionError as error:
            raise forms.ValidationError(error.messages) from error

    @staticmethod
    def initial_text(definition):
        return json.dumps(definition.structure, indent=2, ensure_ascii=False)


class DefinitionLoadForm(GovukFormMixin, forms.Form):
    """A definition file, or the same pasted: a partnership's licensed wording or its own tool."""

    file = forms.FileField(
        required=False,
        label="Upload a definition file",
        help_text="A .json, .yaml or .yml file, up to 1 MB.",
    )
    document = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 15, "spellcheck": "false"}),
        label="Or paste the definition (JSON or YAML)",
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("document") or "").strip()
        if self.errors:
            return cleaned
        if bool(upload) == bool(text):
            self.add_error("file", "Upload a definition file, or paste the definition, but not both")
            return cleaned
        field = "file" if upload else "document"
        if upload:
            try:
                text = read_upload(upload, limit=FILE_LIMIT_BYTES).decode("utf-8")  # refused by size before it is read
            except UploadTooLarge as error:
                self.add_error("file", error)
                return cleaned
            except UnicodeDecodeError:
                self.add_error("file", "The file must be a text file in UTF-8 (JSON or YAML)")
                return cleaned
        try:
            cleaned["parsed"] = parse_text(text, filename=upload.name if upload else "")
        except DefinitionError as error:
            for message in error.messages:
                self.add_error(field, message)
        cleaned["source_field"] = field
        return cleaned


# --- Runs --------------------------------------------------------------------------------------


class RunStartForm(GovukFormMixin, forms.Form):
    definition = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label="Which assessment tool?",
        empty_label=None,
        error_messages={"required": "Choose an assessment tool", "invalid_choice": "Choose one of the tools listed"},
    )

    def __init__(self, *args, definitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].queryset = definitions


class RunDetailsForm(GovukFormMixin, forms.Form):
    assessed_on = forms.DateField(
        label="Date of the assessment",
        widget=forms.DateInput,
        error_messages={"required": "Enter the date of the assessment", "invalid": "Enter a real date, for example 27 3 2026"},
    )
    age_band = forms.ChoiceField(
        label="The child's age band",
        widget=forms.RadioSelect,
        help_text="Guidance and, in some tools, the questions asked follow the age band.",
        error_messages={"required": "Choose the child's age band"},
    )
    people_present = forms.CharField(
        label="Who was present",
        error_messages={"required": "Say who was present at the assessment"},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names and roles, for example the child, their mother, the health visitor.",
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        if structure.age_bands:
            self.fields["age_band"].choices = [(band.id, band.label) for band in structure.age_bands]
        else:
            del self.fields["age_band"]


class RunVoiceForm(GovukFormMixin, forms.Form):
    child_voice = forms.CharField(
        required=False,
        label="The child's voice",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=("What the child said, showed or how they seemed, in their words where you can. If the child could not be heard, say why."),
    )


def _evidence_hint(item):
    """When an answer on a scale needs its evidence, in words ("" when it always does or never does)."""
    rule = item.evidence_rule
    if rule in ("", "always"):
        return ""
    return f"Needed if your answer is {rule}: what you saw or heard, when, and the impact on the child."


def value_field_name(item):
    return f"value-{item.id}"


def evidence_field_name(item):
    return f"evidence-{item.id}"


class AreaForm(GovukFormMixin, forms.Form):
    """One area's items: an answer on each item's scale and the evidence for it.

    Nothing is required here: a draft may be saved half done and finished at another sitting.
    What finalising needs is checked when finalising.
    """

    def __init__(self, *args, area, age_band, **kwargs):
        self.area = area
        self.items = area.items_for(age_band)
        self.age_band = age_band
        super().__init__(*args, **kwargs)

    @classmethod
    def for_area(cls, data=None, *, run, area):
        """The form for one area of a run, showing what earlier sittings saved."""
        fields = {}
        initial = {}
        for item in area.items_for(run.age_band):
            answer = run.answer(area.id, item.id)
            if item.scale.kind == "text":
                fields[value_field_name(item)] = forms.CharField(required=False, label=item.title, widget=forms.Textarea(attrs={"rows": 4}))
            else:
                fields[value_field_name(item)] = forms.ChoiceField(
                    required=False,
                    label=item.title,
                    widget=forms.RadioSelect,
                    # Each answer in this item's own words where the definition describes it (tools/definitions.py).
                    choices=[(str(point.value), item.label_for(point)) for point in item.scale.points],
                    error_messages={"invalid_choice": f"{item.title}: choose one of the answers given"},
                )
                # A written answer is its own evidence; an answer on a scale needs its evidence beside it.
                fields[evidence_field_name(item)] = forms.CharField(
                    required=False,
                    label=f"Evidence for {item.title[0].lower()}{item.title[1:]}",
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_evidence_hint(item),
                )
                initial[evidence_field_name(item)] = answer.get("evidence", "")
            initial[value_field_name(item)] = "" if answer.get("value") is None else str(answer.get("value"))
        form_class = type("AreaForm", (cls,), fields)
        form = form_class(data, area=area, age_band=run.age_band, initial=initial)
        # Evidence and written answers get the wording guide's hint beside them (partnership/wording.py).
        mark_wording_fields(form, [name for name, field in form.fields.items() if isinstance(field.widget, forms.Textarea)])
        return form

    def answers(self):
        """{item id: {"value", "evidence"}} for `services.run_save_draft`."""
        return {
            item.id: {"value": self.cleaned_data.get(value_field_name(item), ""), "evidence": self.cleaned_data.get(evidence_field_name(item), "")}
            for item in self.items
        }

    def questions(self):
        """What the template shows per item: the item, its bound fields, and its guidance."""
        return [
            {
                "item": item,
                "value": self[value_field_name(item)],
                "value_optional": not item.required,
                "evidence": self[evidence_field_name(item)] if evidence_field_name(item) in self.fields else None,
                "evidence_optional": not item.evidence_rule,
                "guidance": item.guidance_for(self.age_band),
            }
            for item in self.items
        ]

    def field_for_service_key(self, key):
        """Service errors name "<area id>.<item id>"; they belong beside the item's answer."""
        item_id = key.split(".", 1)[-1]
        return next((value_field_name(item) for item in self.items if item.id == item_id), None)
