"""Sending a text message to a family (their feedback link): one small interface, backends chosen by a setting.

`QUALITY_TEXT_BACKEND` names the class. Shipped: `ConsoleTextBackend` (the default: writes the message
to the log, for the demo and for a deployment that has not chosen a provider) and `LocmemTextBackend`
(keeps messages in `outbox`, for tests). A GOV.UK Notify backend would implement `send` with the
Notify client and the partnership's API key; it is not built here because Notify cannot be reached
from this environment to test it.
"""

import logging
import re

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# A UK mobile number: 07 and nine digits, or +447 and nine digits (spaces and dashes allowed when typed).
UK_MOBILE = re.compile(r"^(?:\+44|0)7\d{9}$")


class TextSendError(OSError):
    """The provider refused or could not be reached; the task retries with backoff (an OSError, like a mail failure)."""


def normalise_mobile(value):
    """The number without spaces or dashes, or None when it is not a UK mobile number."""
    number = re.sub(r"[\s-]", "", value or "")
    return number if UK_MOBILE.match(number) else None


class BaseTextBackend:
    def send(self, *, to, body):
        raise NotImplementedError


class ConsoleTextBackend(BaseTextBackend):
    """Writes the message to the log instead of sending it (the number is shown only by its last three digits)."""

    def send(self, *, to, body):
        logger.info("Text message to a number ending %s: %s", to[-3:], body)


class LocmemTextBackend(BaseTextBackend):
    """Keeps every message in `outbox` (a list of {"to", "body"}), as Django's locmem email backend does."""

    outbox = []

    def send(self, *, to, body):
        LocmemTextBackend.outbox.append({"to": to, "body": body})


def send_text(*, to, body):
    backend = import_string(getattr(settings, "QUALITY_TEXT_BACKEND", "quality.texting.ConsoleTextBackend"))()
    backend.send(to=to, body=body)
