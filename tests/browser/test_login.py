"""Signing in through the real forms: password for members, password then TOTP for
coordinators, and one answer for a wrong password and an unknown account."""

from urllib.parse import urlsplit

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa import app_settings as mfa_settings
from playwright.sync_api import Page

from concord.accounts.models import User
from concord.accounts.tests.factories import PASSWORD
from tests.browser.conftest import (
    activate_totp,
    current_totp_code,
    sign_in,
    submit_login_form,
    url_of,
)

pytestmark = pytest.mark.browser

MISMATCH = str(DefaultAccountAdapter.error_messages["email_password_mismatch"])


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def test_member_signs_in_with_a_password_and_reaches_the_dashboard(
    page: Page, member: User
) -> None:
    page.goto(url_of("account_login"))

    submit_login_form(page, member.email, PASSWORD)

    assert path_of(page) == url_of("accounts:dashboard")
    assert page.locator("h1").inner_text() == f"Welcome, {member.full_name}"


def test_coordinator_signs_in_with_a_password_then_a_totp_code(
    page: Page, coordinator: User
) -> None:
    activate_totp(coordinator)
    page.goto(url_of("account_login"))

    submit_login_form(page, coordinator.email, PASSWORD)
    second_step = path_of(page)
    page.locator("input[name=code]").fill(current_totp_code())
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")

    assert second_step == url_of("mfa_authenticate")
    assert path_of(page) == url_of("accounts:dashboard")
    assert page.locator("main a[href='/manage/agencies/']").count() == 1


def test_coordinator_with_a_wrong_totp_code_is_not_signed_in(page: Page, coordinator: User) -> None:
    activate_totp(coordinator)
    wrong = f"{(int(current_totp_code()) + 1) % 10**mfa_settings.TOTP_DIGITS:06d}"
    page.goto(url_of("account_login"))
    submit_login_form(page, coordinator.email, PASSWORD)

    page.locator("input[name=code]").fill(wrong)
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")
    after_wrong_code = path_of(page)
    page.goto(url_of("accounts:dashboard"))

    assert after_wrong_code == url_of("mfa_authenticate")
    assert path_of(page) == url_of("mfa_authenticate")  # the dashboard sends back to the code


def test_wrong_password_and_unknown_email_get_the_same_answer(page: Page, member: User) -> None:
    page.goto(url_of("account_login"))
    submit_login_form(page, member.email, "not-the-password-at-all")
    wrong_password = (path_of(page), page.locator("main").inner_text())
    page.goto(url_of("account_login"))
    submit_login_form(page, "nobody-here@example.org", "not-the-password-at-all")
    unknown_email = (path_of(page), page.locator("main").inner_text())
    page.goto(url_of("accounts:dashboard"))

    assert wrong_password == unknown_email
    assert wrong_password[0] == url_of("account_login")
    assert MISMATCH in wrong_password[1]
    assert path_of(page) == url_of("account_login")  # still signed out


def test_member_signs_in_on_the_spanish_site(page: Page, member: User) -> None:
    sign_in(page, member, language="es")

    assert path_of(page) == "/es/dashboard/"
    assert page.locator("html").get_attribute("lang") == "es"
