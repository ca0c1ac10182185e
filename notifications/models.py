"""In-app notifications, each emailed once.

This app sits below `audit/` and every feature app: anything may tell a person something, and this
app imports none of them.
"""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Something a user must know (a new concern on their case, an absence from a conference).

    Shown in-app; also emailed once by `notifications.tasks.notification_email` (claimed with a
    conditional update on `emailed_at`, so a retried task never emails twice).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "agencies_notification"  # kept from when it lived in agencies/
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
