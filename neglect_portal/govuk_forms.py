"""GOV.UK Frontend classes and error wiring for Django forms, so templates stay declarative."""
from django import forms

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
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            _, error_css = _classes_for(widget)
            if error_css and error_css not in widget.attrs["class"]:
                widget.attrs["class"] += f" {error_css}"
            ids = [f"{self[name].id_for_label}-error-{i}" for i in range(1, len(self.errors[name]) + 1)]
            widget.attrs["aria-describedby"] = " ".join(filter(None, [widget.attrs.get("aria-describedby", "")] + ids))
