"""GOV.UK Frontend classes and error wiring for Django forms, so templates stay declarative.

Also the one way a view puts a service's `ValidationError` on a form (`add_service_errors`) and
shows a form again after an edit conflict (`form_after_conflict`).
"""

import datetime
import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.loader import render_to_string

DATE_HINT = "For example, 27 3 2026"
_PARTS = ("day", "month", "year")
_ISO_EXAMPLE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class IncompleteDate(str):
    """What `GovukDateInput` reads when the parts are not a whole real date.

    A string no date format parses, so the DateField refuses it; it carries the parts as typed (shown
    again), which of them are wrong (their inputs get the error class) and the GOV.UK message.
    """

    def __new__(cls, parts, bad, problem):
        value = super().__new__(cls, "-".join(parts) or "incomplete")
        value.parts, value.bad, value.problem = list(parts), set(bad), problem
        return value

    def message(self, label):
        return f"{label} {self.problem}"


def read_date_parts(day, month, year):
    """An ISO date string from the three parts, "" when all are blank, else an `IncompleteDate`."""
    parts = [(day or "").strip(), (month or "").strip(), (year or "").strip()]
    if not any(parts):
        return ""
    missing = [name for name, part in zip(_PARTS, parts) if not part]
    if missing:
        bad = {i for i, part in enumerate(parts) if not part}
        return IncompleteDate(parts, bad, "must include a " + " and ".join(missing))
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        return IncompleteDate(parts, {0, 1, 2}, "must be a real date")
    try:
        date = datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return IncompleteDate(parts, {0, 1, 2}, "must be a real date")
    return date.isoformat()


def date_hint(help_text):
    """A date field's hint in GOV.UK style: ISO examples rewritten, the "For example" line added."""
    text = str(help_text or "")
    if "YYYY-MM-DD" in text:
        text = text.replace("YYYY-MM-DD", "day, month and year")
    text = _ISO_EXAMPLE.sub(lambda m: _iso_as_parts(m.group(0)), text).strip()
    if "For example" in text:
        return text
    return f"{text} {DATE_HINT}".strip() if text else DATE_HINT


def _iso_as_parts(iso):
    year, month, day = iso.split("-")
    return f"{int(day)} {int(month)} {year}"


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes, one fieldset.

    Reads `<name>_day`, `<name>_month`, `<name>_year`, or a single ISO value under `<name>`
    (scripts and older clients post `name=YYYY-MM-DD`).
    """

    template_name = "widgets/govuk_date_input.html"
    _WIDTHS = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput() for part in _PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, IncompleteDate):
            return value.parts
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return ["", "", ""]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        parts = [data.get(f"{name}_{part}") for part in _PARTS]
        if not any(parts) and data.get(name):
            return data.get(name)
        return read_date_parts(*parts)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in _PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        bad = value.bad if isinstance(value, IncompleteDate) else set()
        if not bad and "govuk-input--error" in context["widget"]["attrs"].get("class", ""):
            bad = {0, 1, 2}
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        values = self.decompress(value) if not isinstance(value, list) else value
        context["widget"]["parts"] = [
            {
                "name": f"{name}_{part}",
                "id": base_id if i == 0 else f"{base_id}_{part}",
                "label": part.capitalize(),
                "value": values[i] if i < len(values) else "",
                "width": self._WIDTHS[part],
                "error": i in bad,
            }
            for i, part in enumerate(_PARTS)
        ]
        context["widget"]["attrs"]["id"] = f"{base_id}_group"
        return context

    def id_for_label(self, id_):
        return id_

    def _render(self, template_name, context, renderer=None):
        # The project's templates (DIRS), not the form renderer's; a rendered template is already a SafeString.
        return render_to_string(template_name, context)


def _date_to_python(field):
    """The DateField's own parsing, with the GOV.UK message for parts that are not a whole real date."""
    original = field.to_python

    def to_python(value):
        if isinstance(value, IncompleteDate):
            own = field.error_messages.get("invalid")
            if value.problem == "must be a real date" and own != forms.DateField.default_error_messages["invalid"]:
                raise ValidationError(own, code="invalid")
            raise ValidationError(value.message(field.label or "Date"), code="invalid")
        return original(value)

    return to_python


