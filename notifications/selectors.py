"""Reads of a user's own notifications."""

from .models import Notification


def unread_notifications(*, user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)
