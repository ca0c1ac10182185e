"""Concern pages: record a concern about a child found by identifiers or on a case, and amend one.

Thin, like every page on a case (cases/views.py `case_form`): the access layer fetches the case
(404 when not visible, 403 without the action) or the concern (`access.access_concern`: amending is
for the agency that recorded it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agencies import access
from cases.views import IDENTIFIER_FIELDS, case_form, case_url
from neglect_portal.govuk_forms import add_service_errors

from . import forms, services


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request):
    """Record a concern about a child found by exact identifiers, whether or not the user sees them yet."""
    access.require(request.user, access.can_see_case_work(request.user), request=request, what="record a concern")
    if request.method == "POST" and request.POST.get("prefill") == "1":
        # From "find a child": the identifiers arrive in the POST body (never the URL) and fill an unbound form.
        form = forms.ConcernByIdentifiersForm(initial={name: request.POST.get(name, "") for name in IDENTIFIER_FIELDS})
    else:
        form = forms.ConcernByIdentifiersForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            recorded = services.concern_record_for_identifiers(
                actor=request.user,
                identifiers=form.identifiers(),
                agencies_told=form.cleaned_data["agencies_told"],
                request=request,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The same answer whatever the register holds (issue 22, finding 4): a reference, no child, no case.
            asked = services.ASKED_FRONT_DOOR if form.cleaned_data.get("ask_front_door") else ""
            messages.success(request, f"{services.CONCERN_FOR_THE_LEAD}{asked} Reference: concern {recorded.concern_id}.")
            return redirect("home")
    return render(request, "cases/concern_new.html", {"form": form, "title": "Record a concern"})


@login_required
@require_http_methods(["GET", "POST"])
def case_concern_new(request, case_id):
    def save(case, record, form):
        return services.concern_record(
            actor=request.user, case=case, agencies_told=form.cleaned_data["agencies_told"], request=request, **form.service_arguments()
        )

    return case_form(
        request,
        case_id,
        action="contribute",
        form_class=forms.ConcernForm,
        title="Record a concern",
        save=save,
        success=services.concern_confirmation,
        anchor="concerns",
        template="cases/concern_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_amend(request, case_id, concern_id):
    concern = access.access_concern(request.user, concern_id, case_id=case_id, amend=True, request=request)
    current = concern.latest_version
    initial = {
        "observed_on": current.observed_on,
        "neglect_types": current.neglect_types,
        "description": current.description,
        "impact_on_child": current.impact_on_child,
        "action_taken": current.action_taken,
        "suggested_threshold": current.suggested_threshold,
    }
    form = forms.ConcernAmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_amend(actor=request.user, concern=concern, reason=form.cleaned_data["reason"], request=request, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Amendment recorded. The original concern stays visible.")
            return redirect(case_url(concern.case, "concerns"))
    return render(request, "cases/concern_form.html", {"form": form, "case": concern.case, "concern": concern, "title": "Amend a concern"})
