"""Writes for families, children, adults and case work. Each function is one business action, atomic and audited.

Who may act is decided before a service is called: views, the API and tasks fetch the case (or a
record on it) through `agencies.access` (`access_case`, `access_case_record`) and pass it in.
Services enforce the business rules (dates, required reasons, states of cases and plans) and never
widen access. The exception is `concern_record_for_identifiers`, which by design acts on a child
the actor may not see yet, and so checks the actor itself.

Each service writes one audit row for its action. When the action brings an agency into the team
around the child, `team_add` writes a second row: that changes who can see the child, and is
audited as a change in its own right.

Rule failures raise `ValidationError` keyed by field (NON_FIELD_ERRORS otherwise), so forms and the
API can show each message beside its field.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Agency, AgencyKind
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.concurrency import EditConflict
from neglect_portal.dates import long_date
from neglect_portal.records import save_valid as _save_valid
from notifications.services import notification_create
from sharing.models import SharedItem
from sharing.services import SharingDetails, joining_details, sharing_decision_record, sharing_details_errors, system_rule

from . import events
from .household_models import HouseholdMember, MemberRelationship
from .models import (
    Case,
    CaseStatus,
    Child,
    ChildVoice,
    Concern,
    ConcernAmendment,
    ConcernContent,
    Ethnicity,
    Family,
    NeglectType,
    Oversight,
    Referral,
    Sex,
    Speaker,
    TeamMembership,
    Threshold,
)
from .selectors import ChildIdentifiers, children_matching_identifiers
from .validators import normalise_nhs_number, normalise_upn, validate_known_neglect_types

# Annotations only: the configured user model, and the request when the action comes from one.
User = AbstractBaseUser
Request = HttpRequest | None

CONCERN_TEAM_REASON = "Recorded a concern"
LEAD_AGENCY_TEAM_REASON = "Lead agency"


def _agency_of(actor: User) -> Agency:
    """The actor's agency now; case work is always recorded against an agency (403, audited, without one)."""
    membership = access.membership_of(actor)
    access.require(actor, membership is not None, reason="Only an active member of a partner agency can record case work.")
    return membership.agency


def _text(value: str | None) -> str:
    return (value or "").strip()


CLOSED_CASE = "This case is closed: nothing new can be added to it. Record a concern to bring the child back to the partnership's attention."


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(CLOSED_CASE)


def _versioned_update(model, *, pk: int, expected_version: int | None, **fields) -> None:
    """One conditional UPDATE that applies only if the row is still at `expected_version`, and bumps it.

    `expected_version` None skips the check (a caller with no edit form, such as a task). Zero
    rows changed means someone else saved first: EditConflict, and the transaction rolls back.
    """
    rows = model.objects.filter(pk=pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1, **fields) != 1:
        current = model.objects.filter(pk=pk).values_list("version", flat=True).first()
        raise EditConflict(current_version=current)


