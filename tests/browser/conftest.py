"""Playwright driving Debian's Chromium (never a downloaded browser: downloads fail on these machines)."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        require_or_skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server speaks plain HTTP on loopback.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under screenshots/ (git-ignored) for a person to look at."""

    def take(name):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def serious_violations(page):
    """axe-core's serious and critical violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def sign_in(page, username, password):
    """Sign in with the password, then a fresh one-time recovery code as the second factor.

    A recovery code rather than a TOTP code: TOTP refuses a code twice in the same 30 seconds, and
    some tests sign in more than once.
    """
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = get_user_model().objects.filter(username=username).first()
    code = None
    if user is not None:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Test recovery codes", defaults={"confirmed": True})
        code = StaticToken.random_token()
        device.token_set.create(token=code)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if code is not None and "/two-factor/" in page.url:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()


def fill_date(page, label, value, *, exact=False):
    """Type a date into the GOV.UK date input whose legend is `label`: day, month and year.

    `value` is a date or an ISO string; the parts are typed as a person would (no leading zeros).
    """
    import datetime

    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    group = page.get_by_role("group", name=label, exact=exact)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def date_value(page, label, *, exact=False):
    """The date typed in the GOV.UK date input whose legend is `label`, as an ISO string ("" when blank)."""
    group = page.get_by_role("group", name=label, exact=exact)
    day, month, year = (group.get_by_label(part).input_value() for part in ("Day", "Month", "Year"))
    if not (day or month or year):
        return ""
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
