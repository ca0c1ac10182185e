"""Your account: your API tokens, your password, and the emailed "set your password" link.

docs/security.md, "Finding 3" (tokens) and "Finding 6" (nobody chooses another person's password).
The link pages are Django's own (`PasswordResetConfirmView`: it moves the token out of the address
into the session before showing the form, so it never reaches a Referer header or the access log),
with our forms and templates, and our services doing the write.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import access, services, tokens
from .forms import AccountPasswordChangeForm, PasswordResetRequestForm, PasswordSetForm


@login_required
def account(request):
    """The signed-in person's account: who they are, their password, and their API tokens."""
    now = timezone.now()
    rows = [{"token": token, "live": token.revoked_at is None and token.expires_at > now} for token in tokens.tokens_of(user=request.user)[:100]]
    return render(
        request,
        "agencies/account.html",
        {
            "rows": rows,
            "membership": access.membership_of(request.user),
            "ttl_hours": settings.API_TOKEN_TTL_HOURS,
        },
    )


@login_required
@require_http_methods(["POST"])
def account_token_revoke(request, token_id):
    """End one of your own API tokens now (another person's: 404, audited)."""
    token = access.access_api_token(request.user, token_id, request=request)
    if tokens.token_revoke(token=token, actor=request.user, request=request):
        messages.success(request, f"Token {token.key_prefix}… revoked. Anything using it must ask for a new one.")
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your password (signed in, second factor passed): other sessions and every API token end."""

    form_class = AccountPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        services.password_change(user=self.request.user, password=form.cleaned_data["new_password1"], request=self.request)
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "Password changed. Your other sessions and your API tokens have ended.")
        return redirect(self.get_success_url())


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The emailed one-time link: set your password. Works once (the password's hash changes) and expires."""

    form_class = PasswordSetForm
    template_name = "registration/password_set.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        services.password_set(user=self.user, password=form.cleaned_data["new_password1"], request=self.request)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


def _over_limit(key):
    """Count one more event under `key` this hour; True once it passes PASSWORD_RESET_PER_HOUR."""
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.PASSWORD_RESET_PER_HOUR


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """ "Forgot your password?": the same answer whether or not an account has the address.

    Throttled per IP address (429 page, which says nothing about the address) and per address
    (beyond the limit the page answers as usual and sends nothing).
    """
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _over_limit(f"password-reset:ip:{request.META.get('REMOTE_ADDR', '')}"):
            return render(request, "registration/password_reset_limited.html", status=429)
        email = form.cleaned_data["email"].strip().lower()
        if not _over_limit(f"password-reset:email:{hashlib.sha256(email.encode()).hexdigest()}"):
            services.password_reset_request(email=email, request=request)
        return redirect("password_reset_done")
    return render(request, "registration/password_reset.html", {"form": form})


def password_reset_done(request):
    return render(request, "registration/password_reset_done.html", {"hours": settings.PASSWORD_LINK_HOURS})


def password_reset_complete(request):
    return render(request, "registration/password_reset_complete.html")
