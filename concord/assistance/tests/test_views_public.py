"""The public request form, the confirmation link and the requester's status page."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.assistance.models import AssistanceRequest, RequestStatus
from concord.assistance.services.links import Purpose, make_token
from concord.assistance.tests.conftest import link_in
from concord.assistance.tests.factories import AssistanceRequestFactory
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db
TOKEN = "3b0d5c8e-2f6a-4c4b-9e1d-0a7f6b5c4d3e"
URL = "/technical-assistance/"


def answers(**changes: str) -> dict[str, str]:
    return {
        "topic": "labor_trafficking",
        "urgency": "urgent",
        "description": "Our inspectors want to recognise labor trafficking on farms.",
        "name": "Pat Requester",
        "email": "pat@example.org",
        "phone": "925-555-0123",
        "affiliation": "Demo Farm Bureau",
        "homepage": "",
        "submission_token": TOKEN,
        **changes,
    }


def test_the_form_is_public_in_english_and_spanish(client: Client) -> None:
    english = client.get(URL)
    spanish = client.get("/es" + URL)

    assert english.status_code == 200
    assert spanish.status_code == 200
    assert "survivor" in english.content.decode()
    assert "novalidate" in english.content.decode()


def test_an_anonymous_request_reaches_coordinators_only_once_confirmed(
    client: Client,
    coordinator: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, answers())
    run_queued_tasks()
    request = AssistanceRequest.objects.get()

    assert response["Location"] == reverse("assistance:request-sent")
    assert request.confirmed_at is None
    assert [message["To"] for message in smtp_server.messages] == ["pat@example.org"]
    queue = sign_in_coordinator(coordinator)
    assert (
        request.get_absolute_url()
        not in queue.get(reverse("assistance:request-list")).content.decode()
    )

    confirm = link_in(smtp_server, "/technical-assistance/confirm/")
    page = client.get(confirm)
    request.refresh_from_db()
    assert page.status_code == 200
    assert request.confirmed_at is None  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirm)
    run_queued_tasks()
    request.refresh_from_db()

    assert request.confirmed_at is not None
    status_page = client.get(confirmed["Location"])
    assert status_page.status_code == 200
    assert "Our inspectors want" in status_page.content.decode()
    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == ["coordinator@example.org", "pat@example.org", "pat@example.org"]
    arrived = next(m for m in smtp_server.messages if m["To"] == "coordinator@example.org")
    body = arrived.get_body(("plain",)).get_content()
    assert "Labor trafficking" in body
    assert "Pat Requester" not in body
    assert "pat@example.org" not in body
    assert "Demo Farm Bureau" not in body
    assert (
        request.get_absolute_url() in queue.get(reverse("assistance:request-list")).content.decode()
    )


def sign_in_coordinator(coordinator: User) -> Client:
    from conftest import sign_in

    return sign_in(Client(), coordinator)


def test_a_double_submit_makes_one_request(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, answers())
        second = client.post(URL, answers())

    assert AssistanceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_honeypot_makes_nothing_and_says_the_same(client: Client) -> None:
    response = client.post(URL, answers(homepage="http://spam.example"), follow=True)

    assert AssistanceRequest.objects.count() == 0
    assert "emailed you a link" in response.content.decode()


def test_the_rate_limit_per_address_refuses_the_next_request(client: Client, settings: Any) -> None:
    settings.ASSISTANCE_RATE_PER_ADDRESS = 1
    client.post(URL, answers())

    refused = client.post(URL, answers(submission_token="4b0d5c8e-2f6a-4c4b-9e1d-0a7f6b5c4d3e"))

    assert refused.status_code == 400
    assert "Too many requests" in refused.content.decode()
    assert AssistanceRequest.objects.count() == 1


def test_the_rate_limit_per_ip_counts_every_address(client: Client, settings: Any) -> None:
    settings.ASSISTANCE_RATE_PER_IP = 1
    client.post(URL, answers())

    refused = client.post(
        URL,
        answers(email="other@example.org", submission_token="5b0d5c8e-2f6a-4c4b-9e1d-0a7f6b5c4d3e"),
    )

    assert refused.status_code == 400
    assert AssistanceRequest.objects.count() == 1


def test_a_bad_email_address_is_refused(client: Client) -> None:
    response = client.post(URL, answers(email="not-an-address"))

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert AssistanceRequest.objects.count() == 0


def test_a_too_long_description_keeps_what_was_typed(client: Client) -> None:
    typed = "Screening questions for our clinic. " * 100

    response = client.post(URL, answers(description=typed))

    assert response.status_code == 400
    assert AssistanceRequest.objects.count() == 0
    assert "3000 characters or fewer" in response.content.decode()
    assert response.context["form"]["description"].value() == typed


def test_a_signed_in_request_is_prefilled_and_confirmed_at_once(
    member_client: Client,
    member: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    form = member_client.get(URL).context["form"]
    assert form["name"].value() == member.full_name
    assert form["email"].value() == member.email

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(URL, answers(email="someone-else@example.org"))
    run_queued_tasks()
    request = AssistanceRequest.objects.get()

    assert request.confirmed_at is not None
    assert request.email == member.email
    assert request.agency == member.agency
    assert member_client.get(response["Location"]).status_code == 200
    assert [message["To"] for message in smtp_server.messages] == [member.email]
    assert "is now new" in smtp_server.messages[0]["Subject"]


def test_a_status_link_shows_only_its_own_request(client: Client) -> None:
    mine = AssistanceRequestFactory(description="Mine: protocol for clinics.")
    AssistanceRequestFactory(description="Theirs: a youth session.")

    page = client.get(reverse("assistance:request-status", args=[make_token(mine, Purpose.STATUS)]))

    assert page.status_code == 200
    assert "Mine: protocol for clinics." in page.content.decode()
    assert "Theirs" not in page.content.decode()


def test_a_forged_or_revoked_status_link_is_404(client: Client) -> None:
    request = AssistanceRequestFactory()
    token = make_token(request, Purpose.STATUS)
    AssistanceRequest.objects.filter(pk=request.pk).update(access_key="rotated")

    assert client.get(reverse("assistance:request-status", args=[token])).status_code == 404
    assert client.get(reverse("assistance:request-status", args=["forged"])).status_code == 404


def test_a_confirmation_link_does_not_open_the_status_page(client: Client) -> None:
    request = AssistanceRequestFactory(confirmed_at=None)
    token = make_token(request, Purpose.CONFIRM)

    assert client.get(reverse("assistance:request-status", args=[token])).status_code == 404


def test_an_old_confirmation_link_says_it_expired(client: Client) -> None:
    request = AssistanceRequestFactory(confirmed_at=None)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=8)):
        token = make_token(request, Purpose.CONFIRM)

    response = client.post(reverse("assistance:request-confirm", args=[token]))

    assert response.status_code == 410
    request.refresh_from_db()
    assert request.confirmed_at is None


def test_the_status_page_shows_the_decline_reason(client: Client) -> None:
    request = AssistanceRequestFactory(
        status=RequestStatus.DECLINED, decline_reason="Outside what the coalition offers."
    )

    page = client.get(
        reverse("assistance:request-status", args=[make_token(request, Purpose.STATUS)])
    )

    assert "Outside what the coalition offers." in page.content.decode()
