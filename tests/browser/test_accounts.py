"""Accounts in Chromium (issue 22, findings 3 and 6; issue 20, item 2): an invitation followed end to
end through the mail outbox, the "set your password" page, and the API token list, each at desktop
width and at 320 px with no serious axe-core violations and nothing wider than the screen."""

import re

import pytest
from django.core import mail

from agencies.tokens import token_issue, token_revoke
from tests.factories import PASSWORD

from .conftest import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
NEW_PASSWORD = "a-Fresh-long-passphrase-31"


def _both_widths(page, screenshot, name):
    screenshot(name)
    assert serious_violations(page) == []
    page.set_viewport_size(NARROW)
    screenshot(f"{name}-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], "nothing wider than the screen"
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_invited_user_sets_their_password_from_the_email_and_then_sets_up_two_factor(world, page, screenshot, settings, live_server):
    settings.SITE_URL = live_server.url
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/partnership/users/new/")
    page.get_by_label("Username").fill("new.worker")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Worker")
    page.get_by_label("Email").fill("nia.worker@example.org")
    page.get_by_label("Agency").select_option(label="Riverside School")
    page.get_by_label("Role").select_option(label="Designated safeguarding lead")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/partnership/users/")
    page.get_by_role("button", name="Sign out").click()

    (message,) = mail.outbox
    link = re.search(r"(http://\S+/accounts/set-password/\S+/\S+/)", message.body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Set your password"
    assert "/set-password/" in page.url and link.rstrip("/").rsplit("/", 1)[-1] not in page.url, "the token left the address"
    _both_widths(page, screenshot, "account-set-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill("something-else-entirely-9")
    page.get_by_role("button", name="Set password").click()
    assert "Enter the same new password in both fields" in page.locator(".govuk-error-summary").inner_text()
    screenshot("account-set-password-error")
    assert serious_violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Password set"

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("new.worker")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/two-factor/setup/")


def test_the_token_list_shows_live_and_ended_tokens_and_revokes_one(world, page, screenshot):
    user = world.users["lead_practitioner"]
    token_issue(user=user)
    old, _ = token_issue(user=user)
    token_revoke(token=old, actor=user)
    sign_in(page, "lead_practitioner", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Your account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert page.locator(".govuk-summary-card").count() == 2
    _both_widths(page, screenshot, "account-tokens")
    page.get_by_role("button", name=re.compile("Revoke")).click()
    assert "revoked" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("button", name=re.compile("Revoke")).count() == 0
