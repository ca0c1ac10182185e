"""The subject access export job: gather everything about the subject, write JSON and PDF, once per claim."""

from celery import shared_task

from neglect_portal.jobs import run_claimed

from .services import subject_access_claim, subject_access_compute, subject_access_fail, subject_access_release


@shared_task(bind=True, acks_late=True, max_retries=3, soft_time_limit=600, time_limit=720)
def subject_access_export(self, sar_id):
    """Make one request's export.

    Idempotent: the claim is a conditional update that must change exactly one row, so a second
    delivery (acks_late redelivers after a worker dies) finds the request done or running and
    stops. A transient error gives the claim back and retries with backoff (bounded); any other
    error, or running out of time, marks the request failed with the reason shown on its page.
    """
    return run_claimed(
        self,
        claim=lambda: subject_access_claim(sar_id=sar_id),
        work=lambda: subject_access_compute(sar_id=sar_id),
        release=lambda: subject_access_release(sar_id=sar_id),
        fail=lambda reason: subject_access_fail(sar_id=sar_id, reason=reason),
    )