# (widget class, its GOV.UK class, the class added when the field has an error)
_WIDGET_CLASSES = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input", ""),
    (forms.RadioSelect, "govuk-radios__input", ""),
    (forms.Select, "govuk-select", "govuk-select--error"),
    (forms.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (forms.CheckboxInput, "govuk-checkboxes__input", ""),
    (forms.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
]


def _classes_for(widget):
    for widget_class, css, error_css in _WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            return css, error_css
    return "govuk-input", "govuk-input--error"


def error_anchor(bound):
    """The id an error summary link jumps to for a bound field (GOV.UK: the box to put right).

    Its input; the first option of a radio or checkbox list; in a date input, the first of the three
    boxes that is wrong (the month when only the month is missing).
    """
    widget = bound.field.widget
    if isinstance(widget, GovukDateInput):
        wrong = getattr(bound.value(), "bad", None)
        first = min(wrong) if wrong else 0
        return bound.id_for_label if first == 0 else f"{bound.id_for_label}_{_PARTS[first]}"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or f"{bound.auto_id}_0"


def error_links(form):
    """The form's errors as (anchor id, message) pairs for the GOV.UK error summary: the form's own first, then each field's."""
    links = [("main-content", error) for error in form.non_field_errors()]
    for name in form.fields:
        bound = form[name]
        links += [(error_anchor(bound), error) for error in bound.errors]
    return links


class GovukFormMixin:
    """Adds the GOV.UK class to each widget, the error modifier, and aria-describedby for hints/errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_govuk_classes()

    def apply_govuk_classes(self):
        """Style every field not styled yet (forms that add fields after __init__ call it again)."""
        styled = self.__dict__.setdefault("_govuk_styled", set())
        for name, field in self.fields.items():
            if name in styled:
                continue
            styled.add(name)
            if isinstance(field, forms.DateField) and not isinstance(field.widget, (GovukDateInput, forms.HiddenInput)):
                field.widget = GovukDateInput(attrs={k: v for k, v in field.widget.attrs.items() if k != "class"})
                field.to_python = _date_to_python(field)
                field.help_text = date_hint(field.help_text)
            widget = field.widget
            css, _ = _classes_for(widget)
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class", ""), css]))
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-hint"

    def full_clean(self):
        super().full_clean()
        self.mark_errors()

    def error_links(self):
        return error_links(self)

    def mark_errors(self):
        """The error class on each field with an error, and aria-describedby naming its messages.

        Safe to call again after errors are added later (`add_service_errors`): a field's earlier
        error ids are replaced, never repeated.
        """
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            _, error_css = _classes_for(widget)
            if error_css and error_css not in widget.attrs["class"]:
                widget.attrs["class"] += f" {error_css}"
            prefix = f"{self[name].id_for_label}-error-"
            ids = [f"{prefix}{i}" for i in range(1, len(self.errors[name]) + 1)]
            kept = [token for token in widget.attrs.get("aria-describedby", "").split() if not token.startswith(prefix)]
            widget.attrs["aria-describedby"] = " ".join(kept + ids)


def add_service_errors(form, error: ValidationError, *, field_for=None):
    """A service's ValidationError shown beside the fields it names, and above the form otherwise.

    Services key their errors by field (NON_FIELD_ERRORS for the rest); `field_for(key)` maps a
    service's key to the form's field when the two differ (a tool's "<area id>.<item id>"). A key
    the form has no field for goes above the form rather than being lost.
    """
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.messages)]
    for key, messages in items:
        name = field_for(key) if field_for else key
        form.add_error(name if name in form.fields else None, messages)
    if isinstance(form, GovukFormMixin):
        form.mark_errors()


def form_after_conflict(form_class, data, conflict, **kwargs):
    """The form as the user submitted it, carrying the record's current version, with the conflict above it.

    `conflict` is an `EditConflict` (neglect_portal/concurrency.py): the user's text is kept and the
    next save is a deliberate choice made knowing someone else's change, never a silent overwrite.
    A file chosen in the form must be chosen again (`data` is the POST without its files).
    """
    data = data.copy()
    data["version"] = conflict.current_version
    form = form_class(data, **kwargs)
    form.is_valid()
    add_service_errors(form, ValidationError(conflict.message))
    return form