def _case_link(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


# --- Families, children, adults, cases ------------------------------------------------------------


@transaction.atomic
def family_create(
    *,
    name: str,
    address: str = "",
    postcode: str = "",
    locality: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    actor: User | None = None,
    request: Request = None,
) -> Family:
    family = _save_valid(
        Family(
            name=name,
            address=address,
            postcode=postcode,
            locality=locality,
            language=language,
            interpreter_needed=interpreter_needed,
        )
    )
    audit_record(user=actor, action=AuditAction.CREATE, object_type="family", object_id=family.pk, request=request)
    return family


@transaction.atomic
def child_create(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    family: Family | None = None,
    nhs_number: str = "",
    upn: str = "",
    preferred_name: str = "",
    is_unborn: bool = False,
    sex: str = Sex.UNKNOWN,
    gender: str = "",
    ethnicity: str = Ethnicity.NOBT,
    disability: bool = False,
    school: Agency | None = None,
    actor: User | None = None,
    request: Request = None,
) -> Child:
    """Record a child (or an unborn baby: `is_unborn`, with the expected date as `date_of_birth`)."""
    child = _save_valid(
        Child(
            given_name=_text(given_name),
            family_name=_text(family_name),
            preferred_name=_text(preferred_name),
            date_of_birth=date_of_birth,
            is_unborn=is_unborn,
            sex=sex,
            gender=_text(gender),
            ethnicity=ethnicity,
            disability=disability,
            nhs_number=normalise_nhs_number(nhs_number),
            upn=normalise_upn(upn),
            school=school,
            family=family,
        )
    )
    if family is not None:
        # Recorded with the household (issue 14): a member from today, without a chronology entry of its own.
        HouseholdMember.objects.create(
            family=family,
            child=child,
            relationship=MemberRelationship.CHILD,
            joined_on=timezone.localdate(),
            reason="Recorded with the household",
            added_by=actor,
        )
    audit_record(user=actor, action=AuditAction.CREATE, object_type="child", object_id=child.pk, child_id=child.pk, request=request)
    return child


# Only when two registrations race for the same new number (the lookup saw neither): a neutral message.
ALREADY_RECORDED = "This child could not be recorded just now. Try again, or record a concern about them instead."


def child_register(*, actor: User, family: Family | None = None, request: Request = None, **details) -> Child:
    """Record a new child and open a Universal Plus case led by the actor's agency, so they can see it.

    A child nobody's case covers would be invisible to everyone, including the person who just
    recorded them. Registering answers the same whatever the register holds (issue 22, finding 4):
    an NHS number or UPN given is looked up first (one audit row naming the child found,
    `identifier_lookup`); one that another child already holds is not copied onto the new record
    (they are unique), and children's social care's front door is asked to check for a duplicate.
    The answer never says which, and the API's reply leaves both numbers out (cases/api.py).
    """
    agency = _agency_of(actor)
    numbers = ChildIdentifiers(nhs_number=details.get("nhs_number", ""), upn=details.get("upn", ""))
    held = {}
    if numbers.nhs_number or numbers.upn:
        numbers = numbers.checked()
        held = identifier_lookup(actor=actor, identifiers=numbers, purpose="registering a child", request=request).numbers_held(numbers)
    details = {**details, **dict.fromkeys(held, "")}
    with transaction.atomic():
        try:
            child = child_create(family=family, actor=actor, request=request, **details)
        except ValidationError as error:
            # The unique constraints on NHS number and UPN ("Another child already has this ..."), in a race.
            if any("already has this" in message for message in error.messages):
                raise ValidationError({NON_FIELD_ERRORS: ALREADY_RECORDED}) from error
            raise
        case = case_open(
            child=child,
            lead_agency=agency,
            lead_professional=actor,
            opened_on=timezone.localdate(),
            threshold=Threshold.UNIVERSAL_PLUS,
            actor=actor,
            request=request,
        )
        if held:
            _tell_front_door_of_a_possible_duplicate(case=case, recorder=actor)
    return child


def _tell_front_door_of_a_possible_duplicate(*, case: Case, recorder: User) -> None:
    """The front door checks a newly registered child who may already be recorded (issue 14: a queue item, no detail about the child)."""
    detail = (
        f"{_agency_of(recorder).name} registered a child (case {case.pk}) with an NHS number or UPN another child already holds: "
        "the number was not copied. Check whether this is the same child."
    )
    _refer_to_front_door(kind=FRONT_DOOR_DUPLICATE_CHECK, case=case, concern=None, actor=recorder, detail=detail)


@transaction.atomic
def case_open(
    *,
    child: Child,
    lead_agency: Agency,
    opened_on: date,
    threshold: str,
    lead_professional: User | None = None,
    actor: User | None = None,
    request: Request = None,
) -> Case:
    """Open a case; the lead agency is the first member of the team around the child.

    A child has at most one open case, so that a new concern has one place to go.
    """
    case = _save_valid(Case(child=child, lead_agency=lead_agency, lead_professional=lead_professional, opened_on=opened_on, threshold=threshold))
    TeamMembership.objects.create(case=case, agency=lead_agency, reason=LEAD_AGENCY_TEAM_REASON, added_by=actor)
    audit_record(user=actor, action=AuditAction.CREATE, object_type="case", object_id=case.pk, child_id=child.pk, request=request)
    return case


@transaction.atomic
def team_add(
    *,
    case: Case,
    agency: Agency,
    reason: str,
    actor: User | None = None,
    sharing: SharingDetails | None = None,
    request: Request = None,
) -> tuple[TeamMembership, bool]:
    """Add an agency to the team around the child (idempotent). Returns (membership, created).

    Joining the team shares the child's case record with the agency, so a new member gets an
    information-sharing decision: the person's own details when their action caused it (a
    concern), otherwise the rule's reason with public task and the safeguarding condition.

    Every path that brings an agency into a team comes through here (a concern, a conference
    invitation, a new lead professional), and the access layer is asked first: a person may only
    share a record they can see (`agencies.access.can_add_to_team`; refused as 404, audited).
    Without an actor (seed data, tests, a command) it is a rule of the system and is not asked.
    A new case's first member, its lead agency, is added by `case_open`.
    """
    if actor is not None:
        access.require_team_add(actor, case, request=request)
    membership, created = TeamMembership.objects.get_or_create(case=case, agency=agency, defaults={"reason": reason, "added_by": actor})
    if created:
        audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="case",
            object_id=case.pk,
            child_id=case.child_id,
            detail=f"{agency.name} joined the team: {reason}",
            request=request,
        )
        sharing_decision_record(
            actor=actor,
            case=case,
            shared_item=SharedItem.CASE_RECORD,
            details=sharing or system_rule(reason),
            shared_with=[agency],
            request=request,
        )
    return membership, created


