"""Messages on a referral may mention the client: once its consent is revoked or has
expired, the receiving agency no longer reads them; the sender still does, and a
needs-only referral (no consent) is unaffected."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from concord.accounts.models import User
from concord.core.permissions import can_read_referral_messages
from concord.directory.models import Service
from concord.referrals.models import Consent, Referral
from concord.referrals.services import consent as consents
from concord.referrals.services import referrals as workflow
from concord.referrals.tests.conftest import make_referral
from conftest import sign_in

BODY = "She can be reached at the shelter on Oak Street until Friday."
HIDDEN = "Messages are hidden because the consent was revoked or has expired."


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.select_related("consent").get(pk=referral.pk)


def _page(user: User, referral: Referral, name: str = "referral-detail") -> str:
    url = reverse(f"referrals:{name}", kwargs={"public_id": referral.public_id})
    response = sign_in(Client(), user).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def with_message(sent_referral: Referral, receiver: User) -> Referral:
    workflow.post_message(actor=receiver, referral=sent_referral, body=BODY)
    return sent_referral


def test_both_agencies_read_messages_while_the_consent_holds(
    sender: User, receiver: User, with_message: Referral
) -> None:
    assert can_read_referral_messages(sender, with_message)
    assert can_read_referral_messages(receiver, with_message)
    assert BODY in _page(receiver, with_message)


def test_revoking_the_consent_hides_messages_from_the_receiver_only(
    sender: User, receiver: User, with_message: Referral, consent: Consent
) -> None:
    consents.revoke_consent(actor=sender, consent=consent)
    referral = _fresh(with_message)

    receiver_page = _page(receiver, referral)
    sender_page = _page(sender, referral)

    assert not can_read_referral_messages(receiver, referral)
    assert can_read_referral_messages(sender, referral)
    assert BODY not in receiver_page
    assert HIDDEN in receiver_page
    assert BODY in sender_page
    assert HIDDEN not in sender_page


def test_expiry_hides_messages_from_the_receiver(
    receiver: User, with_message: Referral, consent: Consent
) -> None:
    Consent.objects.filter(pk=consent.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    referral = _fresh(with_message)

    page = _page(receiver, referral)

    assert not can_read_referral_messages(receiver, referral)
    assert BODY not in page
    assert HIDDEN in page


def test_the_print_view_hides_messages_from_the_receiver_after_revocation(
    sender: User, receiver: User, with_message: Referral, consent: Consent
) -> None:
    consents.revoke_consent(actor=sender, consent=consent)

    assert BODY not in _page(receiver, _fresh(with_message), "referral-print")


def test_messages_stay_hidden_on_the_spanish_page(
    sender: User, receiver: User, with_message: Referral, consent: Consent
) -> None:
    consents.revoke_consent(actor=sender, consent=consent)
    with translation.override("es"):
        url = reverse("referrals:referral-detail", kwargs={"public_id": with_message.public_id})

    response = sign_in(Client(), receiver).get(url)

    assert response.status_code == 200
    assert BODY not in response.content.decode()
    assert response.headers["Content-Language"] == "es"


def test_needs_only_referrals_keep_their_messages_for_the_receiver(
    sender: User, receiver: User, service: Service
) -> None:
    referral = workflow.send_referral(actor=sender, referral=make_referral(sender, service))
    workflow.post_message(actor=sender, referral=referral, body=BODY)

    assert referral.consent is None
    assert can_read_referral_messages(receiver, referral)
    assert BODY in _page(receiver, referral)


def test_outsiders_and_coordinators_read_no_messages(
    third_handler: User, no_role: User, coordinator: User, with_message: Referral
) -> None:
    assert not can_read_referral_messages(third_handler, with_message)
    assert not can_read_referral_messages(no_role, with_message)
    assert not can_read_referral_messages(coordinator, with_message)


def test_the_sender_records_a_revocation_from_the_page_of_a_sent_referral(
    sender: User, receiver: User, sent_referral: Referral, consent: Consent
) -> None:
    revoke_url = reverse("referrals:consent-revoke", kwargs={"public_id": sent_referral.public_id})
    detail_url = reverse("referrals:referral-detail", kwargs={"public_id": sent_referral.public_id})
    assert f'action="{revoke_url}"' in _page(sender, sent_referral)
    assert f'action="{revoke_url}"' not in _page(receiver, sent_referral)

    response = sign_in(Client(), sender).post(revoke_url)

    consent.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == detail_url
    assert consent.revoked_at is not None
    assert consent.revoked_by == sender
    page = _page(sender, _fresh(sent_referral))
    assert f'action="{revoke_url}"' not in page
    assert "no longer sees the client information or the messages" in page
