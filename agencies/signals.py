"""Login, logout and failed-login audit rows."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditAction
from audit.services import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(user=user, action=AuditAction.LOGIN, object_type="session", request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(user=user, action=AuditAction.LOGOUT, object_type="session", request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # A refused single sign-on has no typed username: sso/backends.py leaves the provider's email on the request.
    username = credentials.get("username") or getattr(request, "sso_refused_email", "")
    detail = getattr(request, "sso_refusal_detail", "")
    audit_record(user=None, action=AuditAction.LOGIN_FAILED, object_type="session", username=username, detail=detail, request=request)