def _case_update(*, actor: User, case: Case, expected_version: int | None = None, **fields) -> bool:
    """Change an open case the actor may see, in one conditional UPDATE that bumps `version`.

    Conditional on the case still being open, so two people closing or reassigning the same case
    at once cannot both succeed on a stale read. Returns whether the row changed. With
    `expected_version` (the version the user's form was based on), a case changed by someone
    else since raises EditConflict instead of overwriting their change.
    """
    rows = access.cases_visible_to(actor).filter(pk=case.pk, status=CaseStatus.OPEN)
    if expected_version is not None and rows.exists() and not rows.filter(version=expected_version).exists():
        raise EditConflict(current_version=rows.values_list("version", flat=True).first())
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    changed = rows.update(version=F("version") + 1, **fields)
    case.refresh_from_db()
    return changed == 1


def case_reassign_lead(
    *,
    actor: User,
    case: Case,
    lead_professional: User,
    reason: str,
    expected_version: int | None = None,
    front_door: bool = False,
    request: Request = None,
) -> Case:
    """Make someone lead professional; their agency becomes the lead agency and joins the team.

    The lead professional works for the lead agency, so the two change together, and a lead must
    be able to see the case. The new lead is told; the message carries no detail about the child.

    Authority (agencies/access.py): only the people who oversee the case change its lead
    (`can_change_lead`: the lead agency's managers and DSLs, or children's social care's; the
    views ask first, this is the backstop), and statutory work goes only to children's social
    care (`can_agency_lead`).
    """
    # `front_door`: the front door names the early help lead of a case nobody leads yet (issue 14, frontdoor/services.py).
    allowed = (access.is_front_door(actor) and case.lead_professional_id is None) if front_door else access.can_change_lead(actor, case)
    access.require(actor, allowed, request=request, reason=access.CHANGE_LEAD_REFUSED, object_type="case", object_id=case.pk, child_id=case.child_id)
    # The refusal above is audited outside the transaction, so its row survives; the writes below are one unit.
    with transaction.atomic():
        membership = access.membership_of(lead_professional)
        errors = {}
        if membership is None or not access.can_see_case_work(lead_professional):
            errors["lead_professional"] = "Choose an active practitioner, manager or designated safeguarding lead"
        elif not access.can_agency_lead(membership.agency, case):
            errors["lead_professional"] = access.STATUTORY_LEAD_REFUSED
        if not _text(reason):
            errors["reason"] = "Say why the lead professional is changing"
        if errors:
            raise ValidationError(errors)
        if not _case_update(actor=actor, case=case, expected_version=expected_version, lead_professional=lead_professional, lead_agency=membership.agency):
            raise ValidationError(CLOSED_CASE)
        team_add(
            case=case,
            agency=membership.agency,
            reason=LEAD_AGENCY_TEAM_REASON,
            actor=actor,
            sharing=system_rule(f"{LEAD_AGENCY_TEAM_REASON}: {_text(reason)}"),
            request=request,
        )
        change = audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="case",
            object_id=case.pk,
            child_id=case.child_id,
            detail=f"lead professional {lead_professional.get_username()} of {membership.agency.name}: {_text(reason)}",
            request=request,
        )
        events.lead_professional_changed.send(
            sender=Case, case=case, lead_professional=lead_professional, agency=membership.agency, actor=actor, reason=_text(reason), record_id=change.pk
        )
        if lead_professional.pk != actor.pk:
            notification_create(
                recipient=lead_professional,
                subject=f"You are now lead professional for case {case.pk}",
                body=f"{membership.agency.name} is now the lead agency and you are the lead professional.",
                link=_case_link(case),
            )
        return case


