"""Writes of the front door (issue 14). Each function is one business action, atomic and audited.

Who may act is decided in agencies/access.py: the front door's own actions (linking a household
concern, deciding an item) need `is_front_door`, asked by the views and the API through
`access_front_door_item` (404 for anyone else) and again here as a backstop. Items arrive from
below without a person choosing to make one: case work hands them over through
`cases.events.front_door_referred` (apps.py connects `referral_received`), the flag refresh
(frontdoor/refresh.py) makes flag items, and recording a household concern makes its own.

Every new item tells the front door (`access.front_door_recipients`: the people on the front-door
team, or children's social care's managers and DSLs when nobody is on it), so whatever reaches the
front door reaches a named person; a decision goes back to whoever referred, and onto the
chronology of every child it is about. Notifications carry no detail about a child: they are emailed.
"""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies import access
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import CaseStatus
from cases.validators import validate_known_neglect_types
from chronologies.household_entries import chronology_entries_from_front_door_decision, chronology_entries_from_household_concern
from concerns.models import ConcernContent, NeglectType
from households.services import normalise_postcode, normalise_uprn
from neglect_portal.dates import long_date
from notifications.services import notification_create
from sharing.services import SharingDetails, sharing_details_errors

from .deadlines import due_on
from .models import (
    ONE_OPEN_PER_CASE,
    FrontDoorDecision,
    FrontDoorItem,
    HouseholdConcern,
    HouseholdConcernLink,
    ItemKind,
    ItemStatus,
    Outcome,
)

FRONT_DOOR_ONLY = "Only the front door of children's social care does this."


def _text(value):
    return (value or "").strip()


def _person(user):
    return user.get_full_name() or user.get_username()


def _day(value: date) -> str:
    return long_date(value)


def _item_link(item):
    return reverse("frontdoor:item", args=[item.pk])


def _tell_front_door(item: FrontDoorItem) -> list:
    """Every front-door recipient hears of a new item (its kind, number and deadline; nothing about the child)."""
    people = list(access.front_door_recipients())
    about = f"case {item.case_id}" if item.case_id else f"household {item.family_id}" if item.family_id else f"household concern {item.household_concern_id}"
    body = f"{item.get_kind_display()} about {about}, from {item.referring_agency or 'the portal'}. Decide by {_day(item.due_on)}."
    if item.detail and item.kind == ItemKind.DUPLICATE_CHECK:
        body += f" {item.detail}"
    for person in people:
        if item.referred_by_id != person.pk:
            notification_create(recipient=person, subject=f"Front door: {item.get_kind_display().lower()} ({about})", body=body, link=_item_link(item))
    return people


def front_door_told(people, item) -> str:
    """Who the front door is, in words, for a confirmation: its agency and the people told."""
    names = ", ".join(_person(person) for person in people) or "nobody yet: no one is on its team"
    return f"children's social care's front door ({names}), deciding by {_day(item.due_on)}"


