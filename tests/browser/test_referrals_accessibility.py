"""The accessibility sweep of the referral pages (issue 6), in English and Spanish.

The main sweep (test_accessibility.py) signs in personas without the referral role, so it
cannot open most of these pages (tests/pages.py lists them in SKIPPED, pointing here).
This test signs in, through the real login form and the TOTP step, agency A's handler
(also its primary representative, for the access log and the people page), agency B's
handler (the receiving side, with the client information visible under a valid consent)
and a coordinator (the figures), and runs axe-core on every referral page that renders
HTML, with data in it. Forms whose empty submission is invalid are sent empty too.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

from concord.accounts.models import AgencyRole, User
from concord.directory.models import Service
from concord.referrals.models import Referral
from concord.referrals.services.referrals import post_message
from tests.browser.conftest import sign_in, url_of
from tests.browser.test_accessibility import send_empty_form, serious_violations, visit
from tests.pages import LANGUAGES, REFERRAL_SWEEP, SKIPPED

pytestmark = pytest.mark.browser


def signed_in(new_context: Callable[..., BrowserContext], user: User, language: str) -> Page:
    """A page of a fresh browser context, signed in as the user (each user once per test:
    a TOTP code is single use)."""
    page = new_context().new_page()
    sign_in(page, user, language=language)
    return page


def send_empty(page: Page, action: str) -> list[str]:
    """Send one form of the page (the one posting to ``action``) empty, and sweep the answer,
    which must mark the errors: send_empty_form sends the first form, which on a referral's
    page is the Accept button."""
    path = urlsplit(page.url).path
    with page.expect_navigation():
        page.locator(f"main form[action='{action}'] button[type=submit]").click()
    if page.locator("main [aria-invalid=true]").count() == 0:
        return [f"{path}: the empty form to {action} came back without aria-invalid fields"]
    return serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_pages_have_no_serious_accessibility_violations(
    language: str,
    new_context: Callable[..., BrowserContext],
    referral_handler: User,
    receiving_handler: User,
    coordinator: User,
    referral_service: Service,
    draft_referral: Referral,
    sent_referral: Referral,
) -> None:
    # Agency A's handler is also its primary representative: the access log and the people
    # page are theirs.
    referral_handler.agency_role = AgencyRole.PRIMARY
    referral_handler.full_name = "Hana Handler"
    referral_handler.save(update_fields=["agency_role", "full_name"])
    post_message(actor=receiving_handler, referral=sent_referral, body="We can see her Monday.")

    swept: set[str] = set()

    def url(name: str, referral: Referral | None = None, query: str = "") -> str:
        kwargs = {"public_id": referral.public_id} if referral else {}
        swept.add(f"referrals:{name}")
        return url_of(f"referrals:{name}", language, **kwargs) + query

    problems: list[str] = []

    # The receiving side first: its views of the client information fill the access log.
    receiver = signed_in(new_context, receiving_handler, language)
    problems += visit(receiver, url("inbox"))
    problems += visit(receiver, url("referral-detail", sent_referral))
    assert receiver.get_by_text("A.R.", exact=True).count() == 1, "client information hidden"
    problems += send_empty(receiver, url("decline", sent_referral))
    problems += visit(receiver, url("referral-detail", sent_referral))
    problems += send_empty(receiver, url("request-info", sent_referral))
    problems += visit(receiver, url("referral-detail", sent_referral))
    problems += send_empty(receiver, url("message", sent_referral))
    problems += visit(receiver, url("referral-print", sent_referral))

    sender = signed_in(new_context, referral_handler, language)
    problems += visit(sender, url("sent"))
    problems += visit(sender, url("create"))  # without a service: how to choose one
    problems += visit(sender, url("create", query=f"?service={referral_service.pk}"))
    problems += visit(sender, url("edit", draft_referral))
    problems += visit(sender, url("consent", draft_referral))
    problems += send_empty_form(sender)
    for form_language in LANGUAGES:
        problems += visit(sender, url("consent-form", draft_referral, f"?language={form_language}"))
    problems += visit(sender, url("referral-detail", sent_referral))
    problems += visit(sender, url("referral-print", sent_referral))
    problems += visit(sender, url("access-log"))
    assert sender.locator("main table tbody tr").count() >= 2, "the access log has rows"
    problems += visit(sender, url("people"))

    coordinator_page = signed_in(new_context, coordinator, language)
    problems += visit(coordinator_page, url("figures"))
    problems += visit(coordinator_page, url("figures", query="?sent_from=not-a-date"), 400)

    assert problems == []
    # Every page tests/pages.py says is swept here is.
    assert {skip.name for skip in SKIPPED if REFERRAL_SWEEP in skip.reason} <= swept
