"""A referral's life in a real browser, with JavaScript turned off: agency A's handler
refers someone from the directory with client information under an in-person consent;
agency B's handler accepts it and writes; A records that the client revoked the consent;
B no longer sees the client information or the messages."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

from concord.accounts.models import User
from concord.directory.models import Service
from concord.referrals.models import Referral, ReferralStatus
from tests.browser.conftest import sign_in, url_of

pytestmark = pytest.mark.browser

CLIENT_LABEL = "Demo client R.M."
SAFE_CONTACT = "Phone only, weekdays 2 to 4 pm, no voicemail."
MESSAGE = "We have a bed for R.M. from Monday."


def signed_in(new_context: Callable[..., BrowserContext], user: User) -> Page:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, user)
    return page


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_a_referral_from_the_directory_to_revoked_consent(
    new_context: Callable[..., BrowserContext],
    referral_handler: User,
    receiving_handler: User,
    referral_service: Service,
) -> None:
    sender = signed_in(new_context, referral_handler)
    receiver = signed_in(new_context, receiving_handler)

    # A refers someone from the service's page in the directory, with client information.
    sender.goto(url_of("directory:service-detail", pk=referral_service.pk))
    with sender.expect_navigation():
        sender.get_by_role("link", name="Refer someone to this service").click()
    sender.locator("label[for^=id_urgency]", has_text="Urgent").click()
    sender.locator("textarea[name=referrer_contact]").fill("Desk 3, 925-555-0100.")
    sender.locator("label[for=id_add_client_information]").click()
    sender.locator("input[name=client_label]").fill(CLIENT_LABEL)
    sender.locator("textarea[name=safe_contact]").fill(SAFE_CONTACT)
    submit(sender, "Save draft")
    referral = Referral.objects.get()
    assert urlsplit(sender.url).path == url_of("referrals:edit", public_id=referral.public_id)

    # The client signs in person; the consent names agency B.
    with sender.expect_navigation():
        sender.get_by_role("link", name="Record the client's consent").click()
    sender.locator("textarea[name=purpose]").fill("Referral for emergency shelter.")
    sender.locator("label[for^=id_method]", has_text="Signature captured in person").click()
    sender.locator("input[name=signature_name]").fill("R. M.")
    sender.locator("label[for=id_confirm_read]").click()
    submit(sender, "Record the consent")
    assert sender.get_by_text("Consent recorded for this referral.").is_visible()
    submit(sender, "Send the referral")
    assert urlsplit(sender.url).path == url_of("referrals:sent")

    # B finds it in the inbox, sees the client label, accepts it and writes.
    receiver.goto(url_of("referrals:inbox"))
    with receiver.expect_navigation():
        receiver.get_by_role("link", name=f"Referral {str(referral.public_id)[:8]}").click()
    assert receiver.get_by_text(CLIENT_LABEL, exact=True).is_visible()
    submit(receiver, "Accept")
    receiver.locator("textarea[name=body]").fill(MESSAGE)
    submit(receiver, "Send message")
    assert receiver.get_by_text(MESSAGE).is_visible()

    # A opens the referral from the sent list and records that the consent was revoked.
    sender.goto(url_of("referrals:sent"))
    with sender.expect_navigation():
        sender.get_by_role("link", name=referral_service.name).click()
    assert sender.get_by_text(MESSAGE).is_visible()
    submit(sender, "Record that the client revoked the consent")

    # B reloads the referral: the client information and the messages are gone.
    receiver.reload()
    content = receiver.content()
    assert CLIENT_LABEL not in content
    assert SAFE_CONTACT not in content
    assert MESSAGE not in content
    assert receiver.get_by_text(
        "Messages are hidden because the consent was revoked or has expired."
    ).is_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.consent is not None
    assert referral.consent.revoked_at is not None
