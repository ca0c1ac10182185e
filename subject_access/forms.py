"""The form that records a subject access request. It finds the subject by exact identifiers only."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies import access
from cases.selectors import ChildIdentifiers
from neglect_portal.govuk_forms import GovukFormMixin, add_service_errors

from .models import SubjectKind


def _date(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a real date"},
        **kwargs,
    )


class SubjectAccessRequestForm(GovukFormMixin, forms.Form):
    subject_kind = forms.ChoiceField(
        label="Who is the request about?",
        choices=SubjectKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the request is about a child or an adult"},
    )
    given_name = forms.CharField(label="Child's given name", max_length=100, required=False)
    family_name = forms.CharField(label="Child's family name", max_length=100, required=False)
    date_of_birth = _date("Child's date of birth", required=False)
    nhs_number = forms.CharField(label="Child's NHS number", max_length=12, required=False)
    upn = forms.CharField(label="Child's unique pupil number (UPN)", max_length=13, required=False)
    adult_given_name = forms.CharField(label="Adult's given name", max_length=100, required=False)
    adult_family_name = forms.CharField(label="Adult's family name", max_length=100, required=False)
    adult_postcode = forms.CharField(
        label="Adult's household postcode", max_length=10, required=False, help_text="Needed when more than one adult has this name."
    )
    requester_name = forms.CharField(label="Requester's name", max_length=200, error_messages={"required": "Enter the requester's name"})
    requester_relationship = forms.CharField(
        label="Requester's relationship to the subject",
        max_length=200,
        help_text="For example: the subject, mother with parental responsibility, solicitor acting for the subject.",
        error_messages={"required": "Enter the requester's relationship to the subject"},
    )
    requester_contact = forms.CharField(
        label="Requester's address or email", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter where the response is to be sent"}
    )
    received_on = _date("Date received")
    identity_checked = forms.BooleanField(label="The requester's identity and authority have been checked", required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError("The date received must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("subject_kind")
        if kind == SubjectKind.CHILD:
            data["child"] = self._child(data)
        elif kind == SubjectKind.ADULT:
            data["adult"] = self._adult(data)
        return data

    def _child(self, data):
        try:
            identifiers = ChildIdentifiers(
                given_name=data.get("given_name", ""),
                family_name=data.get("family_name", ""),
                date_of_birth=data.get("date_of_birth"),
                nhs_number=data.get("nhs_number", ""),
                upn=data.get("upn", ""),
            ).checked()
        except ValidationError as error:
            add_service_errors(self, error)
            return None
        found = access.subject_children_matching(user=self.user, identifiers=identifiers)
        if not found:
            self.add_error(None, "No child matches these identifiers: check them against the request")
        elif len(found) > 1:
            self.add_error(None, "More than one child matches: add the NHS number or unique pupil number")
        return found[0] if len(found) == 1 else None

    def _adult(self, data):
        if not (data.get("adult_given_name", "").strip() and data.get("adult_family_name", "").strip()):
            self.add_error("adult_given_name", "Enter the adult's given and family names")
            return None
        found = access.subject_adults_matching(
            user=self.user, given_name=data["adult_given_name"], family_name=data["adult_family_name"], postcode=data.get("adult_postcode", "")
        )
        if not found:
            self.add_error(None, "No adult with this name is recorded" + (" at this postcode" if data.get("adult_postcode") else ""))
        elif len(found) > 1:
            self.add_error("adult_postcode", "More than one adult has this name: enter the household postcode")
        return found[0] if len(found) == 1 else None
