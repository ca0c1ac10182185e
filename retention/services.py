"""Writes for retention: list what is due, record the approver's decisions, delete approved records.

Deletion is the one place the application removes case records. It runs per child, in its own
transaction, with the PostgreSQL session flag `neglect.retention_delete` set LOCAL to that
transaction: the triggers that keep concerns, final assessments and sharing decisions immutable let
a DELETE through only then (retention migration 0002). Every deletion writes a log row (counts per
table, no content) and one audit row. Re-running is safe: a processed item is skipped, a child
already gone is recorded as such, and a child who is no longer due (a new case) is kept.
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.selectors import partnership_admins
from audit.models import AuditAction
from audit.services import audit_record
from notifications.services import notification_create

from .models import Decision, Outcome, RetentionDeletionLog, RetentionItem, RetentionReview, ReviewStatus
from .selectors import child_exists, deletion_plan, subject_still_due, subjects_due

RETENTION_FLAG = "neglect.retention_delete"


@transaction.atomic
def retention_review_create(*, today) -> RetentionReview | None:
    """A review listing every child due today, for partnership admins to decide on; None when nobody is due."""
    due = subjects_due(today=today)
    if not due:
        return None
    review = RetentionReview.objects.create(found_on=today)
    RetentionItem.objects.bulk_create(
        RetentionItem(review=review, child_id=s.child_id, case_ids=s.case_ids, record_type=s.record_type, basis=s.basis, due_on=s.due_on) for s in due
    )
    _notify_admins(review, len(due))
    audit_record(
        user=None,
        action=AuditAction.CREATE,
        object_type="retention_review",
        object_id=review.pk,
        detail=f"{len(due)} children's records past their retention date",
    )
    return review


def _notify_admins(review, count):
    for admin in partnership_admins():
        notification_create(
            recipient=admin,
            subject="Records due for deletion",
            body=f"{count} children's records are past their retention date. Approve their deletion, or hold any back with a reason.",
            link=f"/retention/{review.pk}/",
        )


@transaction.atomic
def retention_review_decide(*, actor, review, excluded: dict, request=None):
    """Approve a review: every item is deleted except those in `excluded` (item id -> reason).

    Refused when the review has been decided already. One audit row records the decision (counts only).
    """
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.AWAITING_DECISION:
        raise ValidationError("This review has already been decided.")
    items = list(review.items.all())
    known = {item.pk for item in items}
    errors = {item_id: "Say why this record is held back" for item_id, reason in excluded.items() if not reason.strip()}
    unknown = set(excluded) - known
    if unknown:
        errors.update(dict.fromkeys(unknown, "Not an item of this review"))
    if errors:
        raise ValidationError(errors)
    for item in items:
        if item.pk in excluded:
            item.decision, item.exclusion_reason = Decision.EXCLUDED, excluded[item.pk].strip()[:300]
        else:
            item.decision = Decision.DELETE
        item.full_clean()
    RetentionItem.objects.bulk_update(items, ["decision", "exclusion_reason"])
    RetentionReview.objects.filter(pk=review.pk).update(status=ReviewStatus.APPROVED, decided_by=actor, decided_at=timezone.now())
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        object_type="retention_review",
        object_id=review.pk,
        detail=f"approved: {len(items) - len(excluded)} to delete, {len(excluded)} held back",
        request=request,
    )
    from .tasks import retention_review_delete

    transaction.on_commit(lambda: retention_review_delete.delay(review.pk))


def retention_review_claim(*, review_id) -> bool:
    """Approved (or stale running) -> running; exactly one worker wins (conditional update)."""
    from .tasks import CLAIM_EXPIRY

    now = timezone.now()
    claimable = Q(status=ReviewStatus.APPROVED) | Q(status=ReviewStatus.RUNNING, claimed_at__lt=now - CLAIM_EXPIRY)
    return RetentionReview.objects.filter(claimable, pk=review_id).update(status=ReviewStatus.RUNNING, claimed_at=now) == 1


def retention_review_release(*, review_id):
    RetentionReview.objects.filter(pk=review_id, status=ReviewStatus.RUNNING).update(status=ReviewStatus.APPROVED, claimed_at=None)


def retention_review_fail(*, review_id, reason):
    RetentionReview.objects.filter(pk=review_id).exclude(status=ReviewStatus.DONE).update(
        status=ReviewStatus.FAILED, claimed_at=None, failure_reason=reason[:2000]
    )


def retention_review_finish(*, review_id):
    RetentionReview.objects.filter(pk=review_id, status=ReviewStatus.RUNNING).update(
        status=ReviewStatus.DONE, claimed_at=None, finished_at=timezone.now(), failure_reason=""
    )


def _allow_retention_delete():
    """Set the flag for this transaction only (SET LOCAL); the immutability triggers read it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [RETENTION_FLAG])


def _delete_rows(plan) -> dict:
    """Delete every planned row, one statement per table; return counts per model label.

    `_raw_delete` (what Django's own fast delete uses) issues a plain DELETE: the ORM collector
    would refuse the PROTECT relations that this deletion removes on purpose. The database still
    checks every foreign key when the transaction commits (Django's constraints are DEFERRABLE
    INITIALLY DEFERRED on PostgreSQL), so a row left pointing at a deleted one aborts the whole
    child's deletion rather than leaving a dangling reference.
    """
    counts = {}
    for model, ids in sorted(plan.items(), key=lambda pair: pair[0]._meta.label):
        deleted = model._base_manager.filter(pk__in=ids)._raw_delete(connection.alias)
        counts[model._meta.label] = deleted
    return counts


def retention_item_process(*, item_id, today) -> str:
    """Carry out one item's decision, in one transaction; returns the outcome. Safe to repeat."""
    with transaction.atomic():
        item = RetentionItem.objects.select_for_update(of=("self",)).select_related("review__decided_by").get(pk=item_id)
        if item.outcome or item.decision != Decision.DELETE:
            return item.outcome or "not to delete"
        if not child_exists(child_id=item.child_id):
            outcome = Outcome.ALREADY_GONE
        elif subject_still_due(child_id=item.child_id, today=today) is None:
            outcome = Outcome.NO_LONGER_DUE
        else:
            outcome = Outcome.DELETED
            _allow_retention_delete()
            counts = _delete_rows(deletion_plan(child_id=item.child_id))
            approver = item.review.decided_by
            log = RetentionDeletionLog.objects.create(
                review_id=item.review_id,
                item_id=item.pk,
                child_id=item.child_id,
                record_type=item.record_type,
                basis=item.basis,
                due_on=item.due_on,
                rows_deleted=counts,
                total_rows=sum(counts.values()),
                approved_by_id=approver.pk if approver else None,
                approved_by_username=approver.get_username() if approver else "",
            )
            audit_record(
                user=approver,
                action=AuditAction.DELETE,
                object_type="retention_deletion",
                object_id=log.pk,
                child_id=item.child_id,
                detail=f"retention: child {item.child_id}'s record deleted ({log.total_rows} rows; {item.record_type}, due {item.due_on.isoformat()}; review {item.review_id})",
            )
        RetentionItem.objects.filter(pk=item.pk).update(outcome=outcome, processed_at=timezone.now())
        return outcome


def retention_review_carry_out(*, review_id, today):
    """Process every approved item of a claimed review, one child per transaction."""
    for item_id in RetentionItem.objects.filter(review_id=review_id, decision=Decision.DELETE, outcome=Outcome.NONE).values_list("pk", flat=True):
        retention_item_process(item_id=item_id, today=today)
