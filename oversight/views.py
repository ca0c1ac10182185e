"""Management oversight pages: record a review of a case, and a manager's cases to oversee.

Thin, like every page on a case (cases/views.py `case_form`): the access layer fetches the case and
checks the `oversee` action, or checks that the user oversees cases at all.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record, audit_record_children_listed
from cases.views import case_form
from neglect_portal.pagination import page_of, pagination_links, query_without_page

from . import forms, selectors, services


@login_required
def manager_cases(request):
    """A manager's (or designated safeguarding lead's) cases to oversee."""
    access.require(request.user, access.is_overseer(request.user), request=request, what="manager pages")
    # Paged in SQL, never capped (issue 18): every case overseen is reachable, one page at a time.
    page = page_of(selectors.cases_to_oversee(user=request.user), request.GET.get("page"), per_page=selectors.CASES_TO_OVERSEE_PAGE)
    cases = list(page.object_list)
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        object_type="case_list",
        detail=f"manager list, page {page.number}: {len(cases)} of {page.paginator.count} cases",
        request=request,
    )
    audit_record_children_listed(user=request.user, child_ids=[case.child_id for case in cases], detail="cases to oversee", request=request)
    context = {"cases": cases, "page": page, "pagination": pagination_links(page, query_without_page(request)), "today": timezone.localdate()}
    return render(request, "oversight/manager_cases.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def oversight_new(request, case_id):
    def save(case, record, form):
        data = form.cleaned_data
        services.oversight_record(
            actor=request.user,
            case=case,
            recorded_on=data["recorded_on"],
            decision=data["decision"],
            reasons=data["reasons"],
            next_review_on=data["next_review_on"],
            request=request,
        )

    return case_form(
        request,
        case_id,
        action="oversee",
        form_class=forms.OversightForm,
        title="Record management oversight",
        save=save,
        success="Management oversight recorded.",
        anchor="oversight",
    )