def _closing_errors(case: Case, closed_on: date | None, reason: str) -> dict:
    errors = {}
    if closed_on is None:
        errors["closed_on"] = "Enter the date the case closed"
    elif closed_on > timezone.localdate():
        errors["closed_on"] = "Date closed must be today or in the past"
    elif closed_on < case.opened_on:
        errors["closed_on"] = "The closing date must be on or after the date the case opened"
    if not reason:
        errors["closure_reason"] = "Say why the case is closing"
    elif len(reason) > Case._meta.get_field("closure_reason").max_length:
        errors["closure_reason"] = "Keep the reason for closing to 200 characters or fewer"
    if case.plans.filter(ended_on__isnull=True).exists():
        errors[NON_FIELD_ERRORS] = "End the case's open plans before closing it"
    return errors


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    closed_on: date,
    closure_reason: str,
    expected_version: int | None = None,
    request: Request = None,
) -> Case:
    """Close a case whose plans have all ended, with the date and the reason (EditConflict on a stale `expected_version`)."""
    reason = _text(closure_reason)
    errors = _closing_errors(case, closed_on, reason)
    if errors:
        raise ValidationError(errors)
    if not _case_update(actor=actor, case=case, expected_version=expected_version, status=CaseStatus.CLOSED, closed_on=closed_on, closure_reason=reason):
        raise ValidationError("This case is already closed.")
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="case",
        object_id=case.pk,
        child_id=case.child_id,
        detail=f"closed: {reason}",
        request=request,
    )
    return case


# --- Concerns ----------------------------------------------------------------------------------


def _concern_content(
    child: Child,
    *,
    observed_on: date,
    neglect_types: Sequence[str],
    description: str,
    impact_on_child: str,
    action_taken: str,
    suggested_threshold: str,
) -> dict:
    """The content fields shared by a concern and its amendments, with the adolescent flag derived."""
    neglect_types = list(neglect_types or ())
    validate_known_neglect_types(neglect_types, NeglectType.values)
    return {
        "observed_on": observed_on,
        **ConcernContent.neglect_flags(neglect_types),
        "is_adolescent_concern": observed_on is not None and child.is_adolescent_on(observed_on),
        "description": _text(description),
        "impact_on_child": _text(impact_on_child),
        "action_taken": _text(action_taken),
        "suggested_threshold": suggested_threshold or "",
    }


def _tell_lead_professional(*, case: Case, concern: Concern, recorder: User) -> None:
    """The lead professional hears of every concern someone else records on their case.

    The message names the recording agency and the date, not the child: notifications are also
    emailed, and a child's details stay behind sign-in.
    """
    _notify_lead(
        case.lead_professional,
        recorder=recorder,
        case=case,
        subject=f"New concern on case {case.pk}",
        body=f"{concern.agency.name} recorded a concern observed on {long_date(concern.observed_on)}.",
    )


# What case work hands to the front door (`events.front_door_referred`; `frontdoor` makes the queue item).
FRONT_DOOR_REQUEST_FOR_SUPPORT = "request_for_support"
FRONT_DOOR_NO_LEAD_CONCERN = "no_lead_concern"
FRONT_DOOR_DUPLICATE_CHECK = "duplicate_check"
SUPPORT_REASON_NEEDED = "Say what support you are asking the front door for"


def _refer_to_front_door(*, kind: str, case: Case, concern: Concern | None, actor: User, detail: str = "") -> list[str]:
    """Hand something to the front door, in the caller's transaction; returns who was told, in words (from the receivers)."""
    responses = events.front_door_referred.send(sender=Case, kind=kind, case=case, concern=concern, actor=actor, detail=detail)
    return [told for _, told in responses if told]


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _deliver_concern(
    *, case: Case, concern: Concern, recorder: User, front_door_kind: str = FRONT_DOOR_NO_LEAD_CONCERN, front_door_detail: str = "", support_reason: str = ""
) -> list[str]:
    """No concern reaches nobody (issue 14): tell at least one person responsible for the case; return who, in words.

    The lead professional; else the lead agency's managers and designated safeguarding leads, and
    the front door too (a case nobody leads needs someone to decide who will); when the lead agency
    is children's social care, its front door is that agency. A request for support goes to the
    front door as well, whoever leads. Messages carry no detail about the child (they are emailed).
    """
    told = []
    lead = case.lead_professional
    if lead is not None and lead.is_active:
        if lead.pk == recorder.pk:
            told.append("you, as the child's lead professional")
        else:
            _tell_lead_professional(case=case, concern=concern, recorder=recorder)
            told.append(f"the lead professional, {_person(lead)}")
    else:
        if not case.lead_agency.is_childrens_social_care:
            body = f"{concern.agency.name} recorded a concern on case {case.pk}, which has no lead professional yet. Decide who will lead it."
            overseers = list(
                get_user_model()
                .objects.filter(is_active=True, membership__agency=case.lead_agency, membership__role__in=access.OVERSEER_ROLES)
                .exclude(pk=recorder.pk)
                .order_by("pk")
            )
            for person in overseers:
                notification_create(recipient=person, subject=f"New concern on case {case.pk}", body=body, link=_case_link(case))
            if overseers:
                told.append(f"{case.lead_agency.name}'s managers and designated safeguarding leads ({', '.join(_person(p) for p in overseers)})")
        told += _refer_to_front_door(kind=front_door_kind, case=case, concern=concern, actor=recorder, detail=front_door_detail)
    if support_reason:
        told += _refer_to_front_door(kind=FRONT_DOOR_REQUEST_FOR_SUPPORT, case=case, concern=concern, actor=recorder, detail=support_reason)
    return list(dict.fromkeys(told))


