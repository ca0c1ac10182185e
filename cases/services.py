"""Writes for families, children, adults and case work. Each function is one business action, atomic and audited.

Who may act is decided before a service is called: views, the API and tasks fetch the case (or a
record on it) through `agencies.access` (`access_case`, `access_case_record`) and pass it in.
Services enforce the business rules (dates, required reasons, states of cases and plans) and never
widen access. The exception is `identifier_lookup`, which searches every child for
`concern_record_for_identifiers` (concerns/services.py) and `child_register`, and audits the search.

Each service writes one audit row for its action. When the action brings an agency into the team
around the child, `team_add` writes a second row: that changes who can see the child, and is
audited as a change in its own right.

Rule failures raise `ValidationError` keyed by field (NON_FIELD_ERRORS otherwise), so forms and the
API can show each message beside its field.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.concurrency import EditConflict
from neglect_portal.records import save_valid as _save_valid
from notifications.services import notification_create
from sharing.models import SharedItem
from sharing.services import SharingDetails, sharing_decision_record, system_rule

from . import events
from .household_models import HouseholdMember, MemberRelationship
from .models import (
    Case,
    CaseStatus,
    Child,
    Ethnicity,
    Family,
    Sex,
    TeamMembership,
    Threshold,
)
from .selectors import ChildIdentifiers, children_matching_identifiers
from .validators import normalise_nhs_number, normalise_upn

# Annotations only: the configured user model, and the request when the action comes from one.
User = AbstractBaseUser
Request = HttpRequest | None

LEAD_AGENCY_TEAM_REASON = "Lead agency"


def agency_of(actor: User) -> Agency:
    """The actor's agency now; case work is always recorded against an agency (403, audited, without one)."""
    membership = access.membership_of(actor)
    access.require(actor, membership is not None, reason="Only an active member of a partner agency can record case work.")
    return membership.agency


def stripped(value: str | None) -> str:
    """Free text without its surrounding whitespace ("" for None)."""
    return (value or "").strip()


CLOSED_CASE = "This case is closed: nothing new can be added to it. Record a concern to bring the child back to the partnership's attention."


def require_open(case: Case) -> None:
    """Refuse new work on a closed case (ValidationError with CLOSED_CASE)."""
    if not case.is_open:
        raise ValidationError(CLOSED_CASE)


def versioned_update(model, *, pk: int, expected_version: int | None, **fields) -> None:
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


def case_link(case: Case) -> str:
    """The case page's address, for a notification's link."""
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
            given_name=stripped(given_name),
            family_name=stripped(family_name),
            preferred_name=stripped(preferred_name),
            date_of_birth=date_of_birth,
            is_unborn=is_unborn,
            sex=sex,
            gender=stripped(gender),
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
    agency = agency_of(actor)
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
        f"{agency_of(recorder).name} registered a child (case {case.pk}) with an NHS number or UPN another child already holds: "
        "the number was not copied. Check whether this is the same child."
    )
    refer_to_front_door(kind=FRONT_DOOR_DUPLICATE_CHECK, case=case, concern=None, actor=recorder, detail=detail)


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
        if not stripped(reason):
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
            sharing=system_rule(f"{LEAD_AGENCY_TEAM_REASON}: {stripped(reason)}"),
            request=request,
        )
        change = audit_record(
            user=actor,
            action=AuditAction.UPDATE,
            object_type="case",
            object_id=case.pk,
            child_id=case.child_id,
            detail=f"lead professional {lead_professional.get_username()} of {membership.agency.name}: {stripped(reason)}",
            request=request,
        )
        events.lead_professional_changed.send(
            sender=Case, case=case, lead_professional=lead_professional, agency=membership.agency, actor=actor, reason=stripped(reason), record_id=change.pk
        )
        if lead_professional.pk != actor.pk:
            notification_create(
                recipient=lead_professional,
                subject=f"You are now lead professional for case {case.pk}",
                body=f"{membership.agency.name} is now the lead agency and you are the lead professional.",
                link=case_link(case),
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
    reason = stripped(closure_reason)
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


# --- Handing work on: the front door, the lead professional (concerns/services.py uses these too) ---


# What case work hands to the front door (`events.front_door_referred`; `frontdoor` makes the queue item).
FRONT_DOOR_REQUEST_FOR_SUPPORT = "request_for_support"
FRONT_DOOR_NO_LEAD_CONCERN = "no_lead_concern"
FRONT_DOOR_DUPLICATE_CHECK = "duplicate_check"
SUPPORT_REASON_NEEDED = "Say what support you are asking the front door for"


def refer_to_front_door(*, kind: str, case: Case, concern=None, actor: User, detail: str = "") -> list[str]:
    """Hand something to the front door, in the caller's transaction; returns who was told, in words (from the receivers)."""
    responses = events.front_door_referred.send(sender=Case, kind=kind, case=case, concern=concern, actor=actor, detail=detail)
    return [told for _, told in responses if told]


def person_name(user) -> str:
    """A person as others read them: their full name, else their username."""
    return user.get_full_name() or user.get_username()


def notify_lead(lead, *, recorder: User, case: Case, subject: str, body: str) -> None:
    """Tell a lead professional about a concern someone else recorded; nobody is told of their own,
    and a deactivated account gets nothing (its e-mail may now belong to no one in the agency)."""
    if lead is None or lead.pk == recorder.pk or not lead.is_active:
        return
    notification_create(recipient=lead, subject=subject, body=body, link=case_link(case))


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
