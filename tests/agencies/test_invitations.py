"""Nobody chooses another person's password (issue 22, finding 6; issue 20, item 2).

The attacks, which worked before the fix: the admin chose (so knew) each new user's password, and
after a second-factor reset whoever knew the password enrolled a new authenticator. Now an admin
invites; the invitation, a second-factor reset and "forgot your password" each email a one-time,
expiring "set your password" link, so the mailbox, not the old password, opens the account.
"""

import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from agencies.models import Role
from audit.models import AccessEvent, AuditAction
from tests.factories import PASSWORD

NEW_PASSWORD = "a-Fresh-long-passphrase-31"
INVITE = {"username": "new.worker", "first_name": "New", "last_name": "Worker", "email": "new.worker@example.org", "role": "dsl", "job_title": "DSL"}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The "forgot your password" limits count in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent():` runs what the block queued for after commit (the emails): tests run in one transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _link_in(message, settings):
    match = re.search(r"(https?://\S+/accounts/set-password/\S+/\S+/)", message.body)
    assert match, message.body
    assert match.group(1).startswith(settings.SITE_URL + "/")
    return match.group(1)[len(settings.SITE_URL) :]


def _set_password(client, path, password=NEW_PASSWORD):
    """Follow the emailed link as a browser does: GET (the token moves into the session), then POST the form."""
    form_page = client.get(path, follow=True)
    if not form_page.context.get("validlink"):
        return form_page
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def _invite(world, client_for, sent, **extra):
    admin = client_for(world.users["admin"])
    with sent():
        return admin.post(reverse("agencies:user_create"), {**INVITE, "agency": world.school.pk, **extra})


def test_an_admin_cannot_choose_a_new_users_password(world, client_for, client, sent):
    response = _invite(world, client_for, sent, password=PASSWORD)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="new.worker")
    assert not user.has_usable_password()
    assert _login(client, "new.worker", PASSWORD).status_code == 200, "the password the admin typed opens nothing"


def test_the_invitation_link_sets_the_password_once(world, client_for, settings, sent):
    settings.SITE_URL = "https://portal.example.org"
    _invite(world, client_for, sent)
    assert [message.to for message in mail.outbox] == [["new.worker@example.org"]]
    assert "new.worker" in mail.outbox[0].body
    path = _link_in(mail.outbox[0], settings)
    done = _set_password(Client(), path)
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert _login(Client(), "new.worker", NEW_PASSWORD)["Location"] == reverse("home")
    again = _set_password(Client(), path, "another-Long-passphrase-8")
    assert "This link no longer works" in again.content.decode()
    assert get_user_model().objects.get(username="new.worker").check_password(NEW_PASSWORD)
    assert AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="password", detail__contains="emailed link").count() == 1


def test_the_link_expires(world, client_for, settings, sent):
    settings.PASSWORD_LINK_HOURS = 24
    settings.PASSWORD_RESET_TIMEOUT = 24 * 3600
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        _invite(world, client_for, sent)
        path = _link_in(mail.outbox[0], settings)
        clock.shift(25 * 3600)
        response = _set_password(Client(), path)
    assert "This link no longer works" in response.content.decode()


def test_the_set_password_form_explains_errors_and_keeps_nothing_secret(world, client_for, settings, sent):
    _invite(world, client_for, sent)
    client = Client()
    form_page = client.get(_link_in(mail.outbox[0], settings), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "different"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the same new password in both fields" in html
    assert 'value="short"' not in html
    too_short = client.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in too_short.content.decode()


def test_after_a_second_factor_reset_the_old_password_cannot_enrol_a_new_authenticator(world, client_for, client, settings):
    user = world.users["partner_practitioner"]
    client_for(world.users["admin"]).post(reverse("agencies:user_reset_two_factor", args=[user.pk]))
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 200, "the old password no longer signs in"
    assert client.get(reverse("two_factor_setup")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_second_factor_reset_emails_the_link_and_the_mailbox_reenrols(world, client_for, settings, sent):
    user = world.users["partner_practitioner"]
    admin = client_for(world.users["admin"])
    with sent():
        admin.post(reverse("agencies:user_reset_two_factor", args=[user.pk]))
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "two-factor authentication" in mail.outbox[0].subject
    browser = Client()
    _set_password(browser, _link_in(mail.outbox[0], settings))
    _login(browser, user.username, NEW_PASSWORD)
    assert browser.get(reverse("home"))["Location"] == reverse("two_factor_setup")


def test_forgotten_password_answers_the_same_whether_or_not_the_address_exists(world, client, sent):
    with sent():
        known = client.post(reverse("password_reset"), {"email": "LEAD_PRACTITIONER@example.org"})
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, reverse("password_reset_done"))
    assert [message.to for message in mail.outbox] == [["lead_practitioner@example.org"]]


def test_a_forgotten_password_link_sets_a_new_one_and_ends_sessions(world, client_for, settings, sent):
    user = world.users["lead_practitioner"]
    signed_in = client_for(user)
    with sent():
        Client().post(reverse("password_reset"), {"email": user.email})
    _set_password(Client(), _link_in(mail.outbox[0], settings))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in.get(reverse("home")).status_code == 302


def test_forgotten_password_is_rate_limited_per_address_and_per_ip(world, settings, sent):
    settings.PASSWORD_RESET_PER_HOUR = 2
    with sent():
        answers = [Client(REMOTE_ADDR=f"10.9.0.{i}").post(reverse("password_reset"), {"email": "lead_practitioner@example.org"}).status_code for i in range(4)]
    assert answers == [302] * 4 and len(mail.outbox) == 2, "the same answer, but no more than two emails an hour"
    same_ip = [Client(REMOTE_ADDR="10.9.9.9").post(reverse("password_reset"), {"email": f"x{i}@example.org"}).status_code for i in range(3)]
    assert same_ip == [302, 302, 429]


def test_forgotten_password_form_keeps_the_input_and_says_what_to_do(db, client):
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})
    html = response.content.decode()
    assert "Enter an email address in the correct format" in html and 'value="not-an-address"' in html


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(world, client_for):
    user = world.users["lead_practitioner"]
    client = client_for(user)
    wrong = client.post(reverse("password_change"), {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Your current password is wrong" in wrong.content.decode()
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("account")
    assert client.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AccessEvent.objects.filter(action=AuditAction.UPDATE, object_type="password", detail="password changed").count() == 1


def test_an_admins_change_of_address_is_told_at_the_old_one(world, client_for, sent):
    user = world.users["partner_practitioner"]
    admin = client_for(world.users["admin"])
    with sent():
        admin.post(
            reverse("agencies:user_edit", args=[user.pk]),
            {
                "first_name": "P",
                "last_name": "P",
                "email": "elsewhere@example.org",
                "agency": world.school.pk,
                "role": "practitioner",
                "job_title": "",
                "is_active": "on",
            },
        )
    assert [message.to for message in mail.outbox] == [["partner_practitioner@example.org"]]
    assert "elsewhere@example.org" in mail.outbox[0].body


@pytest.mark.parametrize("role", [Role.PRACTITIONER])
def test_the_cli_still_creates_a_user_with_a_password(db, role):
    import io
    import sys

    from django.core.management import call_command

    call_command("add_agency", "--name", "County Police", "--kind", "police", stdout=io.StringIO())
    old, sys.stdin = sys.stdin, io.StringIO("long-Enough-pass-42\n")
    try:
        call_command(
            "add_user",
            "--username",
            "pc.two",
            "--email",
            "pc2@example.org",
            "--agency",
            "County Police",
            "--role",
            role,
            "--password-stdin",
            stdout=io.StringIO(),
        )
    finally:
        sys.stdin = old
    assert get_user_model().objects.get(username="pc.two").check_password("long-Enough-pass-42")
