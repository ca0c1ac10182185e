import datetime

from django import forms
from django.http import QueryDict

from agencies.models import Agency
from audit.models import AuditAction
from neglect_portal.govuk_forms import GovukFormMixin


class EventSearchForm(GovukFormMixin, forms.Form):
    username = forms.CharField(required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False, empty_label="Any agency")
    child_id = forms.IntegerField(required=False, min_value=1, label="Child reference number")
    action = forms.ChoiceField(choices=[("", "Any action")] + AuditAction.choices, required=False)
    date_from = forms.DateField(required=False, label="From date", widget=forms.DateInput)
    date_to = forms.DateField(required=False, label="To date", widget=forms.DateInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "To date must be the same as or after the from date.")
        return cleaned

    def search_arguments(self):
        data = self.cleaned_data
        return {
            "username": data.get("username", ""),
            "agency_id": data["agency"].pk if data.get("agency") else None,
            "child_id": data.get("child_id"),
            "action": data.get("action", ""),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }

    def filters_for_audit(self):
        """The filters as one value each (a date as YYYY-MM-DD), for the export's own audit row.

        A date is typed in three boxes (`date_from_day`...), so the raw query does not carry it under
        the field's name; the checked values do. Empty before the form is filled in.
        """
        filters = QueryDict(mutable=True)
        for name, value in getattr(self, "cleaned_data", {}).items():
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            filters[name] = str(getattr(value, "pk", value))
        return filters
