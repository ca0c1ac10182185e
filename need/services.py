"""Writes of the level of need (issue 15 item 2): one business action, atomic and audited.

Who may decide is agencies/access.py (`can_change_level_of_need`, `can_set_level_of_need`): the
lead agency's managers and DSLs, or children's social care's; only children's social care moves a
case to or from specialist/statutory. The views ask first; the service asks again as a backstop.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from cases import events as case_events
from cases.models import Case, CaseStatus, Threshold
from cases.services import case_reassign_lead
from chronologies.models import EntryKind, Significance, SourceType
from chronologies.services import chronology_sync_from_source
from neglect_portal.dates import long_date
from notifications.services import notification_create

from . import events
from .levels import ORDER, is_step_down, is_step_up
from .models import LevelOfNeedDecision

LEVEL_CHANGED_BY_SOMEONE_ELSE = "The level of need was changed by someone else, or the case closed, while you were deciding. Check the case and try again."
# What case work hands the front door (cases/services.py, `FRONT_DOOR_REQUEST_FOR_SUPPORT`): a case now needing children's social care.
FRONT_DOOR_REQUEST_FOR_SUPPORT = "request_for_support"


def _text(value):
    return (value or "").strip()


def _person(user):
    return user.get_full_name() or user.get_username()


def _case_link(case):
    return reverse("cases:case_detail", args=[case.pk])


def _errors(*, case, to_level, reasons, early_help_lead, review_on, today) -> dict:
    errors = {}
    if to_level not in ORDER:
        errors["to_level"] = "Choose the new level of need"
    elif to_level == case.threshold:
        errors["to_level"] = "The case is already at this level: choose a different level"
    if not _text(reasons):
        errors["reasons"] = "Give the reasons for the decision"
    stepping_down = to_level in ORDER and is_step_down(case.threshold, to_level)
    if stepping_down and review_on is None:
        errors["review_on"] = "Enter the date the step down will be reviewed"
    elif review_on is not None and review_on <= today:
        errors["review_on"] = "The review date must be after today"
    if early_help_lead is not None and to_level in ORDER and not stepping_down:
        errors["early_help_lead"] = "Name an early-help lead only when stepping the level down"
    return errors


def level_of_need_change(
    *, actor, case: Case, to_level: str, reasons: str, early_help_lead=None, review_on: date | None = None, request=None, today: date | None = None
) -> LevelOfNeedDecision:
    """Step the case's level of need up or down: a recorded decision, on the chronology, told to the team.

    * The case's `threshold` changes in one conditional UPDATE (only if it is still the level the
      decision starts from, and the case open), so two people deciding at once cannot both win.
    * A step down keeps a review date and may name the early-help lead, who becomes the lead
      professional (`case_reassign_lead`, which checks they may lead it and tells them); drift
      flags a step down nobody leads after DRIFT_STEP_DOWN_NO_LEAD_WORKING_DAYS.
    * A step up to specialist/statutory routes the case to children's social care: to its front
      door when nobody in children's social care is on the case, else to its lead (or managers)
      for allocation.
    Returns the decision, with `told` (who was told, in words) for the confirmation.
    """
    today = today or timezone.localdate()
    access.require_level_of_need(actor, case, to_level, request=request)
    # The refusal above is audited outside the transaction, so its row survives; the writes below are one unit.
    with transaction.atomic():
        errors = _errors(case=case, to_level=to_level, reasons=reasons, early_help_lead=early_help_lead, review_on=review_on, today=today)
        if errors:
            raise ValidationError(errors)
        from_level = case.threshold
        decision = LevelOfNeedDecision(
            case=case,
            from_level=from_level,
            to_level=to_level,
            reasons=_text(reasons),
            decided_by=actor,
            decided_on=today,
            early_help_lead=early_help_lead,
            review_on=review_on,
            lead_professional_then=case.lead_professional,
        )
        decision.full_clean()
        changed = (
            access.cases_visible_to(actor).filter(pk=case.pk, status=CaseStatus.OPEN, threshold=from_level).update(threshold=to_level, version=F("version") + 1)
        )
        if changed != 1:
            raise ValidationError(LEVEL_CHANGED_BY_SOMEONE_ELSE)
        decision.save()
        case.refresh_from_db()
        audit_record(
            user=actor,
            action=AuditAction.CREATE,
            object_type="level_of_need_decision",
            object_id=decision.pk,
            child_id=case.child_id,
            detail=f"case {case.pk}: {from_level} to {to_level}",
            request=request,
        )
        told = []
        if early_help_lead is not None and early_help_lead.pk != case.lead_professional_id:
            try:
                case_reassign_lead(
                    actor=actor,
                    case=case,
                    lead_professional=early_help_lead,
                    reason=f"Early-help lead after the level of need was stepped down: {_text(reasons)}",
                    request=request,
                )
            except ValidationError as error:
                messages = error.message_dict.get("lead_professional", error.messages) if hasattr(error, "error_dict") else error.messages
                raise ValidationError({"early_help_lead": messages}) from error
            told.append(f"the early-help lead, {_person(early_help_lead)}")
        _chronology_entry(decision=decision, actor=actor)
        told += _tell_team(decision=decision, actor=actor)
        if to_level == Threshold.SPECIALIST and is_step_up(from_level, to_level):
            told += _route_to_childrens_social_care(decision=decision, actor=actor)
        events.level_of_need_changed.send(sender=LevelOfNeedDecision, decision=decision)
        decision.told = list(dict.fromkeys(told))
        return decision


def _direction(decision) -> str:
    return "stepped down" if decision.is_step_down else "stepped up"


def _chronology_entry(*, decision, actor):
    """The decision on the child's chronology: what changed and why; a step down says who leads and when it is reviewed."""
    case = decision.case
    then = []
    if decision.early_help_lead_id:
        then.append(f"Early-help lead: {_person(decision.early_help_lead)}.")
    if decision.review_on:
        then.append(f"Review by {long_date(decision.review_on)}.")
    statutory = Threshold.SPECIALIST in (decision.from_level, decision.to_level)
    return chronology_sync_from_source(
        source_type=SourceType.LEVEL_OF_NEED,
        source_id=decision.pk,
        child=case.child,
        agency=access.membership_of(actor).agency,
        author=actor,
        occurred_on=decision.decided_on,
        kind=EntryKind.LEVEL_OF_NEED,
        summary=f"Level of need {_direction(decision)} from {decision.from_label} to {decision.to_label}. Reasons: {decision.reasons}",
        impact_on_child=(
            "Children's social care now leads the help for the child."
            if decision.to_level == Threshold.SPECIALIST
            else "The help around the child changes to match the level of need."
        ),
        action_taken=" ".join(then),
        significance=Significance.SIGNIFICANT if statutory else Significance.ROUTINE,
    )


