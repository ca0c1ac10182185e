"""Recording information-sharing decisions (the disclosure log of a case).

Called from inside the services that share: `concern_record` (a concern goes to the team around the
child and to the agencies told) and `team_add` (an agency joins the team and so sees the case
record). Each decision is one immutable `SharingDecision` row and one audit row.

A person's decision carries their reason, the lawful basis (UK GDPR Article 6), the condition for
special category data (Article 9 / DPA 2018 Schedule 1) and whether the family knows. An agency
joining by a rule of the system (a conference invitation, the lead agency changing) records the
rule's reason with public task and the safeguarding condition, and says honestly that whether the
family knows was not recorded.

Errors are keyed by the names the concern form and the API use (`sharing_reason`, `lawful_basis`,
`sharing_condition`, `family_informed`, `not_informed_reason`), so they show beside their fields.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError

from agencies import access
from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record

from .models import FamilyInformed, LawfulBasis, SharedItem, SharingCondition, SharingDecision

# Model field -> the name forms and the API use for it.
FIELD_NAMES = {
    "reason": "sharing_reason",
    "lawful_basis": "lawful_basis",
    "condition": "sharing_condition",
    "family_informed": "family_informed",
    "not_informed_reason": "not_informed_reason",
}
MESSAGES = {
    "sharing_reason": "Say why you are sharing this information",
    "lawful_basis": "Choose the lawful basis for sharing",
    "sharing_condition": "Choose the condition for sharing special category data",
    "family_informed": "Say whether the family knows this is being shared",
    "not_informed_reason": "Say why the family has not been told",
}


@dataclass(frozen=True)
class SharingDetails:
    """What a person states when they share: why, on what basis, and whether the family knows."""

    reason: str
    lawful_basis: str
    condition: str
    family_informed: str
    not_informed_reason: str = ""


def system_rule(reason: str) -> SharingDetails:
    """The details recorded when an agency joins the team by a rule of the system, not a person's form."""
    return SharingDetails(
        reason=reason,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        condition=SharingCondition.SAFEGUARDING,
        family_informed=FamilyInformed.NOT_RECORDED,
    )


def sharing_details_errors(details: SharingDetails | None) -> dict:
    """Field errors of a person's sharing details (empty when they are complete)."""
    if details is None:
        return {name: MESSAGES[name] for name in ("sharing_reason", "lawful_basis", "sharing_condition", "family_informed")}
    errors = {}
    if not (details.reason or "").strip():
        errors["sharing_reason"] = MESSAGES["sharing_reason"]
    if details.lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = MESSAGES["lawful_basis"]
    if details.condition not in SharingCondition.values:
        errors["sharing_condition"] = MESSAGES["sharing_condition"]
    if details.family_informed not in (FamilyInformed.YES, FamilyInformed.NO):
        errors["family_informed"] = MESSAGES["family_informed"]
    elif details.family_informed == FamilyInformed.NO and not (details.not_informed_reason or "").strip():
        errors["not_informed_reason"] = MESSAGES["not_informed_reason"]
    return errors


def _renamed(error: ValidationError) -> ValidationError:
    return ValidationError({FIELD_NAMES.get(field, field): messages for field, messages in error.message_dict.items()})


def sharing_decision_record(
    *,
    actor,
    case,
    shared_item: str,
    details: SharingDetails,
    shared_with: Iterable[Agency],
    concern=None,
    request=None,
) -> SharingDecision:
    """Record one decision to share (call inside the transaction of the action that shares)."""
    membership = access.membership_of(actor) if actor is not None else None
    decision = SharingDecision(
        case=case,
        child_id=case.child_id,
        decided_by=actor,
        decided_by_agency=membership.agency if membership else None,
        shared_item=shared_item,
        concern=concern,
        reason=(details.reason or "").strip(),
        lawful_basis=details.lawful_basis,
        condition=details.condition,
        family_informed=details.family_informed,
        not_informed_reason=(details.not_informed_reason or "").strip() if details.family_informed == FamilyInformed.NO else "",
    )
    try:
        decision.full_clean()
    except ValidationError as error:
        raise _renamed(error) from error
    decision.save()
    recipients = sorted({agency.pk: agency for agency in shared_with}.values(), key=lambda agency: agency.name)
    decision.shared_with.add(*recipients)
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        object_type="sharing_decision",
        object_id=decision.pk,
        child_id=case.child_id,
        detail=f"{SharedItem(shared_item).label} with {', '.join(a.name for a in recipients) or 'nobody yet'}; "
        f"basis {decision.lawful_basis}, condition {decision.condition}",
        request=request,
    )
    return decision


def joining_details(details: SharingDetails, reason: str) -> SharingDetails:
    """A person's details reused for the team add their action causes, with the team's reason."""
    return replace(details, reason=reason)
