"""Referral pages: record a referral on a case. Thin, like every form on a case (cases/views.py `case_form`)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from cases.views import case_form

from . import forms, services


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, case_id):
    def save(case, record, form):
        data = form.cleaned_data
        services.referral_record(
            actor=request.user,
            child=case.child,
            case=case,
            referring_agency=data["referring_agency"],
            referred_on=data["referred_on"],
            is_neglect=data["is_neglect"],
            reasons=data["reasons"],
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            request=request,
        )

    return case_form(
        request,
        case_id,
        action="contribute",
        form_class=forms.ReferralForm,
        title="Record a referral",
        save=save,
        success="Referral recorded.",
        anchor="referrals",
    )
