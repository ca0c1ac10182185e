"""Account emails: the "set your password" link, and a notice when an account's address changes.

The link (docs/security.md, "Finding 6") is made when the email is sent, from the account as it is
then, with Django's password-reset token generator: it holds a hash of the account's password
(usable or not), its last sign-in and its email address, so it stops working once a password is
set through it, after the next sign-in, after another reset, and after PASSWORD_LINK_HOURS. The link
itself is never stored (not in a notification, not in the access log).

No claim row makes these idempotent, on purpose: a second delivery sends a second link to the same
mailbox, which is harmless, and a claim row would have to outlive the token it guards.
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.sender import sender_name

INVITATION = "invitation"
SECOND_FACTOR_RESET = "second_factor_reset"
PASSWORD_RESET = "password_reset"

SUBJECTS = {
    INVITATION: "Your Neglect Portal account: set your password",
    SECOND_FACTOR_RESET: "Your Neglect Portal two-factor authentication was reset: set a new password",
    PASSWORD_RESET: "Reset your Neglect Portal password",
}

OPENINGS = {
    INVITATION: "{partnership} has given you an account on Neglect Portal, where the partnership's agencies record their work "
    "to keep children safe from neglect.",
    SECOND_FACTOR_RESET: "A partnership admin reset the two-factor authentication of your Neglect Portal account (for example after "
    "a lost phone). To keep the account safe, your password no longer works, you have been signed out and your API tokens have ended.",
    PASSWORD_RESET: "Someone asked to reset the password of your Neglect Portal account. If it was you, use the link below. "
    "If it was not, ignore this email: your password has not changed.",
}

AFTERWARDS = {
    INVITATION: "Then sign in and set up two-factor authentication with an authenticator app on your phone.",
    SECOND_FACTOR_RESET: "Then sign in and set up two-factor authentication again with an authenticator app on your phone.",
    PASSWORD_RESET: "Then sign in with your new password and your authenticator app.",
}


def password_link(user) -> str:
    """The absolute one-time "set your password" address for `user` (SITE_URL + the confirm page)."""
    path = reverse("password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return f"{settings.SITE_URL}{path}"


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def password_link_email(self, user_id, purpose):
    """Email `purpose`'s message with a fresh "set your password" link to an active user with an address."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return "no address"
    hours = settings.PASSWORD_LINK_HOURS
    body = "\n\n".join(
        [
            f"Hello {user.first_name or user.username},",
            OPENINGS[purpose].format(partnership=sender_name()),
            f"Your username: {user.username}",
            f"Set your password with this link. It works once, for {hours} hours:\n{password_link(user)}",
            AFTERWARDS[purpose],
            "If you did not expect this email, do not use the link and tell your partnership admin.",
        ]
    )
    send_mail(subject=f"[{sender_name()}] {SUBJECTS[purpose]}", message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email])
    return "sent"


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def email_change_notice(self, user_id, old_email):
    """Tell the old address that an admin changed the account's email address.

    An admin who points someone's address at their own mailbox could then reset the second factor
    and receive the link; the person hears of it here, and the change is in the access log.
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not old_email:
        return "no address"
    body = "\n\n".join(
        [
            f"Hello {user.first_name or user.username},",
            f"A partnership admin changed the email address of your Neglect Portal account ({user.username}) to {user.email}. "
            "Emails about the account, including links to set your password, now go there.",
            "If you did not expect this, tell your partnership admin or your manager now.",
        ]
    )
    send_mail(
        subject=f"[{sender_name()}] Your Neglect Portal email address was changed",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[old_email],
    )
    return "sent"
