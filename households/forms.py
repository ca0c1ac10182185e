"""Forms for households (issue 14). They parse and check shapes; the rules are in households/services.py."""

from django import forms
from django.conf import settings
from django.utils import timezone

from cases.forms import ChildIdentifiersForm
from cases.household_models import CHILD_RELATIONSHIPS, MemberRelationship
from cases.models import Relationship
from neglect_portal.govuk_forms import GovukFormMixin


def _date(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} as a real date"},
    )


def _not_in_future(form, name):
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {form.fields[name].label.lower()} must be today or in the past")
    return value


def _localities():
    return [("", "Not recorded")] + [(name, name.title()) for name in settings.PARTNERSHIP_LOCALITIES]


class HouseholdDetailsForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="How the household is known",
        max_length=200,
        help_text="For example the family name: Brook household.",
        error_messages={"required": "Enter how the household is known, for example the family name"},
    )
    locality = forms.ChoiceField(label="Locality", required=False)
    language = forms.CharField(label="Main language spoken at home", max_length=100, required=False)
    interpreter_needed = forms.BooleanField(label="An interpreter is needed", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].choices = _localities()


class AddressFields(forms.Form):
    address = forms.CharField(
        label="Address lines", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One line per row: house or flat, street, town."
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    uprn = forms.CharField(
        label="UPRN",
        max_length=12,
        required=False,
        help_text="The Unique Property Reference Number, if you know it.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "inputmode": "numeric"}),
    )


class HouseholdForm(HouseholdDetailsForm, AddressFields):
    """A new household: how it is known and where it lives."""

    field_order = ["name", "address", "postcode", "uprn", "locality", "language", "interpreter_needed"]


class HouseholdMoveForm(GovukFormMixin, AddressFields):
    moved_on = _date("Date they moved", required=True)
    reason = forms.CharField(label="What you know about the move", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].required = True
        self.fields["address"].error_messages["required"] = "Enter the new address"

    def clean_moved_on(self):
        return _not_in_future(self, "moved_on")


class ChildMemberForm(ChildIdentifiersForm):
    """Add a child the user can already see, found by exact identifiers, with the reason (a recorded decision)."""

    relationship = forms.ChoiceField(
        label="How the child belongs to the household",
        widget=forms.RadioSelect,
        choices=[(value, MemberRelationship(value).label) for value in CHILD_RELATIONSHIPS],
        initial=MemberRelationship.CHILD,
        error_messages={"required": "Choose how the child belongs to the household"},
    )
    joined_on = _date("Date they started living here", help_text="Leave blank for today.")
    reason = forms.CharField(
        label="Why the child is being added",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What tells you the child lives here. This is recorded and shown on the child's chronology.",
        error_messages={"required": "Say why the child is being added to the household"},
    )

    def clean_joined_on(self):
        return _not_in_future(self, "joined_on")


class MemberRemoveForm(GovukFormMixin, forms.Form):
    left_on = _date("Date they left", help_text="Leave blank for today.")
    reason = forms.CharField(
        label="Why they no longer live here",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is recorded and shown on the children's chronologies.",
        error_messages={"required": "Say why they no longer live in the household"},
    )

    def clean_left_on(self):
        return _not_in_future(self, "left_on")


class HouseholdMergeForm(GovukFormMixin, forms.Form):
    duplicate = forms.IntegerField(
        label="Household number of the duplicate record",
        min_value=1,
        help_text="Shown as the caption on the duplicate household's page. Its members and addresses move to this household.",
        error_messages={"required": "Enter the household number of the duplicate record", "invalid": "Enter the household number as digits"},
    )
    reason = forms.CharField(
        label="Why they are the same household", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Say why these are the same household"}
    )


class AdultForm(GovukFormMixin, forms.Form):
    given_name = forms.CharField(max_length=100, error_messages={"required": "Enter the adult's given name"})
    family_name = forms.CharField(max_length=100, error_messages={"required": "Enter the adult's family name"})
    is_father_or_male_carer = forms.BooleanField(
        label="Father or male carer", required=False, help_text="Fathers and male carers are seen and involved, not only mothers."
    )
    mental_health = forms.BooleanField(label="Mental health needs", required=False)
    substance_misuse = forms.BooleanField(label="Substance misuse", required=False)
    domestic_abuse = forms.BooleanField(label="Domestic abuse", required=False)
    learning_disability = forms.BooleanField(label="Learning disability", required=False)
    lived_experience_notes = forms.CharField(label="The adult's own experience", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        for child in self.children:
            self.fields[f"relationship_{child.pk}"] = forms.ChoiceField(
                label=f"Relationship to {child}", choices=[("", "None")] + Relationship.choices, required=False
            )
            self.fields[f"pr_{child.pk}"] = forms.BooleanField(label=f"Has parental responsibility for {child}", required=False)
        self.apply_govuk_classes()

    def relationships(self):
        """(child, relationship, parental responsibility) for each child the adult is linked to."""
        return [
            (child, self.cleaned_data[f"relationship_{child.pk}"], self.cleaned_data[f"pr_{child.pk}"])
            for child in self.children
            if self.cleaned_data.get(f"relationship_{child.pk}")
        ]
