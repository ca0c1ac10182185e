"""The append-only access log: who viewed, changed, exported or was refused what, and when.

Append-only three times over: the model refuses to save an existing row or delete one, its
queryset refuses bulk update and delete, and on PostgreSQL a trigger (migration 0002) rejects
UPDATE and DELETE on the table whatever the client.
"""

from django.db import models
from django.db.models import F
from django.db.models.functions import Upper


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Login failed"
    LOGOUT = "logout", "Logged out"
    DENIED = "denied", "Denied"
    GRANT = "grant", "Granted access"
    DELETE = "delete", "Deleted"


# The object type of the VIEW rows that say a child was shown in a list (a home page, a search
# result, a queue): one row per child, so "who looked at this child" includes lists. Being listed is
# not opening a record, so the over-access alert does not count these rows (audit/alerts.py).
CHILD_LISTED = "child_listed"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AccessEvent(models.Model):
    # No foreign keys: a row must outlive anything it names and never be touched by a cascade.
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    agency_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.CharField(max_length=500, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Issue 18, from EXPLAIN at county scale (2 million rows): the over-access check after every
        # audited read counts one user's recent views or denials (audit/alerts.py); auditors search
        # by username whatever its case, newest first (audit/selectors.py).
        indexes = [
            models.Index(fields=["user_id", "action", "at"], name="audit_event_user_action_at"),
            models.Index(Upper("username"), F("at").desc(), name="audit_event_username_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'anonymous'} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
