"""Over-access alerts: a user reading an unusual number of children's records, or a burst of denials.

Checked after each audited read or denial. An alert goes to every partnership admin (in-app and
by email) and is raised at most once per user and kind per window (a cache key), so a burst does
not flood the admins. Thresholds are settings; the counts come from the audit log itself.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from notifications.services import notification_create

from .models import CHILD_LISTED, AccessEvent, AuditAction


def _no_recipients():
    return []


_recipients = _no_recipients


def alert_recipients_provider_set(provider):
    """Send over-access alerts to the users `provider()` returns (the partnership admins).

    Who the admins are is known to `agencies/`, which sits above this app; it registers the
    provider from its `AppConfig.ready()`, so this module imports nothing above it.
    """
    global _recipients
    _recipients = provider


def _raise_once(kind, user_id, username, subject, body, window):
    if not cache.add(f"over-access:{kind}:{user_id}:{username}", True, timeout=int(window.total_seconds())):
        return False
    for admin in _recipients():
        notification_create(recipient=admin, subject=subject, body=body, link=f"/audit/?username={username}")
    return True


def over_access_check(*, event):
    """Look at the user's recent audit rows after `event`; alert the partnership admins if unusual."""
    if event.action not in (AuditAction.VIEW, AuditAction.DENIED):
        return None
    now = timezone.now()
    who = {"user_id": event.user_id} if event.user_id else {"username": event.username, "user_id__isnull": True}
    if event.action == AuditAction.VIEW and event.child_id:
        window = timedelta(minutes=settings.OVER_ACCESS_WINDOW_MINUTES)
        opened = AccessEvent.objects.filter(action=AuditAction.VIEW, at__gte=now - window, child_id__isnull=False, **who).exclude(object_type=CHILD_LISTED)
        children = opened.values("child_id").distinct().count()
        if children > settings.OVER_ACCESS_CHILDREN_PER_WINDOW:
            body = (
                f"{event.username} ({event.agency_name}) opened the records of {children} children in the last {settings.OVER_ACCESS_WINDOW_MINUTES} minutes."
            )
            return "reads" if _raise_once("reads", event.user_id, event.username, "Unusual number of records opened", body, window) else None
    if event.action == AuditAction.DENIED:
        window = timedelta(minutes=settings.OVER_ACCESS_DENIALS_WINDOW_MINUTES)
        denials = AccessEvent.objects.filter(action=AuditAction.DENIED, at__gte=now - window, **who).count()
        if denials >= settings.OVER_ACCESS_DENIALS_PER_WINDOW:
            body = f"{event.username or 'Someone'} ({event.agency_name or 'no agency'}) was refused access {denials} times in the last {settings.OVER_ACCESS_DENIALS_WINDOW_MINUTES} minutes."
            return "denials" if _raise_once("denials", event.user_id, event.username, "Burst of refused access attempts", body, window) else None
    return None
