"""An application's whole life leaks no personal data (SECURITY.md rule 14).

Every personal field carries the sentinel; the applicant applies, confirms, a
coordinator accepts, and every email, log line and URL of the run is searched.
"""

import logging
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.meetings.models import Committee
from concord.membership.models import Application, ApplicationStatus, Step
from tests.mail import Mailbox
from tests.sentinel import SENTINEL, Trail
from tests.tasks import run_queued_tasks

TOKEN = "0f5a8f0e-6c1e-4d8c-9a53-6f7b0c2d9e11"


def _marked(name: str) -> str:
    return f"{SENTINEL} {name}"


def _answers(committee: Committee) -> list[tuple[str, dict[str, Any]]]:
    values: dict[str, str] = {}
    for position in range(1, 6):
        values[f"affirm_{position}"] = "on"
        values[f"practice_{position}"] = "Case conferences with partners."
    return [
        (
            Step.AGENCY,
            {
                "legal_name": "Harbor Shelter",
                "sector": "victim_services",
                "street_address": "1 Main Street",
                "city": "Concord",
                "postal_code": "94520",
                "whole_county": "on",
                "phone": "925-555-0100",
                "description": "Emergency shelter for survivors.",
            },
        ),
        (
            Step.PEOPLE,
            {
                "primary_name": _marked("primary"),
                "primary_title": _marked("title"),
                "primary_email": f"{SENTINEL.lower()}.primary@harbor.example.org",
                "primary_phone": "925-555-0101",
                "primary_language": "en",
                "alternate_name": _marked("alternate"),
                "alternate_email": f"{SENTINEL.lower()}.alternate@harbor.example.org",
                "alternate_language": "es",
            },
        ),
        (
            Step.COMMITMENT,
            {
                "committees": [committee.pk],
                "agrees_to_attend": "on",
                "agrees_to_committee": "on",
                "hours_per_month": "4",
            },
        ),
        (Step.VALUES, values),
        (
            Step.AGREEMENT,
            {
                "agrees_to_confidentiality": "on",
                "signature_name": _marked("signature"),
                "signature_title": _marked("signature title"),
                "signature_date": timezone.localdate().isoformat(),
            },
        ),
    ]


def _link(mailbox: Mailbox, pattern: str) -> str:
    for body in reversed(mailbox.bodies()):
        if found := re.search(r"https?://[^/\s]+(\S*" + pattern + r"\S*)", body):
            return found.group(1)
    raise AssertionError(f"No email with a link matching {pattern}")


@pytest.mark.django_db(transaction=True)
def test_an_application_life_sends_and_logs_no_personal_data(
    client: Client,
    coordinator_client: Client,
    coordinator: User,
    representative: User,
    smtp_server: Mailbox,
    trail: Trail,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The test SMTP server logs each envelope; those lines are the test's, not Concord's.
    caplog.set_level(logging.WARNING, logger="mail.log")
    Coalition.objects.create(**DEMO_COALITION)
    committee = Committee.objects.create(name="Training")
    client.post(
        reverse("membership:apply-start"),
        {"email": f"{SENTINEL.lower()}@harbor.example.org", "submission_token": TOKEN},
        follow=True,
    )
    for step, answers in _answers(committee):
        response = client.post(
            reverse("membership:apply-step", args=[step]), {**answers, "action": "next"}
        )
        assert response.status_code == 302, step
    client.post(reverse("membership:apply-submit"))
    run_queued_tasks()
    client.post(_link(smtp_server, "/apply/confirm/"))
    run_queued_tasks()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.IN_REVIEW

    coordinator_client.get(reverse("membership:application-list"))
    coordinator_client.get(application.get_absolute_url())
    coordinator_client.post(reverse("membership:application-accept", args=[application.pk]))
    run_queued_tasks()

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    # Sent: the link, the confirmation request, the confirmation, the coordinator's
    # notice, the decision, two invitations and the chair's notice of a request to join.
    assert len(smtp_server.messages) >= 7
    leaks = [
        message["Subject"]
        for message in smtp_server.messages
        if SENTINEL.lower()
        in (message["Subject"] + message.get_body(("plain",)).get_content()).lower()
    ]
    assert leaks == []
    assert trail.leaks() == []
