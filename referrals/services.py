"""Writes for referrals: recording a referral to children's social care and its outcome; atomic and audited.

As with all case work (cases/services.py), who may act is decided before a service is called: the
view fetches the case through `agencies.access` and passes it in.
"""

from datetime import date

from django.db import transaction

from agencies.models import Agency
from audit.models import AuditAction
from audit.services import audit_record
from cases import events
from cases.models import Case, Child
from cases.services import Request, User, stripped
from neglect_portal.records import save_valid as _save_valid

from .models import Referral


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
            reasons=stripped(reasons),
            outcome=outcome or "",
            outcome_on=outcome_on,
            recorded_by=actor,
        )
    )
    audit_record(user=actor, action=AuditAction.CREATE, object_type="referral", object_id=referral.pk, child_id=child.pk, request=request)
    events.referral_recorded.send(sender=Referral, referral=referral)
    return referral
