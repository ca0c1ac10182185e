"""Reads of the access log, for auditors."""

from .models import AccessEvent


def event_search(*, username="", agency_id=None, child_id=None, action="", date_from=None, date_to=None):
    events = AccessEvent.objects.all()
    if username:
        events = events.filter(username__iexact=username)
    if agency_id:
        events = events.filter(agency_id=agency_id)
    if child_id:
        events = events.filter(child_id=child_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at", "-id")
