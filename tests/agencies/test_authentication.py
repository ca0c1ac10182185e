import pytest
import time_machine
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _recovery_code(username):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(user=get_user_model().objects.get(username=username), name="Recovery codes")
    return device.token_set.create(token=StaticToken.random_token()).token


def _login_fully(client, username):
    """Password, then the second factor (a recovery code)."""
    code = _recovery_code(username)
    _login(client, username, PASSWORD)
    response = client.post(reverse("two_factor_verify"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_login_writes_an_audit_row_and_rotates_the_session_key(world, client):
    client.get(reverse("login"))
    before = client.session.session_key
    response = _login(client, "lead_practitioner", PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert AccessEvent.objects.filter(action=AuditAction.LOGIN, username="lead_practitioner").count() == 1


def test_failed_login_is_explained_and_audited(world, client):
    response = _login(client, "lead_practitioner", "wrong-password")
    assert "Enter a correct username and password" in response.content.decode()
    assert 'value="lead_practitioner"' in response.content.decode()
    assert AccessEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username="lead_practitioner").count() == 1


def test_repeated_failures_lock_the_account_with_a_clear_message(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "lead_practitioner", "wrong-password")
    response = _login(client, "lead_practitioner", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_destroys_the_session(world, client):
    _login_fully(client, "lead_practitioner")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
    assert AccessEvent.objects.filter(action=AuditAction.LOGOUT, username="lead_practitioner").count() == 1


def test_session_expires_after_the_idle_timeout(world, client, settings):
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        _login_fully(client, "lead_practitioner")
        clock.shift(60 * (settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(60 * (settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(reverse("home")).status_code == 200, "activity renews the idle timer"
        clock.shift(60 * (settings.SESSION_IDLE_MINUTES + 1))
        assert client.get(reverse("home")).status_code == 302


def test_deactivating_a_user_ends_their_sessions(world, client, client_for):
    from agencies.services import user_update

    _login_fully(client, "partner_practitioner")
    assert client.get(reverse("home")).status_code == 200
    user = world.users["partner_practitioner"]
    user_update(
        user=user,
        agency=world.school,
        role="practitioner",
        email=user.email,
        first_name="P",
        last_name="P",
        job_title="",
        is_active=False,
        actor=world.users["admin"],
    )
    assert client.get(reverse("home")).status_code == 302


def test_api_token_needs_password_and_second_factor(world, client):
    code = _recovery_code("lead_practitioner")
    no_code = client.post(reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD})
    no_password = client.post(reverse("api:token"), {"username": "lead_practitioner"})
    good = client.post(reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD, "otp_token": code})
    assert no_code.status_code == 400 and "otp_token" in no_code.json()
    assert no_password.status_code == 400 and "password" in no_password.json()
    assert set(good.json()) == {"token", "expires_at"}


def test_api_token_authenticates_later_calls(world, client):
    code = _recovery_code("lead_practitioner")
    token = client.post(reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD, "otp_token": code}).json()["token"]
    from django.test import Client

    me = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json() == {"username": "lead_practitioner", "agency": "Community Health Trust", "role": "practitioner"}


@pytest.mark.parametrize("path", ["/", "/partnership/agencies/", "/audit/"])
def test_pages_send_anonymous_users_to_sign_in(db, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_first_sign_in_sets_up_an_authenticator_before_any_child_data(world, client):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        response = _login(client, "partner_practitioner", PASSWORD)
        assert response["Location"] == reverse("home")
        assert client.get(reverse("home"))["Location"] == reverse("two_factor_setup")
        assert client.get(reverse("cases:case_detail", args=[world.case.pk]))["Location"] == reverse("two_factor_setup")
        setup = client.get(reverse("two_factor_setup"))
        assert "data:image/svg+xml;base64," in setup.content.decode()
        device = TOTPDevice.objects.get(user=world.users["partner_practitioner"], confirmed=False)
        wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
        assert "The code is wrong or has expired" in wrong.content.decode()
        clock.shift(5)  # a wrong code throttles the device for a moment
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        done = client.post(reverse("two_factor_setup"), {"code": f"{totp.token():06d}"})
        assert done["Location"] == reverse("two_factor_recovery_codes")
        codes = client.get(reverse("two_factor_recovery_codes")).context["codes"]
        assert len(codes) == 10
        assert client.get(reverse("cases:case_detail", args=[world.case.pk])).status_code == 200


def test_unverified_session_reaches_no_child_data_through_the_api_either(world, client):
    _login(client, "partner_practitioner", PASSWORD)
    response = client.get(reverse("api:case-detail", args=[world.case.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_setup")


def test_admin_resets_a_lost_second_factor_and_the_user_sets_it_up_again(world, client_for, client):
    from django_otp import user_has_device

    _login_fully(client, "partner_practitioner")
    user = world.users["partner_practitioner"]
    client_for(world.users["admin"]).post(reverse("agencies:user_reset_two_factor", args=[user.pk]))
    assert not user_has_device(user)
    assert client.get(reverse("home")).status_code == 302, "their sessions ended"
    assert AccessEvent.objects.filter(object_type="two_factor", detail__contains="reset for partner_practitioner").exists()


def test_session_ends_at_the_absolute_timeout_however_active(world, client, settings):
    settings.SESSION_ABSOLUTE_HOURS = 2
    with time_machine.travel("2026-11-24 08:00:00+00:00", tick=False) as clock:
        _login_fully(client, "lead_practitioner")
        for _ in range(5):  # busy: a request every 20 minutes, for 1 hour 40 minutes
            clock.shift(20 * 60)
            assert client.get(reverse("home")).status_code == 200
        clock.shift(21 * 60)  # 2 hours and 1 minute after signing in
        assert client.get(reverse("home")).status_code == 302
        assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
