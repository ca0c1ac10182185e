"""Telling a person something: in the portal, and once by email after the transaction commits."""

from django.db import transaction

from .models import Notification
from .tasks import notification_email


def notification_create(*, recipient, subject, body, link=""):
    """Create an in-app notification and email it once, after the surrounding transaction commits."""
    notification = Notification.objects.create(recipient=recipient, subject=subject, body=body, link=link)
    transaction.on_commit(lambda: notification_email.delay(notification.pk))
    return notification