def concern_confirmation(concern: Concern) -> str:
    """The page's "Concern recorded." saying truthfully who was told (`_deliver_concern`), for a case the recorder sees."""
    told = getattr(concern, "delivered_to", None) or []
    return "Concern recorded." + (f" Told: {'; '.join(told)}." if told else "")


def _notify_lead(lead, *, recorder: User, case: Case, subject: str, body: str) -> None:
    """Tell a lead professional about a concern someone else recorded; nobody is told of their own,
    and a deactivated account gets nothing (its e-mail may now belong to no one in the agency)."""
    if lead is None or lead.pk == recorder.pk or not lead.is_active:
        return
    notification_create(recipient=lead, subject=subject, body=body, link=_case_link(case))


@transaction.atomic
def concern_record(
    *,
    actor: User,
    case: Case,
    observed_on: date,
    neglect_types: Sequence[str],
    description: str,
    impact_on_child: str,
    action_taken: str = "",
    suggested_threshold: str = "",
    agencies_told: Iterable[Agency] = (),
    sharing: SharingDetails | None = None,
    join_team: bool = True,
    ask_front_door: bool = False,
    support_reason: str = "",
    front_door_kind: str = FRONT_DOOR_NO_LEAD_CONCERN,
    front_door_detail: str = "",
    request: Request = None,
) -> Concern:
    """Record what a practitioner saw, heard, smelt or was told, with the decision to share it.

    Delivery (issue 14, `_deliver_concern`): the lead professional is told; a case without one goes
    to the lead agency's managers and to the front door. `ask_front_door` with `support_reason` is a
    request for support from the front door in the same step. The returned concern's
    `delivered_to` says, in words, who was told (`concern_confirmation`).

    The recorder's agency joins the team around the child (it is now involved and must see what
    follows), and the lead professional is told. The concern is never changed afterwards.
    `join_team=False` leaves the team as it is: a concern by identifiers about a child the recorder
    cannot see (`concern_record_for_identifiers`) goes to the lead, who decides who else sees it.

    Sharing: recording a concern shares it with the team around the child and with the agencies
    the recorder says they told, so `sharing` (why, lawful basis, condition, whether the family
    knows) is required; its errors come back beside the concern's own, in one ValidationError.

    A concern is never lost because the case has closed: on a closed case it goes to the child's
    open case, or to a new case opened for review (see `_case_for_new_concern`). The returned
    concern's `case` says where it went.
    """
    agency = _agency_of(actor)
    content = _concern_content(
        case.child,
        observed_on=observed_on,
        neglect_types=neglect_types,
        description=description,
        impact_on_child=impact_on_child,
        action_taken=action_taken,
        suggested_threshold=suggested_threshold,
    )
    errors = sharing_details_errors(sharing)
    try:
        Concern(case=case, child=case.child, recorded_by=actor, agency=agency, **content).full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    support_reason = _text(support_reason) if ask_front_door else ""
    if ask_front_door and not support_reason:
        errors["support_reason"] = SUPPORT_REASON_NEEDED
    if errors:
        raise ValidationError(errors)
    closed_case = None if case.is_open else case
    case = _case_for_new_concern(actor=actor, case=case, request=request)
    concern = _save_valid(Concern(case=case, child=case.child, recorded_by=actor, agency=agency, **content))
    agencies_told = list(agencies_told)
    concern.agencies_told.set(agencies_told)
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="concern",
        object_id=concern.pk,
        child_id=case.child_id,
        detail=f"recorded after case {closed_case.pk} closed" if closed_case else "",
        request=request,
    )
    events.concern_recorded.send(sender=Concern, concern=concern)
    if join_team:
        team_add(
            case=case,
            agency=agency,
            reason=CONCERN_TEAM_REASON,
            actor=actor,
            request=request,
            sharing=joining_details(sharing, f"{CONCERN_TEAM_REASON}: the agency that recorded it needs to see what follows"),
        )
    team = [member.agency for member in case.team.select_related("agency").exclude(agency=agency)]
    sharing_decision_record(
        actor=actor,
        case=case,
        shared_item=SharedItem.CONCERN,
        concern=concern,
        details=sharing,
        shared_with=team + [told for told in agencies_told if told.pk != agency.pk],
        request=request,
    )
    concern.delivered_to = _deliver_concern(
        case=case, concern=concern, recorder=actor, front_door_kind=front_door_kind, front_door_detail=front_door_detail, support_reason=support_reason
    )
    if closed_case is not None:
        _tell_closed_case_lead(closed_case=closed_case, case=case, recorder=actor)
    return concern


