from django import forms

from neglect_portal.govuk_forms import GovukFormMixin


class PdfForm(GovukFormMixin, forms.Form):
    for_publication = forms.BooleanField(
        required=False, label="For publication", help_text=(
            "Counts of children from 1 to 4 are shown as “fewer than 5”, and any figure they could be worked out from "
            "(a total, a percentage) as “not shown”, so no child can be recognised."
        ),
    )
