"""Writing audit rows. Called by the access layer and by services; never by templates."""
import re

from .alerts import over_access_check
from .models import AccessEvent

# C0 and C1 controls, Unicode line and paragraph separators, and the bidirectional overrides and
# isolates that can make a logged value display in a different order than it was written.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise(value, *, limit):
    """Logged text cannot forge lines, escape sequences or reordered text: such characters become '?'."""
    return _CONTROL_CHARACTERS.sub("?", str(value or ""))[:limit]


def _client_ip(request):
    if request is None:
        return None
    # REMOTE_ADDR only: the reverse proxy sets it (gunicorn --forwarded-allow-ips); a client-sent
    # X-Forwarded-For is not trusted for the audit trail.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(*, user, action, object_type="", object_id="", child_id=None, detail="", request=None, username=""):
    """Append one row to the access log and return it.

    `user` may be anonymous or None (failed logins); `username` then records what was typed.
    """
    membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    event = AccessEvent.objects.create(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        username=neutralise(user.get_username() if user is not None and user.is_authenticated else username, limit=150),
        agency_id=membership.agency_id if membership else None,
        agency_name=neutralise(membership.agency.name, limit=200) if membership else "",
        role=membership.role if membership else "",
        action=action,
        object_type=object_type,
        object_id=neutralise(object_id, limit=64),
        child_id=child_id,
        detail=neutralise(detail, limit=500),
        path=neutralise(request.get_full_path() if request is not None else "", limit=500),
        ip_address=_client_ip(request),
        user_agent=neutralise(request.META.get("HTTP_USER_AGENT", "") if request is not None else "", limit=300),
    )
    over_access_check(event=event)
    return event
