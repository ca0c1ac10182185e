"""Writing audit rows. Called by the access layer and by services; never by templates."""

import re

from .alerts import over_access_check
from .models import CHILD_LISTED, AccessEvent, AuditAction

# C0 and C1 controls, Unicode line and paragraph separators, and the bidirectional overrides and
# isolates that can make a logged value display in a different order than it was written.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise(value, *, limit):
    """Logged text cannot forge lines, escape sequences or reordered text: such characters become '?'."""
    return _CONTROL_CHARACTERS.sub("?", str(value or ""))[:limit]


def _path(request):
    """The request's path without its query string: what was typed into a search (names, dates of
    birth, NHS numbers) is not kept in the log (docs/security.md,
    "Finding 8")."""
    return neutralise(request.path if request is not None else "", limit=500)


# A value of a kept filter: an id, a choice, a date or a page number, never free text.
_FILTER_VALUE = re.compile(r"[\w.:@+-]{1,64}")


def query_detail(params, *, keep) -> str:
    """The filters named in `keep` from a query (a QueryDict), as `name=value&...`, for an audit row's detail.

    An API list may be given any parameter; only the endpoint's own filters (ids, choices, dates)
    are recorded, and only values shaped like one, so identifiers or names sent with a request
    never reach the log.
    """
    kept = []
    for name in keep:
        for value in params.getlist(name):
            if _FILTER_VALUE.fullmatch(value):
                kept.append(f"{name}={value}")
    return "&".join(kept)


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
        path=_path(request),
        ip_address=_client_ip(request),
        user_agent=neutralise(request.META.get("HTTP_USER_AGENT", "") if request is not None else "", limit=300),
    )
    over_access_check(event=event)
    return event


def audit_record_children_listed(*, user, child_ids, detail="", request=None):
    """Append one VIEW row per child shown in a list (`CHILD_LISTED`), in one INSERT; returns how many.

    The rows carry what `audit_record` writes (who, agency, role, path, address) and the child, so
    the auditor's search by child and a subject access disclosure log find them. They are not over-access
    reads (audit/alerts.py leaves them out), and a list that showed nobody writes nothing here.
    """
    ids = sorted({child_id for child_id in child_ids if child_id is not None})
    if not ids:
        return 0
    membership = getattr(user, "membership", None) if user is not None and user.is_authenticated else None
    common = {
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "username": neutralise(user.get_username() if user is not None and user.is_authenticated else "", limit=150),
        "agency_id": membership.agency_id if membership else None,
        "agency_name": neutralise(membership.agency.name, limit=200) if membership else "",
        "role": membership.role if membership else "",
        "action": AuditAction.VIEW,
        "object_type": CHILD_LISTED,
        "detail": neutralise(detail, limit=500),
        "path": _path(request),
        "ip_address": _client_ip(request),
        "user_agent": neutralise(request.META.get("HTTP_USER_AGENT", "") if request is not None else "", limit=300),
    }
    AccessEvent.objects.bulk_create([AccessEvent(object_id=str(child_id), child_id=child_id, **common) for child_id in ids])
    return len(ids)
