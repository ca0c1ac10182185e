"""Subject access requests (UK GDPR Article 15): everything held about one child or adult.

A partnership admin (the partnership's data-protection function) records the request: who asked,
about whom, when it was received and the statutory deadline. A Celery job then gathers every
record about the subject across agencies (selectors.subject_access_document), marks what needs a
redaction review, and stores the export as JSON and PDF on the row itself, so the status, the
files and `done` are written in one transaction (as dashboard snapshots are).

The job is claimed with a conditional update that must change exactly one row (`status` queued ->
running), so a redelivered task (acks_late) never produces two exports or overwrites a finished one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SubjectKind(models.TextChoices):
    CHILD = "child", "A child"
    ADULT = "adult", "An adult (parent or carer)"


class RequestStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SubjectAccessRequest(models.Model):
    """One request and its export.

    The subject is a foreign key (PROTECT): while a request exists it names a real record. When the
    retention job removes a child's record, its requests go with it (they hold copies of the record).
    """

    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="subject_access_requests")
    adult = models.ForeignKey("cases.Adult", on_delete=models.PROTECT, null=True, blank=True, related_name="subject_access_requests")
    requester_name = models.CharField("requester's name", max_length=200)
    requester_relationship = models.CharField(
        "requester's relationship to the subject",
        max_length=200,
        help_text="For example: the subject themselves, mother with parental responsibility, solicitor acting for the subject.",
    )
    requester_contact = models.TextField("requester's address or email", help_text="Where the response is to be sent.")
    identity_checked = models.BooleanField("identity and authority checked", default=False)
    received_on = models.DateField("date received")
    due_on = models.DateField("statutory deadline", help_text="One calendar month after receipt (next working day if it falls on a non-working day).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subject_access_requests")
    created_at = models.DateTimeField(auto_now_add=True)

    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, for the status page.")
    progress_note = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    item_count = models.PositiveIntegerField(default=0)
    redaction_count = models.PositiveIntegerField(default=0)
    export_json = models.BinaryField(blank=True, default=b"")
    export_pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_kind="child", child__isnull=False, adult__isnull=True) | Q(subject_kind="adult", adult__isnull=False, child__isnull=True),
                name="subject_access_names_one_subject_of_its_kind",
                violation_error_message="A request is about one child or one adult",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("received_on")),
                name="subject_access_due_after_receipt",
            ),
        ]

    def __str__(self):
        return f"Subject access request {self.pk}"

    @property
    def subject(self):
        return self.child if self.subject_kind == SubjectKind.CHILD else self.adult

    @property
    def child_id_for_audit(self):
        """The child an audit row about this request names (None for an adult subject)."""
        return self.child_id if self.subject_kind == SubjectKind.CHILD else None

    @property
    def is_finished(self):
        return self.status in (RequestStatus.DONE, RequestStatus.FAILED)