@transaction.atomic
def front_door_item_open(
    *,
    kind: str,
    case=None,
    family=None,
    concern=None,
    household_concern=None,
    flag_code: str = "",
    detail: str = "",
    referred_by=None,
    referring_agency=None,
    received_on: date | None = None,
    not_since: date | None = None,
) -> tuple[FrontDoorItem, bool, list]:
    """Queue an item for the front door (or find the one already waiting: one open per case for some kinds); returns (item, created, people told).

    A kind the front door takes once per case (`ONE_OPEN_PER_CASE`, and a household's family-wide
    flag) is not queued twice while the first waits: the unique constraint is the last guard when
    two arrive at once, and the loser returns the winner's item. The people told are those told now:
    nobody when the item was already waiting.

    `not_since` (a flag's first day): a flag the front door has already had an item for since that
    day, waiting or decided, is not queued again; a flag that clears and comes back later is.
    """
    received_on = received_on or timezone.localdate()
    same = FrontDoorItem.objects.filter(kind=kind)
    if kind in ONE_OPEN_PER_CASE:
        same = same.filter(case=case, flag_code=flag_code)
    elif kind == ItemKind.FAMILY_FLAG:
        same = same.filter(family=family, flag_code=flag_code)
    else:
        same = None
    existing = None
    if same is not None:
        existing = same.filter(status=ItemStatus.OPEN).first()
        if existing is None and not_since is not None:
            existing = same.filter(received_on__gte=not_since).order_by("-pk").first()
    if existing is not None:
        return existing, False, []
    waiting = FrontDoorItem.objects.filter(kind=kind, status=ItemStatus.OPEN)
    item = FrontDoorItem(
        kind=kind,
        case=case,
        family=family,
        concern=concern,
        household_concern=household_concern,
        flag_code=flag_code,
        detail=_text(detail),
        referred_by=referred_by,
        referring_agency=referring_agency,
        received_on=received_on,
        due_on=due_on(kind, received_on),
    )
    item.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        return waiting.filter(case=case, family=family, flag_code=flag_code).first(), False, []
    audit_record(
        user=referred_by,
        action=AuditAction.CREATE,
        object_type="front_door_item",
        object_id=item.pk,
        child_id=case.child_id if case is not None else None,
        detail=f"{kind}, due {item.due_on.isoformat()}",
    )
    return item, True, _tell_front_door(item)


def referral_received(*, kind, case, concern, actor, detail="", **_) -> str:
    """`cases.events.front_door_referred`: case work hands the front door a case; returns who was told, in words."""
    membership = access.membership_of(actor)
    item, created, people = front_door_item_open(
        kind=kind, case=case, concern=concern, detail=detail, referred_by=actor, referring_agency=membership.agency if membership else None
    )
    if not created:
        return f"children's social care's front door (already deciding about this case, by {_day(item.due_on)})"
    return front_door_told(people, item)


# --- Household concerns --------------------------------------------------------------------------


