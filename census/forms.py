from django import forms
from django.utils import timezone

from neglect_portal.govuk_forms import GovukFormMixin
from neglect_portal.uploads import read_upload


def _default_year():
    today = timezone.localdate()
    return today.year if today.month > 3 else today.year - 1


class CensusExportForm(GovukFormMixin, forms.Form):
    year = forms.IntegerField(
        label="Census year",
        min_value=2000,
        max_value=2100,
        initial=_default_year,
        help_text="The year of the reference date: 2026 is 1 April 2025 to 31 March 2026.",
        error_messages={"required": "Enter the census year", "min_value": "Enter a year from 2000", "max_value": "Enter a year up to 2100"},
    )
    la_code = forms.RegexField(
        label="Local authority code",
        regex=r"^\d{3}$",
        max_length=3,
        error_messages={"required": "Enter the local authority code", "invalid": "The local authority code is three digits, e.g. 931"},
    )


class AnnexAForm(GovukFormMixin, forms.Form):
    list_number = forms.TypedChoiceField(label="List", coerce=int, choices=[(6, "List 6: children in need"), (7, "List 7: child protection")])
    as_of = forms.DateField(
        label="Up to",
        initial=timezone.localdate,
        help_text="For example, 31 3 2026",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Enter the last day of the list", "invalid": "Enter a real date"},
    )


class CensusUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Census return (XML)",
        help_text="The DfE Children in Need census file, up to 20 MB. Nothing is written until you confirm.",
        error_messages={"required": "Choose the census return to check", "empty": "The file is empty"},
    )

    def clean_file(self):
        from .importing import MAX_BYTES

        return read_upload(self.cleaned_data["file"], limit=MAX_BYTES)  # refused by size before it is read
