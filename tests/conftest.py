"""Shared fixtures: one user per role x agency relation (docs/conventions.md, "Tests"), around one case.

The case is led by a community health agency; a school is a partner in the team; the police are
outside the team; one police officer holds an explicit grant. Children's social care sees all cases.
"""

import os
from dataclasses import dataclass

import pytest
import redis
from django.contrib.auth import get_user_model

from agencies.access import case_grant
from agencies.models import AgencyKind, Role

from .factories import make_agency, make_case, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("NEGLECT_REQUIRE_SERVICES") == "1"


def require_or_skip(reason):
    """Skip a test whose service is missing, except under bin/test and CI, where that is a failure."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (bin/test requires it)")
    pytest.skip(reason)


@pytest.fixture
def redis_broker_url():
    """The test Redis the real-worker tests use as broker (CELERY_TEST_BROKER_URL), checked reachable."""
    url = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        require_or_skip(f"no Redis at {url}")
    return url


@dataclass
class World:
    csc: object
    health: object
    school: object
    police: object
    public_health: object
    case: object
    users: dict


# Kinds of user in the access matrix, each in a fixed relation to `world.case`.
USER_KINDS = [
    "lead_practitioner",
    "lead_manager",
    "partner_practitioner",
    "partner_dsl",
    "outsider",
    "granted",
    "csc_practitioner",
    "csc_manager",
    "strategy",
    "admin",
    "auditor",
    "inactive",
    "superuser",
    "anonymous",
]


@pytest.fixture
def world(db):
    csc = make_agency(AgencyKind.CHILDRENS_SOCIAL_CARE, name="Children's Social Care")
    health = make_agency(AgencyKind.COMMUNITY_HEALTH, name="Community Health Trust")
    school = make_agency(AgencyKind.SCHOOL, name="Riverside School")
    police = make_agency(AgencyKind.POLICE, name="County Police")
    public_health = make_agency(AgencyKind.PUBLIC_HEALTH, name="Public Health")
    users = {
        "lead_practitioner": make_user(health, Role.PRACTITIONER, "lead_practitioner", first_name="Leah", last_name="Lead"),
        "lead_manager": make_user(health, Role.MANAGER, "lead_manager"),
        "partner_practitioner": make_user(school, Role.PRACTITIONER, "partner_practitioner"),
        "partner_dsl": make_user(school, Role.DSL, "partner_dsl"),
        "outsider": make_user(police, Role.PRACTITIONER, "outsider"),
        "granted": make_user(police, Role.PRACTITIONER, "granted"),
        "csc_practitioner": make_user(csc, Role.PRACTITIONER, "csc_practitioner"),
        "csc_manager": make_user(csc, Role.MANAGER, "csc_manager"),
        "strategy": make_user(public_health, Role.STRATEGY_MEMBER, "strategy"),
        "admin": make_user(csc, Role.PARTNERSHIP_ADMIN, "admin"),
        "auditor": make_user(csc, Role.AUDITOR, "auditor"),
        "inactive": make_user(health, Role.PRACTITIONER, "inactive"),
    }
    inactive = users["inactive"]
    inactive.is_active = False
    inactive.save()
    users["superuser"] = get_user_model().objects.create_superuser("superuser", "root@example.org", "x-Superuser-pass-1")
    users["anonymous"] = None
    case = make_case(health, team=[school], lead_professional=users["lead_practitioner"])
    case_grant(granted_by=users["admin"], case=case, user=users["granted"], reason="Joint investigation")
    return World(csc=csc, health=health, school=school, police=police, public_health=public_health, case=case, users=users)


def verified_device(user):
    """A confirmed authenticator for the user (tests sign in as users who set up two-factor)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def sign_in_verified(client, user):
    """Sign the client in as `user` with the second factor already passed, as after the code page."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(client):
    """A test client signed in (password and second factor) as a kind of user (anonymous: not signed in)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            sign_in_verified(c, user)
        return c

    return make