def _team_people(case, actor):
    """The case's team: its lead professional and the managers and DSLs of every agency in the team around the child."""
    people = get_user_model().objects.filter(
        is_active=True,
        membership__agency__team_memberships__case=case,
        membership__agency__is_active=True,
        membership__role__in=access.OVERSEER_ROLES,
    )
    ids = set(people.values_list("pk", flat=True))
    if case.lead_professional_id and case.lead_professional.is_active:
        ids.add(case.lead_professional_id)
    ids.discard(actor.pk)
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def _tell_team(*, decision, actor) -> list[str]:
    """Tell the team; the message names the case and the levels, never the child (notifications are emailed)."""
    case = decision.case
    people = _team_people(case, actor)
    subject = f"Level of need {_direction(decision)} on case {case.pk}"
    body = f"{access.membership_of(actor).agency.name} changed the level of need from {decision.from_label} to {decision.to_label} on {long_date(decision.decided_on)}."
    for person in people:
        notification_create(recipient=person, subject=subject, body=body, link=_case_link(case))
    return [f"the team around the child ({', '.join(_person(person) for person in people)})"] if people else []


def _route_to_childrens_social_care(*, decision, actor) -> list[str]:
    """A step up to specialist/statutory: children's social care takes the case.

    When nobody from children's social care is on the case (it does not lead it), the front door
    gets a request for support (a queue item with a working-day deadline, frontdoor/); otherwise
    its lead professional, or when there is none its managers and DSLs, are asked to allocate.
    """
    case = decision.case
    if not case.lead_agency.is_childrens_social_care:
        detail = (
            f"Level of need stepped up to {decision.to_label} by {_person(actor)} ({access.membership_of(actor).agency.name}) "
            f"on {long_date(decision.decided_on)}. Reasons: {decision.reasons}"
        )
        responses = case_events.front_door_referred.send(sender=Case, kind=FRONT_DOOR_REQUEST_FOR_SUPPORT, case=case, concern=None, actor=actor, detail=detail)
        return [told for _, told in responses if told]
    lead = case.lead_professional
    if lead is not None and lead.is_active:
        people = [lead] if lead.pk != actor.pk else []
    else:
        people = list(
            get_user_model()
            .objects.filter(is_active=True, membership__agency=case.lead_agency, membership__role__in=access.OVERSEER_ROLES)
            .exclude(pk=actor.pk)
            .order_by("pk")
        )
    for person in people:
        notification_create(
            recipient=person,
            subject=f"Case {case.pk} stepped up to {decision.to_label}: allocate",
            body=f"The level of need was stepped up to {decision.to_label} on {long_date(decision.decided_on)}. Check who works with the family.",
            link=_case_link(case),
        )
    return [f"children's social care for allocation ({', '.join(_person(person) for person in people)})"] if people else []
