"""Pages for setting up and entering the second factor."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device

from audit.models import AuditAction
from audit.services import audit_record
from neglect_portal.govuk_forms import GovukFormMixin

from . import two_factor


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """First sign-in: scan the QR code, type a code to prove it works, get recovery codes."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            codes = two_factor.device_confirm(user=request.user, device=device, request=request)
            otp_login(request, device)
            # A new session key once the second factor is passed: a key seen before it is worth nothing.
            request.session.cycle_key()
            request.session["recovery_codes"] = codes
            return redirect("two_factor_recovery_codes")
        form.add_error("code", "The code is wrong or has expired. Enter the code your app shows now.")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_data_uri(device),
            "secret": two_factor.secret_for_typing(device),
        },
    )


@login_required
def recovery_codes(request):
    """Shown once, straight after set-up."""
    codes = request.session.pop("recovery_codes", None)
    if codes is None:
        return redirect("home")
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            # A new session key once the second factor is passed (issue 22, hardening): a key fixed or
            # seen before this step, when only the password was known, is worth nothing after it.
            request.session.cycle_key()
            audit_record(user=request.user, action=AuditAction.LOGIN, object_type="two_factor", detail=f"second factor: {device.name}", request=request)
            return redirect("home")
        audit_record(user=request.user, action=AuditAction.LOGIN_FAILED, object_type="two_factor", detail="wrong code", request=request)
        form.add_error("code", "The code is wrong or has expired. Enter the code your app shows now, or a recovery code.")
    return render(request, "registration/two_factor_verify.html", {"form": form})
