"""Background jobs of quality assurance: sending a family's feedback link."""

from celery import shared_task
from django.db import DatabaseError

from .services import feedback_link_send as send


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def feedback_link_send(self, request_id):
    """Email or text one family their single-use feedback link, once.

    Takes the id of a `FeedbackRequest`; the service claims the row with a conditional update, so a
    redelivered or repeated task sends nothing more, and a failure releases the claim so that the retry
    (with backoff) can send. Families are not users, so this is not a notification.
    """
    return send(request_id=request_id)
