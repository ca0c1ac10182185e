"""API tokens: expiring, revocable, listed per user (issue 22, finding 3; docs/security.md, "Finding 3").

A token is issued by `POST /api/v1/auth/token/` against a password and a current second-factor
code (`agencies.api.TokenView`), lives API_TOKEN_TTL_HOURS, and is sent as `Authorization: Token <key>`. Each request for a token gets a new one; nothing hands
an old key out again. Tokens end early when their owner revokes them (the account page), and all of
a user's tokens end when their second factor is reset, when they are deactivated and when their
password changes (`tokens_revoke_for`, called inside those services' transactions).

Why our own small model and not django-rest-knox: knox deletes a token to revoke it (we keep the
row: who, when, why, for the owner's list and the access log), records no last use, and would add a
third-party app to the authentication path for what is one table and one class here.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from audit.models import AuditAction
from audit.services import audit_record

from .models import ApiToken

# `last_used_at` is written at most this often per token: one UPDATE per API call would be waste.
LAST_USED_RESOLUTION = timedelta(minutes=1)

REVOKED_BY_OWNER = "revoked by its owner"
REVOKED_SECOND_FACTOR_RESET = "second factor reset"
REVOKED_DEACTIVATED = "account deactivated"
REVOKED_PASSWORD_CHANGED = "password changed"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_ttl() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_TTL_HOURS)


@transaction.atomic
def token_issue(*, user, request=None) -> tuple[ApiToken, str]:
    """A new token for `user` (already authenticated by password and second factor): (row, key).

    The key is returned once and stored only as its digest. Audited as an API sign-in.
    """
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_prefix=key[:8], digest=_digest(key), expires_at=timezone.now() + token_ttl())
    audit_record(user=user, action=AuditAction.LOGIN, object_type="api_token", object_id=token.pk, detail=f"token {token.key_prefix}… issued", request=request)
    return token, key


def tokens_live_filter():
    """The condition a token must meet to authenticate: not revoked, not expired."""
    return Q(revoked_at__isnull=True, expires_at__gt=timezone.now())


def tokens_of(*, user):
    """The user's own tokens, newest first (live and ended), for their account page and the API."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def token_revoke(*, token: ApiToken, actor, request=None) -> bool:
    """The owner ends one of their tokens now (found through `access.access_api_token`). Audited once.

    Revoking an ended token changes nothing and writes nothing; returns whether it was live.
    """
    ended = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_reason=REVOKED_BY_OWNER)
    if ended:
        audit_record(
            user=actor, action=AuditAction.DELETE, object_type="api_token", object_id=token.pk, detail=f"token {token.key_prefix}… revoked", request=request
        )
    return bool(ended)


def tokens_revoke_for(*, user, reason: str) -> int:
    """End every live token of `user` (second-factor reset, deactivation, password change).

    Part of the calling service's business action: it runs in that service's transaction and the
    service's own audit row covers it. Returns how many were ended.
    """
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_reason=reason)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF authentication: `Authorization: Token <key>` for a live token of an active user.

    The key is looked up by its digest. An unknown, revoked or expired key, or an inactive owner,
    answers 401 with the same message, so the answer does not say which.
    """

    keyword = "Token"

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(tokens_live_filter(), digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token. Ask for a new one at /api/v1/auth/token/.")
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
