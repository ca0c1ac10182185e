"""Retention reviews, the items an admin approves or holds back, and the append-only deletion log.

No foreign keys to the records under review: an item and its log row must outlive the child they name
(they hold the child's id, the case ids and dates, never names or content). Initials shown to the
approver are read from the child's record while it exists (selectors.review_rows), not copied here.
"""

from django.conf import settings
from django.db import models


class ReviewStatus(models.TextChoices):
    AWAITING_DECISION = "awaiting_decision", "Awaiting a decision"
    APPROVED = "approved", "Approved: deletion queued"
    RUNNING = "running", "Deleting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RetentionReview(models.Model):
    """One run of the scheduled job that found records past their retention date."""

    found_on = models.DateField(help_text="The day the records were found due.")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING_DECISION)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Retention review {self.pk} of {self.found_on:%d %B %Y}"

    @property
    def awaits_decision(self):
        return self.status == ReviewStatus.AWAITING_DECISION


class Decision(models.TextChoices):
    PENDING = "pending", "Not decided"
    DELETE = "delete", "Delete"
    EXCLUDED = "excluded", "Held back"


class Outcome(models.TextChoices):
    NONE = "", "Not processed"
    DELETED = "deleted", "Deleted"
    NO_LONGER_DUE = "no_longer_due", "Kept: no longer due"
    ALREADY_GONE = "already_gone", "Already deleted"


class RetentionItem(models.Model):
    """One child whose record is due for deletion, and what the approver decided about it."""

    review = models.ForeignKey(RetentionReview, on_delete=models.PROTECT, related_name="items")
    child_id = models.BigIntegerField(db_index=True)
    case_ids = models.JSONField(default=list)
    record_type = models.CharField(max_length=30)
    basis = models.CharField(max_length=30)
    due_on = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    exclusion_reason = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default=Outcome.NONE)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "child_id"], name="retention_one_item_per_child_per_review"),
            models.CheckConstraint(
                condition=~models.Q(decision="excluded") | ~models.Q(exclusion_reason=""),
                name="retention_exclusion_has_reason",
                violation_error_message="Say why this record is held back",
            ),
        ]

    def __str__(self):
        return f"Child {self.child_id} in retention review {self.review_id}"

    @property
    def record_type_label(self):
        from .rules import RECORD_TYPE_LABELS

        return RECORD_TYPE_LABELS.get(self.record_type, self.record_type)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a deletion log row."""


class DeletionLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The retention deletion log cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The retention deletion log cannot be deleted.")


class RetentionDeletionLog(models.Model):
    """That a child's record was deleted: what kinds of rows and how many, who approved, when. No content.

    Append-only: the model and queryset refuse changes and, on PostgreSQL, a trigger refuses UPDATE
    and DELETE (migration 0002) with no exception, not even the retention flag.
    """

    review_id = models.BigIntegerField()
    item_id = models.BigIntegerField()
    child_id = models.BigIntegerField(db_index=True)
    record_type = models.CharField(max_length=30)
    basis = models.CharField(max_length=30)
    due_on = models.DateField()
    rows_deleted = models.JSONField(default=dict, help_text="Rows deleted per table (model label -> count).")
    total_rows = models.PositiveIntegerField()
    approved_by_id = models.BigIntegerField(null=True)
    approved_by_username = models.CharField(max_length=150)
    deleted_at = models.DateTimeField(auto_now_add=True)

    objects = DeletionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-deleted_at", "-pk"]

    def __str__(self):
        return f"Child {self.child_id}: {self.total_rows} rows deleted"

    record_type_label = RetentionItem.record_type_label

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The retention deletion log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The retention deletion log cannot be deleted.")
