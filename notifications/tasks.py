"""Emailing notifications."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from .models import Notification
from .sender import sender_name

CLAIM_EXPIRY_SECONDS = 600


def absolute_link(link: str) -> str:
    """A link as an email needs it: a path in the portal ("/cases/4/") gains `SITE_URL`; a full address stays as it is."""
    if link.startswith("/"):
        return f"{settings.SITE_URL.rstrip('/')}{link}"
    return link or settings.SITE_URL


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def notification_email(self, notification_id):
    """Email one notification to its recipient, exactly once.

    The row is claimed with a conditional update (only an unsent, unclaimed or stale-claimed row
    changes), so two deliveries of the same task cannot both send. A mail-server failure releases
    the claim and retries with backoff.
    """
    now = timezone.now()
    stale = now - timezone.timedelta(seconds=CLAIM_EXPIRY_SECONDS)
    claimed = Notification.objects.filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale),
        pk=notification_id,
        emailed_at__isnull=True,
    ).update(email_claimed_at=now)
    if claimed != 1:
        return "already sent or being sent"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notification.recipient.email or not notification.recipient.is_active:
        Notification.objects.filter(pk=notification_id).update(emailed_at=now)
        return "no address"
    try:
        send_mail(
            subject=f"[{sender_name()}] {notification.subject}",
            message=f"{notification.body}\n\nSign in to Neglect Portal to see it: {absolute_link(notification.link)}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
    except OSError:
        Notification.objects.filter(pk=notification_id).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return "sent"
