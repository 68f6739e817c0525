"""Browser fixtures: one system Chromium per test session, a fresh context per test, and
helpers that sign a persona in through the real login form (with TOTP for coordinators).

Playwright's sync API runs an event loop in this thread, so Django's guard against ORM
calls from async code has to be lifted for the test code that sets up data.
"""

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from concord.accounts.models import User
from concord.accounts.tests.factories import PASSWORD
from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.core.permissions import requires_mfa

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the suite runs as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing a test does may leave the machine: every host but the loopback live server
    # goes to a proxy that does not exist. Tests fulfil the neutral site with page.route.
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=localhost;127.0.0.1;[::1]",
]
# A test-only secret: every coordinator signed in by these tests uses it.
TOTP_SECRET = "KRSXG5CTMVRXEZLUNFXXIIDTMVRXEZLU"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Forecast</h1></html>"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM_PATH).is_file():
        pytest.fail(
            f"No Chromium at {CHROMIUM_PATH}: install the system package (apt-get install "
            "chromium) or set CHROMIUM_PATH. These tests never download a browser."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def coalition(transactional_db: None) -> Coalition:
    return Coalition.objects.create(**DEMO_COALITION)


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer, coalition: Coalition
) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts on the live server; all of them close after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


def fulfil_neutral_site(page: Page, url: str) -> None:
    """Answer the quick-exit destination locally, so the test never leaves the machine."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    page.context.route(
        f"{origin}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
    )


def activate_totp(user: User) -> None:
    """Give the user TOTP with TOTP_SECRET and recovery codes, as allauth's setup would."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)
        RecoveryCodes.activate(user)


def current_totp_code() -> str:
    period = mfa_settings.TOTP_PERIOD
    # A code typed in the last second of its period may arrive in the next one.
    if period - time.time() % period < 1.5:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // period))


def url_of(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def submit_login_form(page: Page, email: str, password: str) -> None:
    """Fill in and send the login form of the current page."""
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def sign_in(
    page: Page,
    user: User,
    *,
    language: str = "en",
    on_second_factor: Callable[[Page], None] | None = None,
) -> None:
    """Sign in through the login form, then the TOTP form when the user needs a second
    factor (coordinators get TOTP_SECRET activated first). Ends on the dashboard.

    `on_second_factor` runs on the TOTP page before the code is typed.
    """
    if requires_mfa(user):
        activate_totp(user)
    page.goto(url_of("account_login", language))
    submit_login_form(page, user.email, PASSWORD)
    if requires_mfa(user):
        assert urlsplit(page.url).path == url_of("mfa_authenticate", language), page.url
        if on_second_factor:
            on_second_factor(page)
        page.locator("input[name=code]").fill(current_totp_code())
        with page.expect_navigation():
            page.locator("input[name=code]").press("Enter")
    assert urlsplit(page.url).path == url_of("accounts:dashboard", language), page.url


def reauthenticate(page: Page, language: str = "en") -> None:
    """Confirm the password again, as allauth asks before changes to sign-in methods."""
    page.goto(url_of("account_reauthenticate", language))
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert urlsplit(page.url).path != url_of("account_reauthenticate", language), page.url
