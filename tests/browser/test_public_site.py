"""The public site as a survivor meets it (SECURITY.md rule 19): Quick exit first in the
keyboard order and gone from the history, a safety note, nothing loaded from or sent to
another host, no mailto: links, no cookies, and every page usable without JavaScript."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import BrowserContext, Page, Request, Response
from pytest_django.live_server_helper import LiveServer

from concord.coalition.models import Coalition
from tests.browser.conftest import fulfil_neutral_site
from tests.pages import LANGUAGES, page_named, public_site_pages

pytestmark = pytest.mark.browser

SAFETY_NOTE = (
    "Leaves this site at once (or press Esc twice). It does not erase your browser history."
)
PHONE = {"width": 375, "height": 700}
# A site the visitor was on before ours, answered locally like the neutral site.
PREVIOUS_SITE = "https://previous.example/"


def public_urls() -> list[str]:
    return [page.url(language=language) for language in LANGUAGES for page in public_site_pages()]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def open_our_page_after_another_site(page: Page, path: str) -> None:
    fulfil_neutral_site(page, PREVIOUS_SITE)
    page.goto(PREVIOUS_SITE)
    page.goto(path)


def test_quick_exit_is_the_first_stop_of_the_keyboard(page: Page) -> None:
    first_stops = {}
    for url in public_urls():
        page.goto(url)
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.id")
        page.keyboard.press("Tab")
        second = page.evaluate("document.activeElement.getAttribute('href')")
        first_stops[url] = (first, second)

    assert first_stops == dict.fromkeys(public_urls(), ("quick-exit", "#main-content"))


def test_quick_exit_leaves_for_the_neutral_site_and_back_does_not_return(
    page: Page, coalition: Coalition
) -> None:
    fulfil_neutral_site(page, coalition.quick_exit_url)
    open_our_page_after_another_site(page, "/get-help/")
    history_on_our_page = page.evaluate("history.length")

    page.locator("#quick-exit").click()
    page.wait_for_url(coalition.quick_exit_url)
    history_after_exit = page.evaluate("history.length")
    page.go_back()

    assert history_after_exit == history_on_our_page  # our entry was replaced, not pushed
    assert page.url == PREVIOUS_SITE


@pytest.mark.parametrize("language", LANGUAGES)
def test_pressing_escape_twice_leaves_like_quick_exit(
    page: Page, coalition: Coalition, language: str
) -> None:
    fulfil_neutral_site(page, coalition.quick_exit_url)
    open_our_page_after_another_site(page, page_named("coalition:about").url(language=language))

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(coalition.quick_exit_url)
    page.go_back()

    assert page.url == PREVIOUS_SITE


def test_every_public_page_says_quick_exit_does_not_erase_history(page: Page) -> None:
    notes = {}
    expected = {}
    for language in LANGUAGES:
        with translation.override(language):
            note = gettext(SAFETY_NOTE)
        for entry in public_site_pages():
            url = entry.url(language=language)
            page.goto(url)
            notes[url] = page.locator(".quick-exit").inner_text()
            expected[url] = note

    assert all(note in notes[url] for url, note in expected.items()), notes


def test_public_pages_load_nothing_from_other_hosts_and_leak_nothing(
    new_context: Callable[..., BrowserContext], live_server: LiveServer
) -> None:
    context = new_context()
    requests: list[Request] = []
    failures: list[str] = []
    context.on("request", lambda request: requests.append(request))

    def record_failure(response: Response) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    context.on("response", record_failure)
    page = context.new_page()
    mailto_links = {}
    for url in [*public_urls(), "/no-such-page/"]:
        page.goto(url)
        mailto_links[url] = page.eval_on_selector_all(
            "a[href], area[href], form[action]",
            "nodes => nodes.map(n => n.href || n.action)"
            ".filter(href => href.toLowerCase().startsWith('mailto:'))",
        )

    ours = origin(live_server.url)
    assert [request.url for request in requests if origin(request.url) != ours] == []
    assert failures == [f"404 {ours}/no-such-page/"]
    assert {url: links for url, links in mailto_links.items() if links} == {}
    assert context.cookies() == []


def test_public_pages_work_without_javascript(
    new_context: Callable[..., BrowserContext], coalition: Coalition
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    fulfil_neutral_site(page, coalition.quick_exit_url)

    page.goto("/")
    home_heading = page.locator("h1").inner_text()
    page.locator("nav a[href='/about/']").click()
    about_heading = page.locator("h1").inner_text()
    about_mission = page.locator("main .usa-intro").inner_text()
    page.locator("a[hreflang='es']").click()
    spanish_path = urlsplit(page.url).path
    spanish_mission = page.locator("main .usa-intro").inner_text()
    page.locator("nav a[href='/es/get-help/']").click()
    help_path = urlsplit(page.url).path
    page.locator("#quick-exit").click()

    assert home_heading == coalition.name
    assert about_heading == "About the coalition"
    assert about_mission == coalition.mission
    assert spanish_path == "/es/about/"
    assert spanish_mission == coalition.mission_es
    assert help_path == "/es/get-help/"
    assert page.url == coalition.quick_exit_url


def test_language_switch_opens_the_spanish_page_without_a_cookie(
    page: Page, coalition: Coalition
) -> None:
    page.goto("/about/")

    page.locator("a[hreflang='es']").click()
    page.wait_for_url("**/es/about/")
    language = page.locator("html").get_attribute("lang")
    main_text = page.locator("main").inner_text()
    page.locator("a[hreflang='en']").click()
    page.wait_for_url("**/about/")

    assert language == "es"
    assert coalition.mission_es in main_text
    assert coalition.goals_es.splitlines()[0] in main_text
    assert urlsplit(page.url).path == "/about/"
    assert page.context.cookies() == []


def test_quick_exit_stays_usable_while_the_mobile_menu_is_open(
    new_context: Callable[..., BrowserContext], coalition: Coalition
) -> None:
    page = new_context(viewport=PHONE).new_page()
    fulfil_neutral_site(page, coalition.quick_exit_url)
    page.goto("/")

    page.locator(".usa-menu-btn").click()
    exits_for_screen_readers = page.get_by_role("link", name="Quick exit").count()
    page.locator(".usa-nav__close").click()  # fails if the Quick exit bar covers it
    menu_open_after_close = page.locator(".usa-nav.is-visible").count()
    page.locator(".usa-menu-btn").click()
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(coalition.quick_exit_url)

    assert exits_for_screen_readers == 1
    assert menu_open_after_close == 0