CLOSED_CASE_REVIEW_REASON = "Concern recorded after the child's case closed: for review"


def _case_for_new_concern(*, actor: User, case: Case, request: Request) -> Case:
    """Where a new concern goes: the case itself when open; else the child's open case, or a new one.

    A practitioner who records a worry about a child whose case has closed expects it to be acted
    on, not refused or left on a closed record nobody reads. The new case is led by the closed
    case's lead agency (it knows the child; the recorder's own agency if that one is no longer
    active), at Universal Plus and without a lead professional, so it shows in that agency's
    manager queue for a decision.
    """
    if case.is_open:
        return case
    open_case = case.child.cases.filter(status=CaseStatus.OPEN).first()
    if open_case is not None:
        return open_case
    lead_agency = case.lead_agency if case.lead_agency.is_active else _agency_of(actor)
    return case_open(
        child=case.child,
        lead_agency=lead_agency,
        opened_on=timezone.localdate(),
        threshold=Threshold.UNIVERSAL_PLUS,
        actor=actor,
        request=request,
    )


def _tell_closed_case_lead(*, closed_case: Case, case: Case, recorder: User) -> None:
    """The closed case's lead professional hears that the child is back (no detail about the child)."""
    _notify_lead(
        closed_case.lead_professional,
        recorder=recorder,
        case=case,
        subject=f"New concern after case {closed_case.pk} closed",
        body=f"A concern was recorded after case {closed_case.pk} closed. It is on case {case.pk} for review.",
    )


def concern_amend(
    *,
    actor: User,
    concern: Concern,
    reason: str,
    observed_on: date,
    neglect_types: Sequence[str],
    description: str,
    impact_on_child: str,
    action_taken: str = "",
    suggested_threshold: str = "",
    request: Request = None,
) -> ConcernAmendment:
    """Correct a concern by recording its whole content as it should now read, and why.

    The original and earlier amendments stay exactly as they were. Only the agency that recorded
    the concern may amend it: another agency's account of what it saw is not another's to
    rewrite (they record a concern of their own instead).
    """
    agency = _agency_of(actor)
    access.require(
        actor,
        access.can_amend_concern(actor, concern),
        request=request,
        reason=access.CONCERN_AMEND_REFUSED,
        object_type="concern",
        object_id=concern.pk,
        child_id=concern.child_id,
    )
    # The refusal above is audited outside the transaction, so its row survives; the writes below are one unit.
    with transaction.atomic():
        content = _concern_content(
            concern.child,
            observed_on=observed_on,
            neglect_types=neglect_types,
            description=description,
            impact_on_child=impact_on_child,
            action_taken=action_taken,
            suggested_threshold=suggested_threshold,
        )
        amendment = _save_valid(ConcernAmendment(concern=concern, reason=_text(reason), recorded_by=actor, agency=agency, **content))
        audit_record(
            user=actor,
            action=AuditAction.CREATE,
            object_type="concern_amendment",
            object_id=amendment.pk,
            child_id=concern.child_id,
            detail=f"amends concern {concern.pk}",
            request=request,
        )
        events.concern_amended.send(sender=ConcernAmendment, amendment=amendment)
        return amendment


@dataclass(frozen=True)
class RecordedConcern:
    """All the recorder of a concern by identifiers learns: a reference for it.

    Nothing says whether the details matched a child, which one, or on what case the concern
    went: the answer is the same whatever the register holds (issue 22, finding 4).
    """

    concern_id: int


CONCERN_FOR_THE_LEAD = (
    "Concern recorded. It has gone to the child's lead professional; when the child has none, to their lead agency's managers "
    "and to children's social care's front door, which also checks any record that needs finding or checking. They decide who "
    "else needs to see it."
)
ASKED_FRONT_DOOR = " You asked the front door for support: it decides within one working day and tells you what it decided."
NAME_AND_BIRTH_DATE_NEEDED = "Enter the child's name and date of birth too: they are needed to find the child, or to record them"
CHILD_LOOKUP = "child_lookup"


