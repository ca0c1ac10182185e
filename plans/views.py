"""Plan pages: start and end a plan, add an action, record an action's progress.

Thin, like every page on a case (cases/views.py `case_form`): the access layer fetches the case
(404 when not visible, 403 without the action), a plan or action is looked for among the case's
own, starting and ending plans and adding actions is for the case's lead (`access.can_lead_case`),
and an action's progress for its owner agency and the lead (`access.can_update_action`).
"""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from agencies import access
from cases.views import case_form

from . import forms, selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, case_id):
    def save(case, record, form):
        data = form.cleaned_data
        services.plan_start_by_hand(
            actor=request.user, case=case, kind=data["kind"], cp_category=data["cp_category"], started_on=data["started_on"], request=request
        )

    return case_form(
        request,
        case_id,
        action="contribute",
        form_class=forms.PlanForm,
        title="Start a plan",
        save=save,
        success="Plan started.",
        anchor="plans",
        allowed=lambda case, record: access.can_lead_case(request.user, case),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_end(request, case_id, plan_id):
    def save(case, plan, form):
        services.plan_end(
            actor=request.user,
            plan=plan,
            ended_on=form.cleaned_data["ended_on"],
            end_reason=form.cleaned_data["end_reason"],
            expected_version=form.cleaned_data["version"],
            request=request,
        )

    def current(case, plan):
        ended = f"{plan.ended_on:%d %B %Y}: {plan.end_reason}" if plan.ended_on else "Not ended"
        return [("Plan", str(plan)), ("Ended", ended)]

    return case_form(
        request,
        case_id,
        action="contribute",
        form_class=forms.PlanEndForm,
        title="End the plan",
        save=save,
        success="Plan ended.",
        anchor="plans",
        lookup=lambda case: selectors.plan_on_case(case=case, plan_id=plan_id),
        allowed=lambda case, plan: access.can_lead_case(request.user, case),
        version_of=lambda case, plan: plan.version,
        current=current,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request, case_id, plan_id):
    def save(case, plan, form):
        data = form.cleaned_data
        services.plan_action_add(
            actor=request.user,
            plan=plan,
            what=data["what"],
            outcome_for_child=data["outcome_for_child"],
            owner_agency=data["owner_agency"],
            due_on=data["due_on"],
            request=request,
        )

    return case_form(
        request,
        case_id,
        action="contribute",
        form_class=forms.PlanActionForm,
        title="Add an action to the plan",
        save=save,
        success="Action added.",
        anchor="plans",
        lookup=lambda case: selectors.plan_on_case(case=case, plan_id=plan_id),
        allowed=lambda case, plan: access.can_lead_case(request.user, case),
        form_kwargs={"case": lambda case, plan: case},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request, case_id, action_id):
    def save(case, plan_action, form):
        services.plan_action_update(
            actor=request.user,
            action=plan_action,
            status=form.cleaned_data["status"],
            evidence=form.cleaned_data["evidence"],
            expected_version=form.cleaned_data["version"],
            request=request,
        )

    def current(case, plan_action):
        return [("Action", plan_action.what), ("Status", plan_action.get_status_display()), ("Evidence", plan_action.evidence)]

    return case_form(
        request,
        case_id,
        action="contribute",
        form_class=forms.PlanActionUpdateForm,
        title="Update an action",
        save=save,
        success="Action updated.",
        anchor="plans",
        lookup=lambda case: selectors.plan_action_on_case(case=case, action_id=action_id),
        allowed=lambda case, plan_action: access.can_update_action(request.user, plan_action),
        form_kwargs={"initial": lambda case, action: {"status": action.status, "evidence": action.evidence}},
        version_of=lambda case, plan_action: plan_action.version,
        current=current,
    )
