from django import forms

from neglect_portal.govuk_forms import GovukFormMixin


class PdfForm(GovukFormMixin, forms.Form):
    for_publication = forms.BooleanField(
        required=False, label="For publication", help_text="Counts from 1 to 4 are shown as “fewer than 5”, so no child can be recognised."
    )
