import pytest
import time_machine
from django.urls import reverse

from audit.models import AccessEvent, AuditAction
from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


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
    _login(client, "lead_practitioner", PASSWORD)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
    assert AccessEvent.objects.filter(action=AuditAction.LOGOUT, username="lead_practitioner").count() == 1


def test_session_expires_after_the_idle_timeout(world, client, settings):
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        _login(client, "lead_practitioner", PASSWORD)
        clock.shift(60 * (settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(60 * (settings.SESSION_IDLE_MINUTES - 1))
        assert client.get(reverse("home")).status_code == 200, "activity renews the idle timer"
        clock.shift(60 * (settings.SESSION_IDLE_MINUTES + 1))
        assert client.get(reverse("home")).status_code == 302


def test_deactivating_a_user_ends_their_sessions(world, client, client_for):
    from agencies.services import user_update

    _login(client, "partner_practitioner", PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    user = world.users["partner_practitioner"]
    user_update(user=user, agency=world.school, role="practitioner", email=user.email, first_name="P", last_name="P",
                job_title="", is_active=False, actor=world.users["admin"])
    assert client.get(reverse("home")).status_code == 302


def test_api_token_for_good_credentials_and_400_with_field_errors_for_bad(world, client):
    good = client.post(reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD})
    bad = client.post(reverse("api:token"), {"username": "lead_practitioner"})
    assert set(good.json()) == {"token"}
    assert bad.status_code == 400 and "password" in bad.json()


def test_api_token_authenticates_later_calls(world, client):
    token = client.post(reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD}).json()["token"]
    from django.test import Client

    me = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json() == {"username": "lead_practitioner", "agency": "Community Health Trust", "role": "practitioner"}


@pytest.mark.parametrize("path", ["/", "/partnership/agencies/", "/audit/"])
def test_pages_send_anonymous_users_to_sign_in(db, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
