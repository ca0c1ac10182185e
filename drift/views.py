"""Drift pages: the manager queue and acknowledging a flag. Thin: parse, ask the access layer, call drift.py.

The acknowledgement form lives here rather than in forms.py because it belongs to this one page.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from neglect_portal.govuk_forms import GovukFormMixin, add_service_errors
from neglect_portal.pagination import pagination_links, query_without_page

from . import rules as drift
from . import selectors


class AcknowledgeForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why the delay is acceptable for now, and what will happen next",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for your decision"},
    )
    review_on = forms.DateField(
        label="Review date",
        help_text="The flag shows as acknowledged until this date, then returns. For example, 2026-12-15.",
        widget=forms.DateInput(),
        error_messages={"required": "Enter the date you will review this again", "invalid": "Enter the review date as a real date"},
    )


@login_required
@require_GET
def queue(request):
    """The manager's cases with drift flags, worst first; filters by rule, lead agency and locality."""
    access.require(request.user, access.is_overseer(request.user), request=request, what="drift queue")
    code = request.GET.get("rule", "") if request.GET.get("rule", "") in drift.RULES else ""
    team = request.GET.get("team", "")
    team = int(team) if team.isdigit() else None
    locality = request.GET.get("locality", "")
    # The stored flags, filtered and paged in SQL (drift/selectors.py): one page of the queue at a time.
    result = selectors.drift_queue_page(user=request.user, code=code, team=team, locality=locality, page_number=request.GET.get("page"))
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="drift_queue",
        detail=f"{result.flagged} of {result.cases_checked} cases flagged, page {result.page.number}; rule={code or 'any'}",
        request=request,
    )
    audit_record_children_listed(user=request.user, child_ids=[row.case.child_id for row in result.rows], detail="drift queue", request=request)
    rules = [(code_, title, result.counts[code_]) for code_, title in drift.RULES.items()]
    # Each row with whether this user may record a decision on its flags (a boolean for the template).
    rows = [(row, access.can_oversee(request.user, row.case)) for row in result.rows]
    pages = pagination_links(result.page, query_without_page(request))
    return render(
        request,
        "drift/queue.html",
        {"queue": result, "rows": rows, "rules": rules, "rule": code, "team": team, "locality": locality, "pagination": pages},
    )


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request, case_id, code):
    """Record an oversight decision against a flag that applies to the case now (404 if none does).

    `?flag=<key>` names the one flag (drift/rules.py, `DriftFlag.key`) when a rule raises several on
    the case; the decision covers that flag only. Without it, the rule's first flag (older links).
    """
    case = access.access_case(request.user, case_id, action="oversee", request=request)
    key = request.GET.get("flag", "")
    flag = next((flag for flag in drift.flags_for_case(user=request.user, case=case) if flag.code == code and (not key or flag.key == key)), None)
    if flag is None:
        raise Http404("This flag does not apply to the case now.")
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drift.drift_acknowledge(
                actor=request.user,
                case=case,
                flag=flag,
                reason=form.cleaned_data["reason"],
                review_on=form.cleaned_data["review_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Decision recorded. “{flag.title}” shows as acknowledged until {form.cleaned_data['review_on']:%-d %B %Y}.")
            return redirect(reverse("cases:case_detail", args=[case.pk]) + "#flags")
    return render(request, "drift/acknowledge.html", {"case": case, "flag": flag, "form": form})
