"""Email through GOV.UK Notify, as a Django email backend (issue 20, item 4).

Chosen with `EMAIL_BACKEND=neglect_portal.notify_email.NotifyEmailBackend`; SMTP (Django's own
backend) otherwise. Every email the portal sends (notifications, "set your password" links, notices)
goes through `django.core.mail`, so choosing the backend is all it takes.

Notify sends from a template made in its web interface; the portal's template has two placeholders,
`((subject))` and `((body))`, which take each message's subject and plain-text body
(`NOTIFY_EMAIL_TEMPLATE_ID`). The key is a Notify API key (`NOTIFY_API_KEY`, or a file named by
`NOTIFY_API_KEY_FILE`); `NOTIFY_BASE_URL` is Notify's API unless a test points it elsewhere.

Notify being down, rate-limiting (429) or failing (5xx), or the network failing, raises
`NotifyUnavailable`, an `OSError`, the error the notification task retries with backoff
(notifications/tasks.py). A refusal (400, 403: a bad address, a wrong key) is not retried: it
raises `NotifyRefused`, unless the caller asked `fail_silently`.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyUnavailable(OSError):
    """Notify could not take the email now; try again later."""


class NotifyRefused(Exception):
    """Notify refused the email; trying again will not help."""


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        api_key = getattr(settings, "NOTIFY_API_KEY", "")
        self.template_id = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "")
        if not api_key or not self.template_id:
            raise ImproperlyConfigured("The GOV.UK Notify email backend needs NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID.")
        self.client = NotificationsAPIClient(api_key, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT_SECONDS)

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                if self._send(message, address):
                    sent += 1
        return sent

    def _send(self, message, address):
        personalisation = {"subject": str(message.subject), "body": str(message.body)}
        try:
            self.client.send_email_notification(email_address=address, template_id=self.template_id, personalisation=personalisation)
        except APIError as error:
            status = error.status_code
            # The client reports a failed connection with status 503 too.
            if not isinstance(status, int) or status == 429 or status >= 500:
                raise NotifyUnavailable(f"GOV.UK Notify did not take the email: {error}") from error
            if self.fail_silently:
                return False
            raise NotifyRefused(f"GOV.UK Notify refused the email: {error}") from error
        return True
