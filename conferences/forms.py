"""Forms for conference pages. They parse and check what was typed; services apply the rules again.

The attendance and decisions pages are each one table: a model formset with one row per
invitation, or per child, bound to rows the view got through the access layer (`edit_only`:
a posted row cannot add or delete anything). Row fields are labelled for screen readers with the
agency's or child's name, since a table shows those only once, in the first column.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from neglect_portal.govuk_forms import GovukFormMixin, error_anchor
from partnership.wording import mark_wording_fields
from plans.models import CPCategory

from .models import Attendance, ConferenceChild, ConferenceFormat, ConferenceKind, Invitation


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.get_username()} ({user.membership.agency.name})"


class SiblingCaseField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, case):
        return f"{case.child} (case {case.pk})"


class ConferenceScheduleForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of conference",
        choices=ConferenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of conference"},
    )
    held_on = forms.DateField(
        label="Date", widget=forms.DateInput, error_messages={"required": "Enter the date of the conference", "invalid": "Enter a real date"}
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}),
        help_text="For example, 10:00",
        error_messages={"required": "Enter the time the conference starts", "invalid": "Enter a time such as 10:00"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=ConferenceFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format"},
    )
    location = forms.CharField(
        label="Place or joining link",
        required=False,
        max_length=500,
        help_text="Where the conference is held, or the link to join it online. The invitations give it to each agency.",
    )
    chair = ChairChoiceField(queryset=None, label="Chair", empty_label="Choose the chair", error_messages={"required": "Choose the chair"})
    strategy_discussion_on = forms.DateField(
        label="Date of the strategy discussion",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter a real date"},
    )
    sibling_cases = SiblingCaseField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Brothers and sisters covered by the same conference",
    )

    def __init__(self, *args, chairs, sibling_cases, **kwargs):
        super().__init__(*args, **kwargs)
        within = getattr(settings, "CONFERENCE_INITIAL_WITHIN_WORKING_DAYS", 15)
        strategy = self.fields["strategy_discussion_on"]
        strategy.help_text = f"Needed for an initial child protection conference: it is due within {within} working days of the strategy discussion."
        strategy.widget.attrs["aria-describedby"] = f"{self['strategy_discussion_on'].id_for_label}-hint"
        self.fields["chair"].queryset = chairs
        self.fields["sibling_cases"].queryset = sibling_cases
        if not sibling_cases.exists():
            del self.fields["sibling_cases"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ConferenceKind.INITIAL and not data.get("strategy_discussion_on") and "strategy_discussion_on" not in self.errors:
            self.add_error("strategy_discussion_on", "Enter the date of the strategy discussion")
        return data


class InvitationRowForm(GovukFormMixin, forms.Form):
    """One agency on the scheduling page: invite it, make it a key agency, ask for a report, name the person."""

    agency = forms.IntegerField(widget=forms.HiddenInput)
    invite = forms.BooleanField(required=False)
    is_key_agency = forms.BooleanField(required=False)
    report_requested = forms.BooleanField(required=False)
    invitee_name = forms.CharField(required=False, max_length=200)
    invitee_email = forms.EmailField(required=False, error_messages={"invalid": "Enter an email address like name@example.org"})

    def __init__(self, *args, agency_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_names = agency_names

    @property
    def agency_id(self):
        """The row's agency: as posted when bound (so errors name the right one), else as offered."""
        try:
            return int(self["agency"].value())
        except (TypeError, ValueError):
            return None

    @property
    def agency_name(self):
        return self.agency_names.get(self.agency_id, "")

    def clean(self):
        data = super().clean()
        if data.get("agency") not in self.agency_names:
            raise ValidationError("Choose agencies from the list")
        if not data.get("invite") and (data.get("is_key_agency") or data.get("report_requested")):
            raise ValidationError(f"Invite {self.agency_names[data['agency']]} to make it a key agency or ask it for a report")
        return data


class BaseInvitationFormSet(forms.BaseFormSet):
    def __init__(self, *args, agency_names, **kwargs):
        self.agency_names = agency_names
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "agency_names": self.agency_names}

    def clean(self):
        if any(self.errors):
            return
        agencies = [form.cleaned_data["agency"] for form in self.forms]
        if len(set(agencies)) != len(agencies):
            raise ValidationError("Each agency can appear once")
        if not any(form.cleaned_data.get("invite") for form in self.forms):
            raise ValidationError("Invite at least one agency")

    def invited(self):
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("invite")]


InvitationFormSet = forms.formset_factory(InvitationRowForm, formset=BaseInvitationFormSet, extra=0)


class AttendanceRowForm(GovukFormMixin, forms.ModelForm):
    """One invitation in the attendance table."""

    attendance = forms.ChoiceField(choices=[("", "Choose")] + Attendance.choices, error_messages={"required": "Choose how the agency attended"})
    report_received_on = forms.DateField(required=False, widget=forms.DateInput, error_messages={"invalid": "Enter a real date"})

    class Meta:
        model = Invitation
        fields = ["attendance", "report_received_on", "absence_impact"]
        widgets = {"absence_impact": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_wording_fields(self, ["absence_impact"])  # the wording guide's hint beside it (partnership/wording.py)


AttendanceFormSet = forms.modelformset_factory(Invitation, form=AttendanceRowForm, extra=0, edit_only=True)


class DecisionRowForm(GovukFormMixin, forms.ModelForm):
    """One child's decision in the decisions table."""

    decision = forms.ChoiceField(choices=(), error_messages={"required": "Choose the decision"})
    cp_category = forms.ChoiceField(choices=[("", "No plan after the conference")] + CPCategory.choices, required=False)

    class Meta:
        model = ConferenceChild
        fields = ["decision", "cp_category", "decision_notes"]
        widgets = {"decision_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, decision_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "Choose")] + decision_choices
        mark_wording_fields(self, ["decision_notes"])  # the wording guide's hint beside it (partnership/wording.py)


class InquorateReasonForm(GovukFormMixin, forms.Form):
    """The chair's reason for deciding although the conference is not quorate (shown only then)."""

    inquorate_reason = forms.CharField(
        label="Why decisions are made although the conference is not quorate",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, why the decision could not wait for a quorate conference. It is kept with the conference.",
        error_messages={"required": "Enter why decisions are made although the conference is not quorate"},
    )


DecisionFormSet = forms.modelformset_factory(ConferenceChild, form=DecisionRowForm, extra=0, edit_only=True)


class AttendanceReportForm(GovukFormMixin, forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput, error_messages={"required": "Enter the first day", "invalid": "Enter a real date"})
    end = forms.DateField(label="To", widget=forms.DateInput, error_messages={"required": "Enter the last day", "invalid": "Enter a real date"})

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last day must be on or after the first day")
        return data


def _anchor(form, field):
    """The id an error summary link jumps to: the field's input (the first option of a radio or
    checkbox list), or the row's first input for an error about the whole row."""
    if field == NON_FIELD_ERRORS or field not in form.fields:
        visible = form.visible_fields()
        return visible[0].id_for_label if visible else "main-content"
    return error_anchor(form[field])


def form_errors(form):
    """A form's errors as (anchor id, message) pairs for the GOV.UK error summary."""
    return [(_anchor(form, field), error) for field, errors in form.errors.items() for error in errors]


def formset_errors(formset, name_of):
    """A formset's errors as (anchor id, message) pairs, each naming its row unless it already does."""
    summary = [("main-content", error) for error in formset.non_form_errors()]
    for form in formset.forms:
        for field, errors in form.errors.items():
            for error in errors:
                name = name_of(form)
                summary.append((_anchor(form, field), error if name in error else f"{name}: {error}"))
    return summary
