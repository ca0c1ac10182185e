"""Retention jobs: the weekly scan that lists due records, and the deletion an admin approved."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from neglect_portal.jobs import run_claimed

from .services import (
    retention_review_carry_out,
    retention_review_claim,
    retention_review_create,
    retention_review_fail,
    retention_review_finish,
    retention_review_release,
)

# A claim older than this belongs to a worker that died (the hard time limit is 30 minutes).
CLAIM_EXPIRY = timedelta(minutes=40)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=720)
def retention_find_due():
    """Run by Celery beat (Mondays 05:30): list the children whose records are past their retention date."""
    review = retention_review_create(today=timezone.localdate())
    return f"review {review.pk}" if review else "nothing due"


@shared_task(bind=True, acks_late=True, max_retries=3, soft_time_limit=1500, time_limit=1800)
def retention_review_delete(self, review_id):
    """Carry out an approved review, one child per transaction.

    Idempotent twice over: the review is claimed with a conditional update (one worker wins), and
    each item is processed once (its outcome is set in the same transaction as the deletion), so a
    redelivery after a crash carries on where the last run stopped.
    """
    outcome = run_claimed(
        self,
        claim=lambda: retention_review_claim(review_id=review_id),
        work=lambda: retention_review_carry_out(review_id=review_id, today=timezone.localdate()),
        release=lambda: retention_review_release(review_id=review_id),
        fail=lambda reason: retention_review_fail(review_id=review_id, reason=reason),
        not_claimed="not approved or already running",
    )
    if outcome == "done":
        retention_review_finish(review_id=review_id)
    return outcome
