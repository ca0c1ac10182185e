"""Background jobs of the cases app."""

from celery import shared_task
from django.db import DatabaseError

from .services import absence_feedback_send


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def conference_absence_feedback(self, feedback_id):
    """Tell an absent key agency's safeguarding leads what a conference decided without them, once.

    Takes the id of an `AbsenceFeedback` row; the service claims the row with a conditional
    update, so a redelivered or repeated task sends nothing more, and a failure releases the
    claim so that the retry (with backoff) can send.
    """
    return absence_feedback_send(feedback_id=feedback_id)
