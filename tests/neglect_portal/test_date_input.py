"""The GOV.UK three-field date input (neglect_portal/govuk_forms.py GovukDateInput)."""

import datetime

from django import forms

from neglect_portal.govuk_forms import GovukDateInput, GovukFormMixin


class VisitForm(GovukFormMixin, forms.Form):
    visited_on = forms.DateField(label="Date of visit", help_text="For example, 2026-11-24")
    next_on = forms.DateField(label="Next visit", required=False)


def test_every_date_field_gets_the_three_field_widget_and_a_govuk_hint():
    form = VisitForm()
    assert isinstance(form.fields["visited_on"].widget, GovukDateInput)
    assert form.fields["visited_on"].help_text == "For example, 24 11 2026"
    assert form.fields["next_on"].help_text == "For example, 27 3 2026"
    html = str(form["visited_on"])
    assert 'name="visited_on_day"' in html and 'name="visited_on_month"' in html and 'name="visited_on_year"' in html
    assert 'type="date"' not in html


def test_a_complete_date_is_read_from_the_three_parts():
    form = VisitForm({"visited_on_day": "7", "visited_on_month": "3", "visited_on_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"visited_on": datetime.date(2026, 3, 7), "next_on": None}


def test_the_single_iso_value_is_still_accepted():
    form = VisitForm({"visited_on": "2026-03-07", "next_on": "2026-04-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["next_on"] == datetime.date(2026, 4, 1)


def test_missing_parts_are_named_and_only_those_inputs_marked():
    form = VisitForm({"visited_on_day": "7", "visited_on_month": "", "visited_on_year": "2026"})
    assert not form.is_valid()
    assert form.errors["visited_on"] == ["Date of visit must include a month"]
    html = str(form["visited_on"])
    assert 'value="7"' in html and 'value="2026"' in html
    assert html.count("govuk-input--error") == 1
    assert 'id="id_visited_on_month" name="visited_on_month"' in html.split("govuk-input--error")[1][:80]


def test_a_date_that_does_not_exist_is_refused_and_shown_again():
    form = VisitForm({"visited_on_day": "31", "visited_on_month": "2", "visited_on_year": "2026"})
    assert not form.is_valid()
    assert form.errors["visited_on"] == ["Date of visit must be a real date"]
    html = str(form["visited_on"])
    assert 'value="31"' in html and 'value="2"' in html
    assert html.count("govuk-input--error") == 3


def test_words_and_short_years_are_not_real_dates():
    for parts in (("seven", "3", "2026"), ("7", "3", "26")):
        form = VisitForm(dict(zip(("visited_on_day", "visited_on_month", "visited_on_year"), parts)))
        assert form.errors["visited_on"] == ["Date of visit must be a real date"]


def test_an_optional_date_left_blank_is_empty_and_a_required_one_is_required():
    form = VisitForm({"visited_on_day": "", "visited_on_month": "", "visited_on_year": "", "next_on_day": "", "next_on_month": "", "next_on_year": ""})
    assert not form.is_valid()
    assert form.errors == {"visited_on": ["This field is required."]}


def test_an_initial_date_is_shown_in_its_parts():
    form = VisitForm(initial={"visited_on": datetime.date(2026, 11, 24)})
    html = str(form["visited_on"])
    assert 'value="24"' in html and 'value="11"' in html and 'value="2026"' in html


def test_the_fieldset_has_a_legend_hint_and_error():
    from django.template.loader import render_to_string

    form = VisitForm({"visited_on_day": "7"})
    form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["visited_on"]})
    assert '<legend class="govuk-fieldset__legend' in html and "Date of visit" in html
    assert 'id="id_visited_on-hint"' in html and "For example, 24 11 2026" in html
    assert "Date of visit must include a month and year" in html


def _project_forms_with_dates():
    """Every form class in the project's apps that has a date field (forms modules and views that define forms)."""
    import importlib
    import inspect
    from pathlib import Path

    from django.apps import apps

    root = Path(__file__).resolve().parents[2]
    found = []
    for config in apps.get_app_configs():
        app_path = Path(config.path)
        if root not in app_path.parents:
            continue
        for source in sorted([*app_path.glob("forms.py"), *app_path.glob("*views.py")]):
            module = importlib.import_module(f"{config.name}.{source.stem}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    names = [name for name, field in cls.base_fields.items() if isinstance(field, forms.DateField)]
                    if names:
                        found.append((cls, names))
    return found


def test_every_date_typed_in_the_project_uses_the_one_date_input():
    """The audit log's filters, find a child, the census lists...: no browser date picker, no plain text box.

    A form with the GOV.UK mixin gets the date input on each date field when it is made; forms that
    need arguments to be made are checked by their class, the others are made and rendered.
    """
    checked = _project_forms_with_dates()
    assert len(checked) > 20, "the sweep found the project's forms"
    rendered = 0
    for cls, names in checked:
        assert issubclass(cls, GovukFormMixin), f"{cls.__module__}.{cls.__name__} types a date without the GOV.UK date input"
        try:
            form = cls()
        except TypeError:
            continue  # needs a case, a user...: the mixin above is what gives it the date input
        for name in names:
            assert isinstance(form.fields[name].widget, (GovukDateInput, forms.HiddenInput)), (cls, name)
            html = str(form[name])
            assert 'type="date"' not in html and f'name="{name}_day"' in html or isinstance(form.fields[name].widget, forms.HiddenInput), (cls, name)
        rendered += 1
    assert rendered >= 3


class ChoiceForm(GovukFormMixin, forms.Form):
    visited_on = forms.DateField(label="Date of visit")
    seen = forms.ChoiceField(label="Was the child seen?", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    note = forms.CharField(label="Note")


def test_the_error_summary_links_to_the_first_box_to_put_right():
    from django.template.loader import render_to_string

    form = ChoiceForm({"visited_on_day": "7", "visited_on_month": "", "visited_on_year": ""})
    assert not form.is_valid()
    # GOV.UK: a link to the first wrong box of a date (here the month), the first option of radios, the input otherwise.
    assert form.error_links() == [
        ("id_visited_on_month", "Date of visit must include a month and year"),
        ("id_seen_0", "This field is required."),
        ("id_note", "This field is required."),
    ]
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert 'href="#id_visited_on_month"' in html and 'href="#id_seen_0"' in html and 'href="#id_note"' in html
    assert 'id="id_visited_on_month"' in str(form["visited_on"])  # the anchor exists on the page
    form = ChoiceForm({"visited_on_day": "31", "visited_on_month": "2", "visited_on_year": "2026", "seen": "yes", "note": "x"})
    assert not form.is_valid() and form.error_links() == [("id_visited_on", "Date of visit must be a real date")]
