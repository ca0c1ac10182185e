"""The session key changes when the second factor is passed (issue 22, hardening).

Before the fix the key chosen at the password step survived the code step, so a key seen or fixed
while only the password was known became a fully signed-in session.
"""

import time_machine
from django.urls import reverse

from tests.factories import PASSWORD


def _recovery_code(user):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    return device.token_set.create(token=StaticToken.random_token()).token


def test_the_session_key_changes_when_the_code_is_accepted(world, client):
    code = _recovery_code(world.users["lead_practitioner"])
    client.post(reverse("login"), {"username": "lead_practitioner", "password": PASSWORD})
    after_password = client.session.session_key
    response = client.post(reverse("two_factor_verify"), {"code": code})
    assert response["Location"] == reverse("home")
    assert client.session.session_key != after_password
    assert client.get(reverse("home")).status_code == 200


def test_the_session_key_changes_when_an_authenticator_is_set_up(world, client):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False):
        client.post(reverse("login"), {"username": "partner_practitioner", "password": PASSWORD})
        client.get(reverse("two_factor_setup"))
        after_password = client.session.session_key
        device = TOTPDevice.objects.get(user=world.users["partner_practitioner"], confirmed=False)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post(reverse("two_factor_setup"), {"code": f"{totp.token():06d}"})
        assert response["Location"] == reverse("two_factor_recovery_codes")
        assert client.session.session_key != after_password
        assert len(client.get(reverse("two_factor_recovery_codes")).context["codes"]) == 10
