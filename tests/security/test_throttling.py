"""Repeated failed sign-ins lock per account and IP, per IP and per account; the API throttles per
IP (anonymous) and per user (signed in). Limits are lowered here; the defaults live in settings."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from agencies.tokens import token_issue
from tests.factories import PASSWORD


@pytest.fixture
def low_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_IP_FAILURE_LIMIT = 6
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 6
    return settings


def _sign_in(username, password, ip):
    return Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": username, "password": password})


def test_one_ip_guessing_many_accounts_is_locked_for_every_username(world, low_limits):
    # Two failures per username stay under the account-and-IP limit; the sixth from the address locks it.
    statuses = [
        _sign_in(name, "wrong-password", "10.1.1.1").status_code for name in ["lead_practitioner", "lead_manager", "partner_practitioner"] for _ in range(2)
    ]
    assert statuses == [200] * 5 + [429]
    locked = _sign_in("partner_dsl", PASSWORD, "10.1.1.1")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "too many failed attempts to sign in from this connection" in page
    assert "try again in 15 minutes" in page
    assert _sign_in("partner_dsl", PASSWORD, "10.1.1.2").status_code == 302, "other connections are not affected"


def test_one_account_sprayed_from_many_ips_is_locked_from_everywhere(world, low_limits):
    statuses = [_sign_in("lead_practitioner", "wrong-password", f"10.2.0.{i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429], "one failure from each of six addresses"
    locked = _sign_in("lead_practitioner", PASSWORD, "10.2.9.9")
    assert locked.status_code == 429
    assert "with this username, from several connections" in locked.content.decode()
    assert _sign_in("lead_manager", PASSWORD, "10.2.0.1").status_code == 302, "other accounts on those connections are not affected"


def test_account_and_ip_pair_locks_first_with_its_own_message(world, low_limits):
    for _ in range(3):
        _sign_in("lead_practitioner", "wrong-password", "10.3.0.1")
    locked = _sign_in("lead_practitioner", PASSWORD, "10.3.0.1")
    assert locked.status_code == 429
    assert "with this username from this connection" in locked.content.decode()
    assert _sign_in("lead_practitioner", PASSWORD, "10.3.0.2").status_code == 302


def test_locked_api_token_requests_are_refused_too(world, low_limits):
    client = Client(REMOTE_ADDR="10.4.0.1")
    for _ in range(3):
        client.post(reverse("api:token"), {"username": "lead_practitioner", "password": "wrong-password", "otp_token": "123456"})
    response = client.post(reverse("api:token"), {"username": "lead_practitioner", "password": PASSWORD, "otp_token": "123456"})
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many failed sign-in attempts. Try again later."}


@pytest.fixture
def low_api_rates(monkeypatch):
    """DRF binds the rates at import: patch them on the throttle class, and start from an empty cache."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute", "token": "1000/minute"})
    cache.clear()
    yield
    cache.clear()


def test_anonymous_api_calls_are_throttled_per_ip(world, low_api_rates):
    def ask(ip):
        return Client(REMOTE_ADDR=ip).post(reverse("api:token"), {"username": "nobody", "password": "x"})

    assert [ask("10.5.0.1").status_code for _ in range(4)] == [400, 400, 400, 429]
    assert ask("10.5.0.2").status_code == 400, "another address has its own allowance"


def test_signed_in_api_calls_are_throttled_per_user(world, low_api_rates):
    keys = {}

    def me(user, ip):
        key = keys.setdefault(user.pk, token_issue(user=user)[1])
        return Client(REMOTE_ADDR=ip).get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")

    lead = world.users["lead_practitioner"]
    statuses = [me(lead, f"10.6.0.{i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429], "the allowance follows the user, not the address"
    throttled = me(lead, "10.6.1.1")
    assert "Retry-After" in throttled
    assert me(world.users["lead_manager"], "10.6.0.1").status_code == 200
