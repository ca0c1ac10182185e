"""Writes for the child's voice; atomic and audited.

As with all case work (cases/services.py), who may act is decided before a service is called: the
view fetches the case through `agencies.access` (the `contribute` action) and passes it in.
"""

from datetime import date

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from cases import events
from cases.models import Case
from cases.services import Request, User, agency_of, require_open, stripped
from neglect_portal.records import save_valid as _save_valid

from .models import ChildVoice, Speaker


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
    agency = agency_of(actor)
    require_open(case)
    voice = _save_valid(
        ChildVoice(
            case=case,
            recorded_by=actor,
            agency=agency,
            recorded_on=recorded_on,
            speaker=speaker,
            what_was_said=stripped(what_was_said),
            how_they_feel=stripped(how_they_feel),
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