@dataclass(frozen=True)
class IdentifierLookup:
    """What one search of every child by identifiers found (`identifier_lookup`)."""

    match: Child | None  # the one child found, not contradicted by another identifier given
    found: list  # everything the strongest identifier found (up to two)

    def numbers_held(self, identifiers: ChildIdentifiers) -> dict:
        """The NHS number and UPN given that some other child already holds (they are unique)."""
        return {
            field: getattr(identifiers, field)
            for field in ("nhs_number", "upn")
            if getattr(identifiers, field) and any(getattr(child, field) == getattr(identifiers, field) for child in self.found)
        }


def identifier_lookup(*, actor: User, identifiers: ChildIdentifiers, purpose: str, request: Request = None) -> IdentifierLookup:
    """Search ALL children by exact identifiers, and write the lookup's one audit row.

    The one search that looks beyond what the actor can see (`selectors.children_matching_identifiers`);
    its callers answer the same whatever it finds. The row names the child found (the first, when
    the details found two), never the identifiers typed, so "who looked this child up" is
    answerable without NHS numbers or names in the log; a lookup that finds nobody names no child.
    It is written before any transaction, so a request refused afterwards still leaves it.
    """
    found = children_matching_identifiers(user=actor, identifiers=identifiers)
    match = found[0] if len(found) == 1 and not identifiers.contradicts(found[0]) else None
    if match is not None:
        outcome = "one child"
    elif found:
        outcome = "no clear match (children " + ", ".join(str(child.pk) for child in found) + ")"
    else:
        outcome = "no child"
    audit_record(
        user=actor,
        action=AuditAction.VIEW,
        object_type=CHILD_LOOKUP,
        object_id=found[0].pk if found else "",
        child_id=found[0].pk if found else None,
        detail=f"{purpose}: {outcome}",
        request=request,
    )
    return IdentifierLookup(match=match, found=found)


def _front_door(actor: User) -> Agency:
    """Children's social care, whose front door takes a concern about a child nobody can yet be sure of.

    The recorder's own agency only in a partnership without an active children's social care
    agency (then a new child's case is theirs, as before the front door).
    """
    return Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_active=True).order_by("pk").first() or _agency_of(actor)


def _case_for_the_lead(actor: User, child: Child, request: Request) -> Case:
    """The found child's open case; else a new case for review, led by their last case's lead agency (if active) or the front door."""
    open_case = child.cases.filter(status=CaseStatus.OPEN).first()
    if open_case is not None:
        return open_case
    latest = child.cases.select_related("lead_agency").order_by("-opened_on", "-pk").first()
    lead_agency = latest.lead_agency if latest is not None and latest.lead_agency.is_active else _front_door(actor)
    return case_open(child=child, lead_agency=lead_agency, opened_on=timezone.localdate(), threshold=Threshold.UNIVERSAL_PLUS, actor=actor, request=request)


POSSIBLE_DUPLICATE = "An NHS number, UPN or name and date of birth given may belong to a child already recorded: check before acting."
NOT_FOUND = "The details given matched no child in the portal: check whether the child is already recorded under other details."


