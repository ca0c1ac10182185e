"""Explicit case grants, for partnership admins: grant a case to a user or an agency, with a reason and an end date; list and revoke.

Thin: the rules and the audit rows are in `agencies/access.py` (`case_grant`, `case_grant_revoke`,
`case_grants_list`, `case_for_grant`). Admins see no child data: a case is named by its number,
which the person asking for the grant gives them. The form lives here because it belongs to this
one page (as the drift acknowledgement form does).
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.govuk_forms import GovukFormMixin

from . import access
from .models import Agency

# A grant is for a piece of work, not for ever: at most a year, then it is granted again (and the reason restated).
LONGEST_GRANT_DAYS = 366


class CaseGrantForm(GovukFormMixin, forms.Form):
    case_number = forms.IntegerField(
        label="Case number",
        min_value=1,
        help_text="The number of the case, from the person asking for the grant (for example 1042).",
        error_messages={"required": "Enter the case number", "invalid": "Enter the case number as digits", "min_value": "Enter the case number as digits"},
    )
    user = forms.ModelChoiceField(
        label="Grant to a person",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Choose a person",
        help_text="Choose a person, or an agency below: not both.",
    )
    agency = forms.ModelChoiceField(label="Or grant to an agency", queryset=Agency.objects.none(), required=False, empty_label="Choose an agency")
    reason = forms.CharField(
        label="Why they need to see this case",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is the information-sharing decision: it is kept in the audit log.",
        error_messages={"required": "Say why they need to see this case", "max_length": "Keep the reason to 300 characters or fewer"},
    )
    expires_on = forms.DateField(
        label="Until",
        widget=forms.DateInput(),
        help_text=f"The last day they can see the case: at most {LONGEST_GRANT_DAYS} days from today.",
        error_messages={"required": "Enter the last day of the grant", "invalid": "Enter the last day of the grant as a real date"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True, membership__role__in=access.CASE_WORKING_ROLES, membership__agency__is_active=True)
        self.fields["user"].queryset = people.select_related("membership__agency").order_by("last_name", "first_name", "username")
        self.fields["user"].label_from_instance = lambda person: f"{person.get_full_name() or person.username} ({person.membership.agency})"
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("agency")) and not self.has_error("user") and not self.has_error("agency"):
            self.add_error("user", "Choose either a person or an agency")
        expires_on, today = data.get("expires_on"), timezone.localdate()
        if expires_on is not None and expires_on < today:
            self.add_error("expires_on", "The last day must be today or later")
        elif expires_on is not None and expires_on > today + timedelta(days=LONGEST_GRANT_DAYS):
            self.add_error("expires_on", f"A grant lasts at most {LONGEST_GRANT_DAYS} days: grant it again when it ends")
        return data


def _rows(grants):
    return [
        {
            "kind": kind,
            "grant": grant,
            "grantee": (grant.user.get_full_name() or grant.user.username) if kind == "user" else f"{grant.group.agency.name} (agency)",
            "live": access.grant_is_live(grant),
        }
        for kind, grant in grants
    ]


@access.role_required(access.can_manage_partnership)
@require_http_methods(["GET", "POST"])
def case_grants(request):
    """The grants, newest first, and the form to grant a case."""
    form = CaseGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = access.case_for_grant(request.user, data["case_number"], request=request)
        if case is None:
            form.add_error("case_number", "There is no case with this number")
        else:
            access.case_grant(
                granted_by=request.user,
                case=case,
                reason=data["reason"],
                user=data["user"],
                agency=data["agency"],
                expires_on=data["expires_on"],
                request=request,
            )
            who = data["user"] or data["agency"]
            messages.success(request, f"Case {case.pk} granted to {who} until {data['expires_on']:%-d %B %Y}.")
            return redirect("agencies:case_grants")
    grants = access.case_grants_list(request.user, request=request)
    if request.method == "GET":
        audit_record(user=request.user, action=AuditAction.VIEW, object_type="case_grant_list", detail=f"{len(grants)} grants listed", request=request)
    return render(request, "agencies/case_grants.html", {"form": form, "rows": _rows(grants)})


@access.role_required(access.can_manage_partnership)
@require_POST
def case_grant_revoke(request, kind, grant_id):
    """End a grant now (POST only); one audit row."""
    if kind not in access.GRANT_KINDS:
        raise Http404("No such grant.")
    access.case_grant_revoke(revoked_by=request.user, kind=kind, grant_id=grant_id, request=request)
    messages.success(request, "Grant revoked.")
    return redirect("agencies:case_grants")
