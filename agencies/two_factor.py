"""Two-factor authentication (TOTP with recovery codes) required before any child's data is reachable.

A signed-in session that has not passed its second factor is sent to set one up (first sign-in) or
to enter a code; only the pages in ALLOWED_URL_NAMES are open to it. The access layer refuses such a
session too (`access.membership_of`), so a page forgotten here still shows nothing. API tokens are
issued only against a password AND a current code (`agencies.api.TokenView`).
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import resolve
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction
from audit.services import audit_record

ALLOWED_URL_NAMES = {
    "login",
    "logout",
    "accessibility",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery_codes",
    # "Forgot your password?" and the emailed link: pages for people who are not signed in.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Single sign-on: the provider's return reaches a session that has not passed a second factor.
    "sso_start",
    "sso_callback",
    "sso_provider_sign_out",
    "signed_out",
}
RECOVERY_CODES = 10


def is_verified(user):
    """False only for a browser session that has not passed its second factor.

    `is_verified` is set on request users by django-otp's middleware; users that did not come from a
    session (API tokens, which need a code to be issued; tasks; tests of services) have no such
    attribute and count as verified.
    """
    check = getattr(user, "is_verified", None)
    return True if check is None or not settings.TWO_FACTOR_REQUIRED else bool(check())


# Session key: the user whose OpenID Connect provider asserted multi-factor authentication at sign-in
# (set by sso/views.py only when the ID token's amr/acr say so, see OIDC_MFA_AMR_VALUES).
MFA_ASSERTED_USER = "sso_mfa_asserted_user"


def provider_mfa_counts(request):
    """True when this session's user signed in through an OpenID Connect provider that asserted MFA."""
    return request.session.get(MFA_ASSERTED_USER) == request.user.pk


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and settings.TWO_FACTOR_REQUIRED and provider_mfa_counts(request):
            # This session signed in through the agency's provider, which asserted MFA (sso/backends.py).
            user.is_verified = lambda: True
        if user.is_authenticated and not is_verified(user) and not request.path.startswith(settings.STATIC_URL):
            match = resolve(request.path_info)
            if match.url_name not in ALLOWED_URL_NAMES:
                target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
                return redirect(target)
        return self.get_response(request)


def pending_device(user):
    """The user's unconfirmed authenticator (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_data_uri(device):
    """The otpauth:// address as a QR code SVG, for an <img> (no inline SVG: the CSP forbids its styles)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_typing(device):
    """The key in base32, in groups of four, for people who cannot scan the code."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def device_confirm(*, user, device, request=None):
    """Confirm the authenticator and issue fresh recovery codes (returned once, shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    codes = recovery_codes_issue(user=user)
    audit_record(user=user, action=AuditAction.UPDATE, object_type="two_factor", object_id=user.pk, detail="authenticator set up", request=request)
    return codes


def recovery_codes_issue(*, user):
    static, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify_code(user, code):
    """The confirmed device (authenticator or recovery code) that accepts `code`, or None.

    TOTP devices throttle repeated failures themselves; a recovery code works once.
    """
    code = (code or "").replace(" ", "").strip()
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def two_factor_reset(*, actor, user, request=None):
    """A partnership admin clears a user's second factor (lost phone); the user sets one up again.

    Whoever knows the password must not be able to enrol a new authenticator (docs/security.md,
    "Finding 6"), so the password is made unusable, sessions and API tokens end, and the user is
    emailed a one-time "set your password" link: re-enrolment needs their mailbox, and the admin
    never holds a usable credential. Nobody resets their own (`access.can_edit_account`, finding 5):
    refused before the transaction, so the refusal's audit row stays, whatever path calls this.
    """
    # Imported here: the access layer imports this module.
    from . import access

    access.require_account_edit(actor, user, request=request)
    with transaction.atomic():
        _two_factor_reset(actor=actor, user=user, request=request)


def _two_factor_reset(*, actor, user, request):
    # Imported here: services imports the access layer, which imports this module.
    from . import tasks, tokens
    from .services import password_link_send, sessions_end_for

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    sessions_end_for(user)
    tokens.tokens_revoke_for(user=user, reason=tokens.REVOKED_SECOND_FACTOR_RESET)
    password_link_send(user=user, purpose=tasks.SECOND_FACTOR_RESET)
    audit_record(
        user=actor, action=AuditAction.UPDATE, object_type="two_factor", object_id=user.pk, detail=f"second factor reset for {user.username}", request=request
    )


class AbsoluteSessionTimeoutMiddleware:
    """Ends a session SESSION_ABSOLUTE_HOURS after sign-in, however active (the idle timeout is separate).

    A shared or stolen session cannot live for days by being kept busy.
    """

    KEY = "signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import logout
        from django.utils import timezone

        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                return redirect("login")
        return self.get_response(request)
