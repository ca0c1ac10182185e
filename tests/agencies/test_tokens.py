"""API tokens expire, are revocable and listed per user (issue 22, finding 3; docs/security.md).

The attacks, each of which passed before the fix: a token outliving a second-factor reset (the
"lost phone" action), the same key handed out again, and a token that never expires.
"""

import time_machine
from django.test import Client
from django.urls import reverse

from agencies.models import ApiToken
from audit.models import AccessEvent, AuditAction
from tests.factories import PASSWORD


def _recovery_code(user):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    return device.token_set.create(token=StaticToken.random_token()).token


def _api_token(user):
    """A token from the token API, against the password and a second-factor code (as an integration gets one)."""
    response = Client().post(reverse("api:token"), {"username": user.username, "password": PASSWORD, "otp_token": _recovery_code(user)})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(token):
    return Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token}")


def test_a_second_factor_reset_ends_the_users_api_tokens(world, client_for):
    user = world.users["partner_practitioner"]
    token = _api_token(user)
    assert _me(token).status_code == 200
    client_for(world.users["admin"]).post(reverse("agencies:user_reset_two_factor", args=[user.pk]))
    assert _me(token).status_code == 401


def test_each_request_for_a_token_gets_a_new_one(world):
    user = world.users["lead_practitioner"]
    first, second = _api_token(user), _api_token(user)
    assert first != second
    assert _me(first).status_code == 200 and _me(second).status_code == 200


def test_a_token_expires_after_its_time_to_live(world, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        token = _api_token(world.users["lead_practitioner"])
        clock.shift(2 * 3600 - 60)
        assert _me(token).status_code == 200
        clock.shift(120)
        response = _me(token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_the_token_answer_says_when_it_expires(world, settings):
    settings.API_TOKEN_TTL_HOURS = 5
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False):
        response = Client().post(
            reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD, "otp_token": _recovery_code(world.users["lead_practitioner"])}
        )
    assert response.json()["expires_at"].startswith("2026-11-24T14:00:00")


def test_only_a_digest_of_the_key_is_stored(world):
    token = _api_token(world.users["lead_practitioner"])
    row = ApiToken.objects.get()
    assert row.digest != token and token not in row.digest and row.key_prefix == token[:8]
    assert not ApiToken.objects.filter(digest=token).exists()


def test_deactivation_revokes_every_token(world, client_for):
    user = world.users["partner_practitioner"]
    token = _api_token(user)
    client_for(world.users["admin"]).post(
        reverse("agencies:user_edit", args=[user.pk]),
        {"first_name": "P", "last_name": "P", "email": user.email, "agency": world.school.pk, "role": "practitioner", "job_title": ""},
    )
    assert _me(token).status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == "account deactivated"


def test_a_password_change_revokes_every_token(world, client_for):
    user = world.users["lead_practitioner"]
    token = _api_token(user)
    response = client_for(user).post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "a-New-long-passphrase-7", "new_password2": "a-New-long-passphrase-7"}
    )
    assert response.status_code == 302
    assert _me(token).status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == "password changed"


def test_the_account_page_lists_the_users_own_tokens_only(world, client_for):
    mine = _api_token(world.users["lead_practitioner"])
    theirs = _api_token(world.users["lead_manager"])
    html = client_for(world.users["lead_practitioner"]).get(reverse("account")).content.decode()
    assert mine[:8] in html and theirs[:8] not in html
    assert mine not in html, "the key itself is shown once, in the token API's answer, never again"


def test_a_user_revokes_their_own_token_with_one_audit_row(world, client_for):
    user = world.users["lead_practitioner"]
    token = _api_token(user)
    row = ApiToken.objects.get(user=user)
    client = client_for(user)
    before = AccessEvent.objects.count()
    response = client.post(reverse("account_token_revoke", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("account")
    assert _me(token).status_code == 401
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.filter(action=AuditAction.DELETE, object_type="api_token", object_id=str(row.pk)).count() == 1


def test_nobody_revokes_another_persons_token(world, client_for):
    token = _api_token(world.users["lead_manager"])
    row = ApiToken.objects.get()
    admin = client_for(world.users["admin"])
    before = AccessEvent.objects.count()
    response = admin.post(reverse("account_token_revoke", args=[row.pk]))
    assert response.status_code == 404
    assert AccessEvent.objects.count() == before + 1
    assert AccessEvent.objects.filter(action=AuditAction.DENIED, object_type="api_token").count() == 1
    assert _me(token).status_code == 200


def test_the_token_list_api_shows_the_callers_tokens_without_keys(world):
    mine = _api_token(world.users["lead_practitioner"])
    _api_token(world.users["lead_manager"])
    response = Client().get(reverse("api:token_list"), HTTP_AUTHORIZATION=f"Token {mine}")
    assert response.status_code == 200
    assert [row["key_prefix"] for row in response.json()] == [mine[:8]]
    assert mine not in response.content.decode()
