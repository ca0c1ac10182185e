"""A quarter's dashboard as the strategy group signed it off: the measures and the PDF, computed once.

One row per quarter (`quarter` is unique), so queuing a quarter twice cannot make two snapshots.
The PDF is stored in the row (`pdf`, a few hundred kilobytes) rather than in file storage so that
the measures, the document and `status = done` are written in one database transaction: a reader
never sees figures without their PDF, or a PDF of other figures.
"""
from django.conf import settings
from django.db import models


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DashboardSnapshot(models.Model):
    quarter = models.CharField(max_length=10, unique=True, help_text="Financial-year quarter, e.g. 2025-26-Q3.")
    status = models.CharField(max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED)
    measures = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took the job; a stale claim may be taken again.")
    computed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-quarter"]

    def __str__(self):
        return f"Dashboard {self.quarter} ({self.get_status_display().lower()})"
