"""The receiving side's pages: the inbox, a referral's page and its answers, the print
view, the messages, the access log and the coordinators' figures."""

import csv
import datetime
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.tests.factories import AgencyFactory
from concord.directory.models import Service
from concord.referrals.models import (
    ACCESS_ACTION_PREFIX,
    Referral,
    ReferralAccess,
    ReferralMessage,
    ReferralStatus,
)
from concord.referrals.services import consent as consents
from concord.referrals.services import referrals as workflow
from concord.referrals.tests.conftest import CLIENT, make_referral
from concord.referrals.tests.factories import service_of
from conftest import sign_in


def _url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", kwargs={"public_id": referral.public_id})


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    return lambda user: sign_in(Client(), user)


def _send(sender: User, service: Service, **values: Any) -> Referral:
    return workflow.send_referral(actor=sender, referral=make_referral(sender, service, **values))


# The inbox.


def test_inbox_lists_the_most_urgent_first_with_urgency_and_overdue_as_text(
    sender: User, receiver: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    routine = _send(sender, service, urgency="routine")
    emergency = _send(sender, service, urgency="emergency")
    Referral.objects.filter(pk=emergency.pk).update(
        respond_by=timezone.now() - datetime.timedelta(hours=1)
    )

    response = as_user(receiver).get(reverse("referrals:inbox"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(str(emergency.public_id)) < page.index(str(routine.public_id))
    assert "Emergency" in page
    assert "Routine" in page
    assert page.count(">Overdue<") == 1
    assert "no-store" in response["Cache-Control"]


def test_inbox_filters_by_status(
    sender: User, receiver: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    waiting = _send(sender, service)
    accepted = workflow.accept_referral(actor=receiver, referral=_send(sender, service))

    response = as_user(receiver).get(reverse("referrals:inbox"), {"status": "accepted"})

    assert str(accepted.public_id) in response.content.decode()
    assert str(waiting.public_id) not in response.content.decode()


def test_inbox_never_shows_drafts_or_client_information(
    sender: User, receiver: User, service: Service, consent: Any, as_user: Callable[[User], Client]
) -> None:
    draft = make_referral(sender, service)
    _send(sender, service, consent=consent, **CLIENT)

    page = as_user(receiver).get(reverse("referrals:inbox")).content.decode()

    assert str(draft.public_id) not in page
    assert CLIENT["client_label"] not in page
    assert not ReferralAccess.objects.exists()


def test_inbox_query_count_does_not_grow_with_rows(
    sender: User, receiver: User, service: Service, as_user: Callable[[User], Client]
) -> None:
    client = as_user(receiver)
    _send(sender, service)
    client.get(reverse("referrals:inbox"))  # warm the session and the coalition cache
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("referrals:inbox"))
    for _ in range(6):
        _send(sender, service)
    with CaptureQueriesContext(connection) as seven:
        client.get(reverse("referrals:inbox"))

    assert len(seven) == len(one)


def test_inbox_works_in_spanish(receiver: User, as_user: Callable[[User], Client]) -> None:
    response = as_user(receiver).get("/es/referrals/")

    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


def test_inbox_refuses_people_without_the_role(
    no_role: User, coordinator: User, as_user: Callable[[User], Client]
) -> None:
    assert as_user(no_role).get(reverse("referrals:inbox")).status_code == 403
    assert as_user(coordinator).get(reverse("referrals:inbox")).status_code == 403


# A referral's page.


def test_receiver_sees_client_information_and_the_view_is_logged(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(receiver).get(_url("referral-detail", sent_referral))

    page = response.content.decode()
    assert response.status_code == 200
    assert CLIENT["safe_contact"] in page
    assert (
        CLIENT["client_label"]
        not in response.content.decode().split("<title>")[1].split("</title>")[0]
    )
    log = ReferralAccess.objects.get()
    assert (log.actor, log.access) == (receiver, "view")
    assert CLIENT["client_label"] not in str(log.data)


def test_receiver_no_longer_sees_client_information_once_consent_is_revoked(
    sent_referral: Referral, sender: User, receiver: User, as_user: Callable[[User], Client]
) -> None:
    assert sent_referral.consent is not None
    consents.revoke_consent(actor=sender, consent=sent_referral.consent)

    response = as_user(receiver).get(_url("referral-detail", sent_referral))

    assert response.status_code == 200
    assert CLIENT["safe_contact"] not in response.content.decode()
    assert not ReferralAccess.objects.exists()


def test_print_view_is_logged_as_print(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(receiver).get(_url("referral-print", sent_referral))

    assert response.status_code == 200
    assert CLIENT["safety_notes"] in response.content.decode()
    assert ReferralAccess.objects.get().action == ACCESS_ACTION_PREFIX + "print"


def test_answer_buttons_show_only_to_the_receiving_side(
    sent_referral: Referral, sender: User, receiver: User, as_user: Callable[[User], Client]
) -> None:
    accept_url = _url("accept", sent_referral)

    assert (
        accept_url in as_user(receiver).get(_url("referral-detail", sent_referral)).content.decode()
    )
    assert (
        accept_url
        not in as_user(sender).get(_url("referral-detail", sent_referral)).content.decode()
    )
    assert as_user(sender).post(accept_url).status_code == 403
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.SENT


def test_referral_pages_refuse_outsiders_and_people_without_the_role(
    sent_referral: Referral,
    third_handler: User,
    no_role: User,
    coordinator: User,
    as_user: Callable[[User], Client],
) -> None:
    url = _url("referral-detail", sent_referral)

    assert as_user(third_handler).get(url).status_code == 404
    assert as_user(no_role).get(url).status_code == 403
    assert as_user(coordinator).get(url).status_code == 403
    assert (
        as_user(coordinator)
        .get(reverse("referrals:referral-detail", kwargs={"public_id": uuid.uuid4()}))
        .status_code
        == 404
    )


# Answers.


def test_accepting_twice_at_once_gives_the_second_person_a_clear_message(
    sent_referral: Referral, receiver: User, colleague: User, as_user: Callable[[User], Client]
) -> None:
    first = as_user(receiver).post(_url("accept", sent_referral))
    second = as_user(colleague).post(_url("accept", sent_referral), follow=True)

    sent_referral.refresh_from_db()
    assert first.status_code == 302
    assert sent_referral.status == ReferralStatus.ACCEPTED
    assert second.status_code == 200
    assert "already accepted this referral" in second.content.decode()
    assert sent_referral.changes.filter(to_status=ReferralStatus.ACCEPTED).count() == 1


def test_answers_refuse_get(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    client = as_user(receiver)
    for name in ("accept", "decline", "request-info", "start", "complete", "close", "message"):
        assert client.get(_url(name, sent_referral)).status_code == 405, name


def test_declining_needs_a_reason_and_keeps_the_typed_note(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    client = as_user(receiver)

    refused = client.post(_url("decline", sent_referral), {"decline-note": "Full this week."})
    declined = client.post(
        _url("decline", sent_referral),
        {"decline-reason": "no_capacity", "decline-note": "Full this week."},
    )

    assert refused.status_code == 400
    assert "Full this week." in refused.content.decode()
    assert declined.status_code == 302
    sent_referral.refresh_from_db()
    assert (sent_referral.status, sent_referral.decline_reason) == ("declined", "no_capacity")


def test_completing_needs_an_outcome(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    client = as_user(receiver)
    client.post(_url("accept", sent_referral))
    client.post(_url("start", sent_referral))

    refused = client.post(_url("complete", sent_referral), {"complete-note": "Met twice."})
    completed = client.post(
        _url("complete", sent_referral), {"complete-outcome": "services_received"}
    )
    closed = client.post(_url("close", sent_referral))

    assert refused.status_code == 400
    assert "Met twice." in refused.content.decode()
    assert (completed.status_code, closed.status_code) == (302, 302)
    sent_referral.refresh_from_db()
    assert (sent_referral.status, sent_referral.outcome) == ("closed", "services_received")


def test_asking_for_information_sends_the_referral_back_with_the_question(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(receiver).post(
        _url("request-info", sent_referral), {"info-message": "Which languages?"}
    )

    sent_referral.refresh_from_db()
    assert response.status_code == 302
    assert sent_referral.status == ReferralStatus.INFO_REQUESTED
    assert sent_referral.messages.get().body == "Which languages?"


# Messages.


def test_a_double_submitted_message_is_posted_once_and_shown_as_text(
    sent_referral: Referral, receiver: User, sender: User, as_user: Callable[[User], Client]
) -> None:
    token = str(uuid.uuid4())
    data = {"body": "<script>alert(1)</script>", "submission_token": token, "agency": "999"}
    client = as_user(receiver)

    first = client.post(_url("message", sent_referral), data)
    second = client.post(_url("message", sent_referral), data)
    page = as_user(sender).get(_url("referral-detail", sent_referral)).content.decode()

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    message = ReferralMessage.objects.get()
    assert message.agency_id == receiver.agency_id
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_an_empty_message_is_refused_on_the_page(
    sent_referral: Referral, receiver: User, as_user: Callable[[User], Client]
) -> None:
    response = as_user(receiver).post(
        _url("message", sent_referral), {"body": "", "submission_token": str(uuid.uuid4())}
    )

    assert response.status_code == 400
    assert "consented to share" in response.content.decode()
    assert not ReferralMessage.objects.exists()


# The access log.


def test_the_primary_representative_reads_the_access_log_of_its_referrals(
    sent_referral: Referral,
    receiver: User,
    receiving_primary: User,
    as_user: Callable[[User], Client],
) -> None:
    as_user(receiver).get(_url("referral-detail", sent_referral))

    response = as_user(receiving_primary).get(reverse("referrals:access-log"))

    page = response.content.decode()
    assert response.status_code == 200
    assert str(sent_referral.public_id)[:8] in page
    assert "Safe contact method" in page
    assert CLIENT["safe_contact"] not in page
    assert as_user(receiver).get(reverse("referrals:access-log")).status_code == 403


# Figures.


def test_figures_are_for_coordinators_only(
    receiver: User, receiving_primary: User, as_user: Callable[[User], Client]
) -> None:
    for person in (receiver, receiving_primary):
        assert as_user(person).get(reverse("referrals:figures")).status_code == 403
        assert as_user(person).get(reverse("referrals:figures-export")).status_code == 403


def test_figures_count_the_referrals_sent_in_the_date_range(
    sender: User, service: Service, coordinator: User, as_user: Callable[[User], Client]
) -> None:
    _send(sender, service)
    client = as_user(coordinator)
    today = timezone.localdate()

    current = client.get(reverse("referrals:figures"), {"sent_from": today.isoformat()})
    future = client.get(
        reverse("referrals:figures"),
        {"sent_from": (today + datetime.timedelta(days=1)).isoformat()},
    )

    assert current.status_code == future.status_code == 200
    assert current.context["figures"]["total"] == 1
    assert future.context["figures"]["total"] == 0


def test_figures_export_suppresses_small_cells_and_neutralises_formulas(
    sender: User, coordinator: User, as_user: Callable[[User], Client]
) -> None:
    big = AgencyFactory(name="Big Agency")
    small = AgencyFactory(name="=HYPERLINK(1)")
    big_service = service_of(big)
    for _ in range(5):
        _send(sender, big_service)  # type: ignore[arg-type]
    _send(sender, service_of(small))  # type: ignore[arg-type]

    response = as_user(coordinator).get(reverse("referrals:figures-export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_receiver = {row[1]: row[2] for row in rows if row[0] == "Referrals by receiving agency"}
    assert by_receiver == {"Big Agency": "5", "'=HYPERLINK(1)": "fewer than 5"}
    assert CLIENT["client_label"] not in response.content.decode()


def test_navigation_links_referrals_for_handlers_and_figures_for_coordinators(
    receiver: User, no_role: User, coordinator: User, as_user: Callable[[User], Client]
) -> None:
    dashboard = reverse("accounts:dashboard")
    inbox_link = f'href="{reverse("referrals:inbox")}"'
    figures_link = f'href="{reverse("referrals:figures")}"'

    handler_page = as_user(receiver).get(dashboard).content.decode()
    member_page = as_user(no_role).get(dashboard).content.decode()
    coordinator_page = as_user(coordinator).get(dashboard).content.decode()

    assert inbox_link in handler_page
    assert figures_link not in handler_page
    assert inbox_link not in member_page
    assert figures_link in coordinator_page
