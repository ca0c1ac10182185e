"""Writes for plans and their actions. Each function is one business action, atomic and audited.

As for all case work (cases/services.py), who may act is decided before a service is called: views,
the API and conferences fetch the case, plan or action through `agencies.access` and pass it in.
Services enforce the business rules (dates, required reasons, open cases and plans, an action's
owner already in the team) and never widen access. Each sends its `cases/events.py` event, so the
chronology and drift follow inside the same transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from cases import events
from cases.models import Case
from cases.services import Request, User, require_open, stripped, versioned_update
from neglect_portal.concurrency import EditConflict
from neglect_portal.dates import long_date
from neglect_portal.records import save_valid as _save_valid

from .models import Plan, PlanAction, PlanKind


@transaction.atomic
def plan_start(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    started_on: date,
    cp_category: str = "",
    request: Request = None,
) -> Plan:
    """Start a plan on an open case. A child protection plan needs a category; no other plan has one."""
    require_open(case)
    plan = _save_valid(Plan(case=case, kind=kind, cp_category=cp_category or "", started_on=started_on))
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="plan",
        object_id=plan.pk,
        child_id=case.child_id,
        detail=str(plan),
        request=request,
    )
    events.plan_started.send(sender=Plan, plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_end(
    *,
    actor: User | None,
    plan: Plan,
    ended_on: date,
    end_reason: str,
    expected_version: int | None = None,
    request: Request = None,
) -> Plan:
    """End a plan, on or after the day it started, with a reason.

    `expected_version` is the version the user's form showed: a plan changed since raises
    EditConflict. The write is a conditional UPDATE on the version just read, so two people
    ending the same plan cannot both succeed even without a form version.
    """
    plan = Plan.objects.select_related("case").get(pk=plan.pk)
    if expected_version is not None and plan.version != expected_version:
        raise EditConflict(current_version=plan.version)
    if not plan.is_open:
        raise ValidationError({"ended_on": "This plan has already ended"})
    if ended_on is None:
        raise ValidationError({"ended_on": "Enter the date the plan ended"})
    plan.ended_on, plan.end_reason = ended_on, stripped(end_reason)
    plan.full_clean()
    versioned_update(Plan, pk=plan.pk, expected_version=plan.version, ended_on=plan.ended_on, end_reason=plan.end_reason)
    plan.refresh_from_db()
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="plan",
        object_id=plan.pk,
        child_id=plan.case.child_id,
        detail=f"ended: {plan.end_reason}",
        request=request,
    )
    events.plan_ended.send(sender=Plan, plan=plan, actor=actor)
    return plan


CP_PLAN_BY_HAND_REFUSED = "A child protection plan starts only from a conference decision: record the decision on the conference's page"


@transaction.atomic
def plan_start_by_hand(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    started_on: date,
    cp_category: str = "",
    request: Request = None,
) -> Plan:
    """Start a plan typed in by a user. A child protection plan is refused: a conference decision starts it."""
    if kind == PlanKind.CHILD_PROTECTION:
        raise ValidationError({"kind": CP_PLAN_BY_HAND_REFUSED})
    return plan_start(actor=actor, case=case, kind=kind, started_on=started_on, cp_category=cp_category, request=request)


@transaction.atomic
def plan_follow_conference(
    *,
    actor: User | None,
    case: Case,
    decision: str,
    cp_category: str,
    held_on: date,
    request: Request = None,
) -> Plan | None:
    """Make the case's child protection plan follow a conference decision (the decision's code, as a string).

    "plan_started" starts the plan (category from the decision, start date = the conference date);
    "plan_ended" ends the open plan on the conference date; "category_changed" re-categorises the
    open plan. Other decisions change no plan. Cases does not know the conference: the caller
    passes the decision's code and the date.
    """
    open_plan = Plan.objects.select_for_update().filter(case=case, kind=PlanKind.CHILD_PROTECTION, ended_on__isnull=True).first()
    if decision == "plan_started":
        if open_plan is None:
            return plan_start(actor=actor, case=case, kind=PlanKind.CHILD_PROTECTION, started_on=held_on, cp_category=cp_category, request=request)
        if open_plan.started_on != held_on:
            raise ValidationError({"decision": f"Case {case.pk} already has an open child protection plan: record a review decision instead"})
        decision = "category_changed"  # the same conference's decision recorded again
    if decision == "plan_ended":
        if open_plan is None:
            return None  # no open plan (recorded before plans followed decisions, or already ended)
        return plan_end(actor=actor, plan=open_plan, ended_on=held_on, end_reason=f"Ended by the conference of {long_date(held_on)}", request=request)
    if decision == "category_changed":
        if open_plan is None or open_plan.cp_category == cp_category:
            return open_plan
        before = open_plan.get_cp_category_display()
        open_plan.cp_category = cp_category
        open_plan.full_clean()
        versioned_update(Plan, pk=open_plan.pk, expected_version=open_plan.version, cp_category=cp_category)
        open_plan.refresh_from_db()
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="plan",
            object_id=open_plan.pk,
            child_id=case.child_id,
            detail=f"category {before} -> {open_plan.get_cp_category_display()} by the conference of {held_on}",
            request=request,
        )
        return open_plan
    return None


@transaction.atomic
def plan_action_add(
    *,
    actor: User | None,
    plan: Plan,
    what: str,
    outcome_for_child: str,
    owner_agency: Agency,
    due_on: date,
    request: Request = None,
) -> PlanAction:
    """Add a SMART action to an open plan, owned by an agency already in the team around the child.

    The owner must already be in the team: giving an agency an action must not quietly give it
    access to the child's record.
    """
    if not plan.is_open:
        raise ValidationError("Actions cannot be added to a plan that has ended.")
    action = PlanAction(plan=plan, what=stripped(what), outcome_for_child=stripped(outcome_for_child), owner_agency=owner_agency, due_on=due_on)
    action.full_clean()
    if not plan.case.team.filter(agency=owner_agency).exists():
        raise ValidationError({"owner_agency": f"Add {owner_agency.name} to the team around the child before giving it an action"})
    action.save()
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="plan_action",
        object_id=action.pk,
        child_id=plan.case.child_id,
        request=request,
    )
    events.plan_action_changed.send(sender=PlanAction, action=action)
    return action


@transaction.atomic
def plan_action_update(
    *,
    actor: User | None,
    action: PlanAction,
    status: str,
    evidence: str,
    expected_version: int | None = None,
    request: Request = None,
    **details,
) -> PlanAction:
    """Record progress on an action: its status and the evidence. Done needs evidence.

    `details` may change what the action is (`what`, `outcome_for_child`, `due_on`): only the
    lead may, which the caller checks (the API's field policy). `expected_version` is the version
    the user's form or request was based on; a change since raises EditConflict, and the write is
    a conditional UPDATE on the version read, so two updates at once never silently overwrite.
    Progress cannot be reported on a closed case.
    """
    action = PlanAction.objects.select_related("plan__case").get(pk=action.pk)
    if expected_version is not None and action.version != expected_version:
        raise EditConflict(current_version=action.version)
    require_open(action.plan.case)
    previous = action.status
    action.status, action.evidence = status, stripped(evidence)
    for name, value in details.items():
        if name not in ("what", "outcome_for_child", "due_on"):
            raise TypeError(f"plan_action_update() cannot change {name!r}")
        setattr(action, name, stripped(value) if isinstance(value, str) else value)
    action.full_clean()
    versioned_update(
        PlanAction,
        pk=action.pk,
        expected_version=action.version,
        status=action.status,
        evidence=action.evidence,
        what=action.what,
        outcome_for_child=action.outcome_for_child,
        due_on=action.due_on,
        updated_at=timezone.now(),
    )
    action.refresh_from_db()
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="plan_action",
        object_id=action.pk,
        child_id=action.plan.case.child_id,
        detail=f"status {previous} -> {action.status}",
        request=request,
    )
    events.plan_action_changed.send(sender=PlanAction, action=action)
    return action
