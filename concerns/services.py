"""Writes for concerns: recording one (on a case, or about a child found by identifiers) and amending one.

Each function is one business action, atomic and audited, as in cases/services.py. Who may act is
decided before a service is called (the views and the API fetch the case or the concern through
`agencies.access`); the exception is `concern_record_for_identifiers`, which by design acts on a
child the actor may not see yet, and so checks the actor itself.

No concern reaches nobody (`_deliver_concern`): the lead professional, else the lead agency's
managers and the front door, are told (cases/services.py hands work to the front door).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies import access
from agencies.models import Agency, AgencyKind
from audit.models import AuditAction
from audit.services import audit_record
from cases import events
from cases.models import Case, CaseStatus, Child, Threshold
from cases.selectors import ChildIdentifiers
from cases.services import (
    FRONT_DOOR_DUPLICATE_CHECK,
    FRONT_DOOR_NO_LEAD_CONCERN,
    FRONT_DOOR_REQUEST_FOR_SUPPORT,
    SUPPORT_REASON_NEEDED,
    Request,
    User,
    agency_of,
    case_link,
    case_open,
    child_create,
    identifier_lookup,
    notify_lead,
    person_name,
    refer_to_front_door,
    stripped,
    team_add,
)
from cases.validators import validate_known_neglect_types
from neglect_portal.dates import long_date
from neglect_portal.records import save_valid as _save_valid
from notifications.services import notification_create
from sharing.models import SharedItem
from sharing.services import SharingDetails, joining_details, sharing_decision_record, sharing_details_errors

from .models import Concern, ConcernAmendment, ConcernContent, NeglectType

CONCERN_TEAM_REASON = "Recorded a concern"


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
        "description": stripped(description),
        "impact_on_child": stripped(impact_on_child),
        "action_taken": stripped(action_taken),
        "suggested_threshold": suggested_threshold or "",
    }


def _tell_lead_professional(*, case: Case, concern: Concern, recorder: User) -> None:
    """The lead professional hears of every concern someone else records on their case.

    The message names the recording agency and the date, not the child: notifications are also
    emailed, and a child's details stay behind sign-in.
    """
    notify_lead(
        case.lead_professional,
        recorder=recorder,
        case=case,
        subject=f"New concern on case {case.pk}",
        body=f"{concern.agency.name} recorded a concern observed on {long_date(concern.observed_on)}.",
    )


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
            told.append(f"the lead professional, {person_name(lead)}")
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
                notification_create(recipient=person, subject=f"New concern on case {case.pk}", body=body, link=case_link(case))
            if overseers:
                told.append(f"{case.lead_agency.name}'s managers and designated safeguarding leads ({', '.join(person_name(p) for p in overseers)})")
        told += refer_to_front_door(kind=front_door_kind, case=case, concern=concern, actor=recorder, detail=front_door_detail)
    if support_reason:
        told += refer_to_front_door(kind=FRONT_DOOR_REQUEST_FOR_SUPPORT, case=case, concern=concern, actor=recorder, detail=support_reason)
    return list(dict.fromkeys(told))


def concern_confirmation(concern: Concern) -> str:
    """The page's "Concern recorded." saying truthfully who was told (`_deliver_concern`), for a case the recorder sees."""
    told = getattr(concern, "delivered_to", None) or []
    return "Concern recorded." + (f" Told: {'; '.join(told)}." if told else "")


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
    agency = agency_of(actor)
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
    support_reason = stripped(support_reason) if ask_front_door else ""
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
    lead_agency = case.lead_agency if case.lead_agency.is_active else agency_of(actor)
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
    notify_lead(
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
    agency = agency_of(actor)
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
        amendment = _save_valid(ConcernAmendment(concern=concern, reason=stripped(reason), recorded_by=actor, agency=agency, **content))
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


def _front_door(actor: User) -> Agency:
    """Children's social care, whose front door takes a concern about a child nobody can yet be sure of.

    The recorder's own agency only in a partnership without an active children's social care
    agency (then a new child's case is theirs, as before the front door).
    """
    return Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_active=True).order_by("pk").first() or agency_of(actor)


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
    agency_of(actor)
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
