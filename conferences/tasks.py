"""Background jobs of the conferences app: absence feedback, invitation emails."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError

from notifications.sender import sender_name

from .services import absence_feedback_send, invitation_email_send


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


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError, DatabaseError), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def conference_invitation_email(self, invitation_id):
    """Email one conference invitation, with its calendar file, once (the service claims the invitation)."""
    return invitation_email_send(invitation_id=invitation_id)


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def conference_email(self, address, subject, body):
    """Email a conference notice to an address with no account behind it (the invited person's), retried while the mail server is down."""
    send_mail(subject=f"[{sender_name()}] {subject}", message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[address])
    return "sent"
