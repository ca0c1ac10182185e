"""Writes for management oversight; atomic and audited.

As with all case work (cases/services.py), who may act is decided before a service is called: the
view asks the access layer for the `oversee` action on the case and passes the case in.
"""

from datetime import date

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from cases import events
from cases.models import Case
from cases.services import Request, User, stripped
from neglect_portal.records import save_valid as _save_valid

from .models import Oversight


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
            decision=stripped(decision),
            reasons=stripped(reasons),
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
