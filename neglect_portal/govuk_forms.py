"""GOV.UK Frontend classes and error wiring for Django forms, so templates stay declarative.

Also the one way a view puts a service's `ValidationError` on a form (`add_service_errors`) and
shows a form again after an edit conflict (`form_after_conflict`).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

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
            widget = field.widget
            css, _ = _classes_for(widget)
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class", ""), css]))
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
                widget.attrs["class"] += " govuk-input--width-10"
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-hint"

    def full_clean(self):
        super().full_clean()
        self.mark_errors()

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
