"""A service's errors on a form, and a form shown again after an edit conflict (neglect_portal/govuk_forms.py)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict

from neglect_portal.concurrency import EditConflict
from neglect_portal.govuk_forms import GovukFormMixin, add_service_errors, form_after_conflict


class EndPlanForm(GovukFormMixin, forms.Form):
    ended_on = forms.DateField(help_text="For example, 2026-11-24")
    end_reason = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def valid_form():
    form = EndPlanForm({"ended_on": "2026-11-24", "end_reason": "Outcomes met", "version": "3"})
    assert form.is_valid()
    return form


def test_each_message_goes_beside_its_field_and_the_rest_above_the_form():
    form = valid_form()
    add_service_errors(form, ValidationError({"ended_on": "Before the plan started", "case": "The case is closed", NON_FIELD_ERRORS: "Try again"}))
    assert form.errors == {"ended_on": ["Before the plan started"], NON_FIELD_ERRORS: ["The case is closed", "Try again"]}
    widget = form.fields["ended_on"].widget
    assert "govuk-input--error" in widget.attrs["class"]
    assert widget.attrs["aria-describedby"] == "id_ended_on-hint id_ended_on-error-1"
    add_service_errors(form, ValidationError({"ended_on": "And on a weekend"}))
    assert widget.attrs["aria-describedby"] == "id_ended_on-hint id_ended_on-error-1 id_ended_on-error-2"


def test_a_list_of_messages_goes_above_the_form_and_keys_may_be_mapped_to_fields():
    form = valid_form()
    add_service_errors(form, ValidationError(["Closed case", "Ask a manager"]))
    assert form.non_field_errors() == ["Closed case", "Ask a manager"]
    form = valid_form()
    add_service_errors(form, ValidationError({"reason": "Say why"}), field_for={"reason": "end_reason"}.get)
    assert form.errors == {"end_reason": ["Say why"]}


def test_after_a_conflict_the_form_keeps_what_was_typed_with_the_current_version_and_the_message():
    data = QueryDict(mutable=True)
    data.update({"ended_on": "2026-11-24", "end_reason": "Outcomes met", "version": "3"})
    form = form_after_conflict(EndPlanForm, data, EditConflict("Sam changed it", current_version=5))
    assert (form["end_reason"].value(), form["version"].value(), form.non_field_errors()) == ("Outcomes met", 5, ["Sam changed it"])
    assert data["version"] == "3"
