"""Sign-in lockout, the first factor's guard: per account and IP, per IP, and per account.

django-axes counts failures and locks one username from one IP after AXES_FAILURE_LIMIT. It has
one limit for every lockout parameter, and a per-IP limit that low would lock a whole office behind
one address, so this handler adds two higher limits over the same failure records, each within the
cool-off window:

- AXES_IP_FAILURE_LIMIT failures from one IP, whatever the usernames (one machine guessing many
  accounts);
- AXES_ACCOUNT_FAILURE_LIMIT failures for one username, whatever the IPs (password spraying from
  many addresses). This also lets a stranger lock someone out for the cool-off period: the limit
  is high to make that costly, and the lockout ends by itself.

The lockout page says which limit was reached (`lockout_response`).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

ACCOUNT_AND_IP, IP, ACCOUNT = "account_and_ip", "ip", "account"


def _recent_failures(request, **lookup):
    attempts = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request), **lookup)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_reason(request, credentials=None):
    """Which limit this sign-in attempt is over (ACCOUNT_AND_IP, IP, ACCOUNT), or None."""
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None)
    if username and ip_address and _recent_failures(request, username=username, ip_address=ip_address) >= settings.AXES_FAILURE_LIMIT:
        return ACCOUNT_AND_IP
    if ip_address and _recent_failures(request, ip_address=ip_address) >= settings.AXES_IP_FAILURE_LIMIT:
        return IP
    if username and _recent_failures(request, username=username) >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
        return ACCOUNT
    return None


class SignInLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        return lockout_reason(request, credentials) is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """Record the failure (axes), then lock when any of the three limits is reached, not only the pair's."""
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and settings.AXES_LOCK_OUT_AT_FAILURE and lockout_reason(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request, original_response=None, credentials=None):
    """The 'Sign-in locked for now' page (HTTP 429) naming the limit reached and when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"reason": lockout_reason(request, credentials) or ACCOUNT_AND_IP, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