def household_concern_record(
    *,
    actor,
    observed_on: date,
    neglect_types: Sequence[str],
    description: str,
    impact_on_child: str,
    address: str = "",
    postcode: str = "",
    uprn: str = "",
    parent_name: str = "",
    who_was_seen: str = "",
    action_taken: str = "",
    suggested_threshold: str = "",
    sharing: SharingDetails | None = None,
    request=None,
) -> tuple[HouseholdConcern, str]:
    """Record a concern about a household known only by address or a parent's name; it goes to the front door alone.

    Any case worker may (`access.can_record_household_concern`). Nothing is looked up for the
    recorder: whether the address matches a household is the front door's question, so the
    answer is the same whatever the portal holds. Returns the concern and who was told, in words.
    """
    access.require(
        actor,
        access.can_record_household_concern(actor),
        request=request,
        what="record a household concern",
        reason="Only practitioners, managers and designated safeguarding leads record concerns.",
    )
    membership = access.membership_of(actor)
    neglect_types = list(neglect_types or ())
    validate_known_neglect_types(neglect_types, NeglectType.values)
    errors = sharing_details_errors(sharing)
    concern = HouseholdConcern(
        recorded_by=actor,
        agency=membership.agency,
        observed_on=observed_on,
        **ConcernContent.neglect_flags(neglect_types),
        description=_text(description),
        impact_on_child=_text(impact_on_child),
        action_taken=_text(action_taken),
        suggested_threshold=suggested_threshold or "",
        address=_text(address),
        postcode=normalise_postcode(postcode),
        uprn=normalise_uprn(uprn),
        parent_name=_text(parent_name),
        who_was_seen=_text(who_was_seen),
        sharing_reason=_text(sharing.reason) if sharing else "",
        lawful_basis=sharing.lawful_basis if sharing else "",
        sharing_condition=sharing.condition if sharing else "",
        family_informed=sharing.family_informed if sharing else "",
        not_informed_reason=_text(sharing.not_informed_reason) if sharing else "",
    )
    try:
        concern.full_clean(exclude=["sharing_reason", "lawful_basis", "sharing_condition", "family_informed"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        concern.save()
        audit_record(user=actor, action=AuditAction.CREATE, object_type="household_concern", object_id=concern.pk, request=request)
        item, _created, people = front_door_item_open(
            kind=ItemKind.HOUSEHOLD_CONCERN, household_concern=concern, referred_by=actor, referring_agency=membership.agency, received_on=timezone.localdate()
        )
    return concern, front_door_told(people, item)


def household_concern_link(*, actor, item: FrontDoorItem, family, children, reason: str, request=None) -> HouseholdConcernLink:
    """The front door links a household concern to a household and the children it is about.

    From then on the concern is on each of those children's chronologies (as the recording agency's
    concern), their lead professionals are told, and the item's household is set so that its
    decision reaches them too. The recorder still learns nothing about the household.
    """
    access.require(actor, access.is_front_door(actor), request=request, reason=FRONT_DOOR_ONLY, object_type="front_door_item", object_id=item.pk)
    concern = item.household_concern
    errors = {}
    if concern is None:
        errors["family"] = "Only a household concern is linked to a household"
    elif hasattr(concern, "link"):
        errors["family"] = "This concern is already linked to a household"
    children = list(children)
    if not children:
        errors["children"] = "Choose the children the concern is about"
    elif any(child.family_id != family.pk for child in children):
        errors["children"] = "Choose children who live in this household"
    if not _text(reason):
        errors["reason"] = "Say why this is the household the concern is about"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        link = HouseholdConcernLink.objects.create(household_concern=concern, family=family, linked_by=actor, reason=_text(reason))
        link.children.set(children)
        FrontDoorItem.objects.filter(pk=item.pk).update(family=family)
        chronology_entries_from_household_concern(household_concern=concern, children=children)
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="household_concern",
            object_id=concern.pk,
            detail=f"linked to family {family.pk}, children {', '.join(str(child.pk) for child in children)}",
            request=request,
        )
        for case in _open_cases(actor, children):
            lead = case.lead_professional
            if lead is not None and lead.is_active and lead.pk != actor.pk:
                notification_create(
                    recipient=lead,
                    subject=f"New concern on case {case.pk}",
                    body=f"The front door linked a concern {concern.agency.name} recorded about the household to this child.",
                    link=reverse("cases:case_detail", args=[case.pk]),
                )
    return link


def _open_cases(user, children):
    """The children's open cases, as the front door (`user`) sees them: every one."""
    return access.cases_visible_to(user).filter(child__in=[child.pk for child in children], status=CaseStatus.OPEN).select_related("lead_professional", "child")


# --- Decisions -----------------------------------------------------------------------------------


def item_children(user, item: FrontDoorItem) -> list:
    """The children an item is about, as the front door (`user`) sees them: its case's child; or the children the household
    concern was linked to; or the children living in its household."""
    if item.case_id:
        return [item.case.child]
    concern = item.household_concern
    if concern is not None and hasattr(concern, "link"):
        return list(concern.link.children.order_by("date_of_birth", "pk"))
    if item.family_id:
        return list(access.children_visible_to(user).filter(family_id=item.family_id).order_by("date_of_birth", "pk"))
    return []


def front_door_decide(
    *,
    actor,
    item: FrontDoorItem,
    outcome: str,
    threshold: str,
    reasons: str,
    early_help_lead=None,
    today: date | None = None,
    request=None,
) -> FrontDoorDecision:
    """Record the front door's decision on an item; it goes to the referrer and onto the children's chronologies.

    Early help names its lead: they are told, and on a case with no lead professional they become
    it (`cases.services.case_reassign_lead` with the front door's authority), so a case opened by
    a concern no longer waits for someone to pick it up.
    """
    from cases.services import case_reassign_lead

    access.require(actor, access.is_front_door(actor), request=request, reason=FRONT_DOOR_ONLY, object_type="front_door_item", object_id=item.pk)
    membership = access.membership_of(actor)
    today = today or timezone.localdate()
    if outcome != Outcome.EARLY_HELP:
        early_help_lead = None
    decision = FrontDoorDecision(
        item=item,
        outcome=outcome or "",
        threshold=threshold or "",
        reasons=_text(reasons),
        early_help_lead=early_help_lead,
        decided_by=actor,
        agency=membership.agency,
        decided_on=today,
    )
    try:
        decision.full_clean(exclude=["item"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    if early_help_lead is not None and not access.can_see_case_work(early_help_lead):
        raise ValidationError({"early_help_lead": "Choose an active practitioner, manager or designated safeguarding lead"})
    with transaction.atomic():
        if FrontDoorItem.objects.filter(pk=item.pk, status=ItemStatus.OPEN).update(status=ItemStatus.DECIDED) != 1:
            raise ValidationError({"outcome": "This item has already been decided"})
        decision.save()
        children = item_children(actor, item)
        chronology_entries_from_front_door_decision(decision=decision, children=children, actor=actor)
        audit_record(
            user=actor,
            action=AuditAction.CREATE,
            object_type="front_door_decision",
            object_id=decision.pk,
            child_id=children[0].pk if len(children) == 1 else None,
            detail=f"item {item.pk}: {outcome}, {threshold}",
            request=request,
        )
        if early_help_lead is not None:
            for case in _open_cases(actor, children):
                if case.lead_professional_id is None:
                    case_reassign_lead(
                        actor=actor,
                        case=case,
                        lead_professional=early_help_lead,
                        front_door=True,
                        request=request,
                        reason=f"Early help decided by the front door (item {item.pk})",
                    )
        _tell_of_decision(actor, item, decision, children)
    return decision


def _tell_of_decision(actor, item, decision, children):
    """The referrer hears what was decided (and the early help lead, and the children's lead professionals), by notification and email."""
    body = (
        f"The front door decided on your {item.get_kind_display().lower()} (item {item.pk}): {decision.get_outcome_display()}, "
        f"level of need {decision.get_threshold_display()}. Reasons: {decision.reasons}"
    )
    told = set()
    recipients = []
    if item.referred_by is not None:
        recipients.append((item.referred_by, f"Front door decision on your {item.get_kind_display().lower()}", body))
    if decision.early_help_lead is not None:
        recipients.append(
            (
                decision.early_help_lead,
                f"You are the early help lead (front door item {item.pk})",
                f"The front door decided early help, with you as its lead. {body.split(': ', 1)[1]}",
            )
        )
    for case in _open_cases(actor, children):
        if case.lead_professional is not None:
            recipients.append((case.lead_professional, f"Front door decision about case {case.pk}", body))
    for person, subject, text in recipients:
        if person.pk in told or person.pk == decision.decided_by_id or not person.is_active:
            continue
        told.add(person.pk)
        link = reverse("cases:case_detail", args=[item.case_id]) if item.case_id and access.cases_visible_to(person).filter(pk=item.case_id).exists() else ""
        notification_create(recipient=person, subject=subject, body=text, link=link)


# --- The front-door team --------------------------------------------------------------------------


def front_door_team_people():
    """Children's social care's active case workers: the people who may be put on the front-door team."""
    from django.contrib.auth import get_user_model

    from agencies.models import AgencyKind

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            membership__agency__is_active=True,
            membership__role__in=access.CASE_WORKING_ROLES,
        )
        .select_related("membership__agency")
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def front_door_team_set(*, actor, members, request=None) -> int:
    """A partnership admin says who works the front door (`Membership.front_door`); one audit row per person whose flag changed."""
    from agencies.models import Membership

    access.require(
        actor, access.can_manage_front_door_team(actor), request=request, what="front-door team", reason="Partnership admins say who works the front door."
    )
    wanted = {user.pk for user in members}
    people = front_door_team_people()
    changed = 0
    for membership in Membership.objects.select_for_update().filter(user__in=people):
        flag = membership.user_id in wanted
        if membership.front_door != flag:
            Membership.objects.filter(pk=membership.pk).update(front_door=flag)
            audit_record(
                user=actor,
                action=AuditAction.UPDATE,
                object_type="user",
                object_id=membership.user_id,
                detail=f"front door: {'on' if flag else 'off'}",
                request=request,
            )
            changed += 1
    return changed