def concern_record_for_identifiers(
    *,
    actor: User,
    identifiers: ChildIdentifiers,
    observed_on: date,
    neglect_types: Sequence[str],
    description: str,
    impact_on_child: str,
    action_taken: str = "",
    suggested_threshold: str = "",
    agencies_told: Iterable[Agency] = (),
    sharing: SharingDetails | None = None,
    ask_front_door: bool = False,
    support_reason: str = "",
    request: Request = None,
) -> RecordedConcern:
    """Record a concern about a child found by exact identifiers, whether or not the actor sees them.

    This is how a school, a GP or a housing officer who has never worked with a child gets a worry
    onto that child's record (the learning review: everyone saw something, nobody shared it). It
    answers the same whatever the register holds, so it cannot be used to find out whether a
    number or a name is known (issue 22, finding 4):

    * Only case-working roles may do it (the access layer's `require` audits a refusal).
    * Name and date of birth are always needed (an NHS number or UPN as well when known); the
      form's errors depend only on what was typed, never on what exists.
    * Every lookup writes one audit row naming the child found (`identifier_lookup`).
    * One child found, not contradicted by another identifier: the concern goes on their open case
      (or a new case for review) and the lead professional is told. Anything else (nobody, two
      children, a contradiction): the child is recorded as new (without a number another child
      already holds) on a case led by children's social care, and the front door's queue gets a
      duplicate check (issue 14; `events.front_door_referred`).
    * The recorder's agency joins the team only when it already sees the case: otherwise the lead
      decides who else sees it. The recorder learns a reference for the concern, nothing else.

    The lookup runs before the transaction that writes, so its audit row survives any refusal; an
    invalid concern rolls back the child, case and team rows with it.
    """
    access.require(actor, access.can_see_case_work(actor), request=request, what="record a concern about a child")
    _agency_of(actor)
    errors = sharing_details_errors(sharing)
    if errors:
        raise ValidationError(errors)
    identifiers = identifiers.checked()
    lookup = identifier_lookup(actor=actor, identifiers=identifiers, purpose="concern by identifiers", request=request)
    if not identifiers.has_name_and_birth_date:
        fields = ("given_name", "family_name", "date_of_birth")
        raise ValidationError({field: NAME_AND_BIRTH_DATE_NEEDED for field in fields if not getattr(identifiers, field)})
    with transaction.atomic():
        if lookup.match is not None:
            case = _case_for_the_lead(actor, lookup.match, request)
        else:
            held = lookup.numbers_held(identifiers)
            child = child_create(
                given_name=identifiers.given_name,
                family_name=identifiers.family_name,
                date_of_birth=identifiers.date_of_birth,
                nhs_number="" if "nhs_number" in held else identifiers.nhs_number,
                upn="" if "upn" in held else identifiers.upn,
                actor=actor,
                request=request,
            )
            case = case_open(
                child=child, lead_agency=_front_door(actor), opened_on=timezone.localdate(), threshold=Threshold.UNIVERSAL_PLUS, actor=actor, request=request
            )
        sees_case = access.cases_visible_to(actor).filter(pk=case.pk).exists()
        unmatched = lookup.match is None
        concern = concern_record(
            actor=actor,
            case=case,
            observed_on=observed_on,
            neglect_types=neglect_types,
            description=description,
            impact_on_child=impact_on_child,
            action_taken=action_taken,
            suggested_threshold=suggested_threshold,
            agencies_told=agencies_told,
            sharing=sharing,
            join_team=sees_case,
            ask_front_door=ask_front_door,
            support_reason=support_reason,
            front_door_kind=FRONT_DOOR_DUPLICATE_CHECK if unmatched else FRONT_DOOR_NO_LEAD_CONCERN,
            front_door_detail=(POSSIBLE_DUPLICATE if lookup.found else NOT_FOUND) if unmatched else "",
            request=request,
        )
    return RecordedConcern(concern_id=concern.pk)


# --- Referrals, oversight, the child's voice -----------------------------------------------------


@transaction.atomic
def referral_record(
    *,
    actor: User,
    child: Child,
    referring_agency: Agency,
    referred_on: date,
    is_neglect: bool,
    reasons: str,
    case: Case | None = None,
    outcome: str = "",
    outcome_on: date | None = None,
    request: Request = None,
) -> Referral:
    """Record a referral to children's social care and, once decided, its outcome and date."""
    referral = _save_valid(
        Referral(
            child=child,
            case=case,
            referred_on=referred_on,
            referring_agency=referring_agency,
            is_neglect=is_neglect,
            reasons=_text(reasons),
            outcome=outcome or "",
            outcome_on=outcome_on,
            recorded_by=actor,
        )
    )
    audit_record(user=actor, action=AuditAction.CREATE, object_type="referral", object_id=referral.pk, child_id=child.pk, request=request)
    events.referral_recorded.send(sender=Referral, referral=referral)
    return referral


@transaction.atomic
def oversight_record(
    *,
    actor: User,
    case: Case,
    recorded_on: date,
    decision: str,
    reasons: str,
    next_review_on: date,
    request: Request = None,
) -> Oversight:
    """Record a manager's oversight of a case (the caller has checked the `oversee` action)."""
    oversight = _save_valid(
        Oversight(
            case=case,
            manager=actor,
            recorded_on=recorded_on,
            decision=_text(decision),
            reasons=_text(reasons),
            next_review_on=next_review_on,
        )
    )
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="oversight",
        object_id=oversight.pk,
        child_id=case.child_id,
        request=request,
    )
    events.oversight_recorded.send(sender=Oversight, oversight=oversight)
    return oversight


@transaction.atomic
def child_voice_record(
    *,
    actor: User,
    case: Case,
    recorded_on: date,
    what_was_said: str,
    method: str,
    speaker: str = Speaker.CHILD,
    how_they_feel: str = "",
    request: Request = None,
) -> ChildVoice:
    """Record what the child said or showed, and how they feel, on an open case."""
    agency = _agency_of(actor)
    _require_open(case)
    voice = _save_valid(
        ChildVoice(
            case=case,
            recorded_by=actor,
            agency=agency,
            recorded_on=recorded_on,
            speaker=speaker,
            what_was_said=_text(what_was_said),
            how_they_feel=_text(how_they_feel),
            method=method,
        )
    )
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="child_voice",
        object_id=voice.pk,
        child_id=case.child_id,
        request=request,
    )
    events.child_voice_recorded.send(sender=ChildVoice, voice=voice)
    return voice
