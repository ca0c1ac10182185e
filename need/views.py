"""The level-of-need page: the case's level, its history and the decision form. Thin: parse, ask the access layer, call the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agencies import access
from cases.models import Threshold
from neglect_portal.govuk_forms import add_service_errors

from . import selectors, services
from .forms import LevelOfNeedForm
from .levels import level_label


@login_required
@require_http_methods(["GET", "POST"])
def level_of_need_change(request, case_id):
    """Step the level of need up or down (404 when the case is not visible, 403 with the reason when the user may not decide)."""
    case = access.access_case(request.user, case_id, action="change_level_of_need", request=request)
    form = LevelOfNeedForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.level_of_need_change(
                actor=request.user,
                case=case,
                to_level=form.cleaned_data["to_level"],
                reasons=form.cleaned_data["reasons"],
                early_help_lead=form.cleaned_data["early_help_lead"],
                review_on=form.cleaned_data["review_on"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = f" Told: {'; '.join(decision.told)}." if decision.told else ""
            messages.success(request, f"Level of need changed to {decision.to_label}.{told}")
            return redirect(reverse("cases:case_detail", args=[case.pk]) + "#summary")
    return render(
        request,
        "need/change.html",
        {"case": case, "form": form, "level": selectors.level_of_need(user=request.user, case=case), "statutory_label": level_label(Threshold.SPECIALIST)},
    )
