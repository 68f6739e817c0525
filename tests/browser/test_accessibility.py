"""The accessibility sweep: axe-core on every page of tests/pages.py, in English and
Spanish, signed out and signed in as a member and as a coordinator. Serious and critical
violations fail; the message lists every one, page by page.

Each page is swept in each of its distinct views: signed out when it is public, otherwise
as the member when a member may see it, and as the coordinator when the coordinator alone
sees it or it shows more to people with a role. The signed-in layout is the same for
everyone, so sweeping a public page once more while signed in would add only time.

Public pages, which must work in English and Spanish, are swept in both languages. A
signed-in page is the same template in both, so each is swept in one of them, the
languages alternating down the list: every signed-in page's structure is checked once and
both languages are checked across them, for half of the sweep's largest cost.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

from concord.accounts.models import User
from concord.agencies.models import Agency
from tests.browser.conftest import reauthenticate, sign_in, submit_login_form, url_of
from tests.pages import (
    AFTER_REAUTHENTICATION,
    ANONYMOUS,
    COORDINATOR,
    DIRECT,
    DURING_SIGN_IN,
    LANGUAGES,
    MEMBER,
    STATUS_PAGES,
    SitePage,
    page_named,
    pages_for,
)

pytestmark = pytest.mark.browser

FAILING_IMPACTS = {"serious", "critical"}
SWEPT_PERSONAS = (ANONYMOUS, MEMBER, COORDINATOR)
AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    """Run axe-core on the page; one line per serious or critical rule it breaks."""
    results = AXE.run(page)
    path = urlsplit(page.url).path
    return [
        f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def pages_to_sweep(persona: str, reached: str, language: str | None = None) -> list[SitePage]:
    """The pages whose view for this persona no other swept persona has seen; signed in,
    with a ``language``, every other one of them (see above)."""
    seen_by = {ANONYMOUS: set(), MEMBER: {ANONYMOUS}, COORDINATOR: {ANONYMOUS, MEMBER}}[persona]
    entries = [
        entry
        for entry in pages_for(persona, reached)
        if entry.varies_by_role or not seen_by & entry.audience
    ]
    if persona == ANONYMOUS or language is None:
        return entries
    return entries[LANGUAGES.index(language) :: len(LANGUAGES)]


def sweep_entry(page: Page, entry: SitePage, url: str) -> list[str]:
    problems = visit(page, url)
    if entry.sweep_form_errors and not problems:
        problems += send_empty_form(page)
    return problems


def send_empty_form(page: Page) -> list[str]:
    """Send the page's form as it is and sweep the answer, which must mark the errors."""
    url = urlsplit(page.url).path
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    if page.locator("main [aria-invalid=true]").count() == 0:
        return [f"{url}: an empty form came back without fields marked aria-invalid"]
    return serious_violations(page)


def sweep_failed_login(page: Page, language: str) -> list[str]:
    """The login page as it answers a wrong password: its error must be accessible too."""
    page.goto(url_of("account_login", language))
    submit_login_form(page, "nobody-here@example.org", "not-the-password-at-all")
    return serious_violations(page)


def visit(page: Page, url: str, status: int = 200) -> list[str]:
    """Open the URL and sweep it; a page that does not render is a problem too."""
    response = page.goto(url)
    landed = urlsplit(page.url).path
    if response is None or response.status != status or landed != urlsplit(url).path:
        got = response.status if response else "no response"
        return [f"{url}: expected the page with {status}, got {got} at {landed}"]
    return serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", SWEPT_PERSONAS)
def test_pages_have_no_serious_accessibility_violations(
    persona: str,
    language: str,
    page: Page,
    request: pytest.FixtureRequest,
    agency_a: Agency,
    member: User,
    representative: User,
    coordinator: User,
) -> None:
    fixture: Callable[[str], object] = request.getfixturevalue
    problems: list[str] = []
    swept_during_sign_in: list[str] = []

    def sweep_second_factor(page: Page) -> None:
        swept_during_sign_in.append(urlsplit(page.url).path)
        problems.extend(serious_violations(page))

    if persona != ANONYMOUS:
        user = {MEMBER: member, COORDINATOR: coordinator}[persona]
        sign_in(page, user, language=language, on_second_factor=sweep_second_factor)
    assert swept_during_sign_in == [
        entry.url(fixture, language) for entry in pages_for(persona, DURING_SIGN_IN)
    ]

    for entry in pages_to_sweep(persona, DIRECT, language):
        problems += sweep_entry(page, entry, entry.url(fixture, language))
    if pages_to_sweep(persona, AFTER_REAUTHENTICATION):
        reauthenticate(page, language)
        for entry in pages_to_sweep(persona, AFTER_REAUTHENTICATION):
            problems += sweep_entry(page, entry, entry.url(fixture, language))
    if persona == ANONYMOUS:
        problems += sweep_failed_login(page, language)
    for status_page in STATUS_PAGES:
        if status_page.persona == persona:
            problems += visit(page, status_page.url(language), status_page.status)

    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_open_mobile_menu_has_no_serious_accessibility_violations(
    new_context: Callable[..., BrowserContext], language: str
) -> None:
    page = new_context(viewport={"width": 375, "height": 700}).new_page()
    page.goto(page_named("coalition:home").url(language=language))
    closed = serious_violations(page)

    page.locator(".usa-menu-btn").click()
    page.locator(".usa-nav.is-visible").wait_for()
    opened = serious_violations(page)

    assert closed == []
    assert opened == []


def test_sweep_reports_a_serious_violation(page: Page) -> None:
    page.goto("/about/")
    # An image without a text alternative, added the way a careless template would.
    page.evaluate(
        "document.querySelector('main').appendChild(document.createElement('img')).src ="
        " '/static/uswds/img/us_flag_small.png'"
    )

    problems = serious_violations(page)

    assert len(problems) == 1
    assert problems[0].startswith("/about/: image-alt (critical)")
