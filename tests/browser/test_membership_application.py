"""The application in a real browser: every step with axe-core, in English and Spanish,
with its errors shown; and the whole form with JavaScript turned off."""

import datetime
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from concord.meetings.models import Committee
from concord.membership.models import Application, ApplicationStatus
from tests.browser.conftest import url_of
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser

STEPS = ("agency", "people", "commitment", "values", "agreement")


@pytest.fixture
def committee_open(transactional_db: None) -> Committee:
    return Committee.objects.create(name="Training")


def start(page: Page, language: str) -> None:
    page.goto(url_of("membership:apply-start", language))
    page.locator("input[name=email]").fill("applicant@harbor.example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert urlsplit(page.url).path == url_of("membership:apply-step", language, step="agency")


def fill_step(page: Page, step: str) -> None:
    if step == "agency":
        page.locator("input[name=legal_name]").fill("Harbor Shelter")
        page.locator("select[name=sector]").select_option("victim_services")
        page.locator("input[name=street_address]").fill("1 Main Street")
        page.locator("input[name=city]").fill("Concord")
        page.locator("input[name=postal_code]").fill("94520")
        page.locator("label[for=id_whole_county]").click()
        page.locator("input[name=phone]").fill("925-555-0100")
        page.locator("textarea[name=description]").fill("Shelter and case management.")
    elif step == "people":
        for who, name in (("primary", "Pat"), ("alternate", "Alex")):
            page.locator(f"input[name={who}_name]").fill(name)
            page.locator(f"input[name={who}_email]").fill(f"{name.lower()}@harbor.example.org")
            page.locator(f"select[name={who}_language]").select_option("en")
        page.locator("input[name=primary_title]").fill("Director")
        page.locator("input[name=primary_phone]").fill("925-555-0101")
    elif step == "commitment":
        page.locator("label[for=id_committees_0]").click()
        page.locator("label[for=id_agrees_to_attend]").click()
        page.locator("label[for=id_agrees_to_committee]").click()
        page.locator("input[name=hours_per_month]").fill("6")
    elif step == "values":
        for position in range(1, 6):
            page.locator(f"label[for=id_affirm_{position}]").click()
            page.locator(f"textarea[name=practice_{position}]").fill("Every day.")
    elif step == "agreement":
        page.locator("label[for=id_agrees_to_confidentiality]").click()
        page.locator("input[name=signature_name]").fill("Pat Primary")
        page.locator("input[name=signature_title]").fill("Director")


def save_and_continue(page: Page) -> None:
    with page.expect_navigation():
        page.locator("button[value=next]").click()


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_step_and_its_errors_are_accessible(
    page: Page, language: str, committee_open: Committee
) -> None:
    problems: list[str] = []
    start(page, language)
    for step in STEPS:
        problems += serious_violations(page)
        save_and_continue(page)  # empty: the step comes back with its errors
        assert page.locator("main [aria-invalid=true]").count() > 0, step
        problems += serious_violations(page)
        fill_step(page, step)
        save_and_continue(page)
    assert urlsplit(page.url).path == url_of("membership:apply-review", language)
    problems += serious_violations(page)
    with page.expect_navigation():
        page.locator("form[action$='/apply/submit/'] button").click()
    problems += serious_violations(page)

    assert problems == []
    assert Application.objects.get().status == ApplicationStatus.UNCONFIRMED


def test_the_character_count_follows_typing(page: Page, committee_open: Committee) -> None:
    start(page, "en")
    field = page.locator("textarea[name=description]")
    status = page.locator(".usa-character-count__status")

    assert status.inner_text() == "1500 characters left"
    field.fill("x" * 1490)
    assert status.inner_text() == "10 characters left"
    field.fill("x" * 1502)
    assert status.inner_text() == "2 characters over the limit"
    assert "usa-character-count__status--invalid" in (status.get_attribute("class") or "")
    # Past the limit it can still be typed or pasted, never cut; the server refuses it.
    assert field.get_attribute("maxlength") is None
    save_and_continue(page)
    assert "1500" in page.locator("#id_description_error").inner_text()
    assert len(page.locator("textarea[name=description]").input_value()) == 1502


def test_the_whole_form_works_without_javascript(
    new_context: Callable[..., BrowserContext], committee_open: Committee
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    start(page, "en")
    for step in STEPS:
        fill_step(page, step)
        save_and_continue(page)
    with page.expect_navigation():
        page.locator("form[action$='/apply/submit/'] button").click()

    application = Application.objects.get()
    assert application.status == ApplicationStatus.UNCONFIRMED
    assert application.signature_date == timezone.localdate()
    assert application.signature_date > timezone.localdate() - datetime.timedelta(days=1)
