"""A request's whole life leaks no personal data into mail (but the requester's own
address in To), logs, URLs, audit rows or task arguments (SECURITY.md rule 14)."""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import User
from concord.assistance.models import AssistanceRequest, RequestStatus
from concord.assistance.tests.conftest import link_in
from concord.audit.models import AuditEvent
from conftest import sign_in
from tests.mail import Mailbox
from tests.sentinel import SENTINEL, Trail
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def test_a_request_life_sends_and_logs_no_personal_data(
    client: Client,
    coordinator_client: Client,
    member: User,
    smtp_server: Mailbox,
    trail: Trail,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    caplog.set_level(logging.WARNING, logger="mail.log")
    requester_email = f"{SENTINEL.lower()}@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assistance:request-create"),
            {
                "topic": "victim_services",
                "urgency": "within_month",
                "description": f"{SENTINEL} description",
                "name": f"{SENTINEL} name",
                "email": requester_email,
                "phone": "925-555-0100",
                "affiliation": f"{SENTINEL} affiliation",
                "submission_token": "6b0d5c8e-2f6a-4c4b-9e1d-0a7f6b5c4d3e",
            },
        )
    run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        status = client.post(link_in(smtp_server, "/technical-assistance/confirm/"))
    run_queued_tasks()
    client.get(status["Location"])
    request = AssistanceRequest.objects.get()
    expert = sign_in(Client(), member)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.get(reverse("assistance:request-list"))
        coordinator_client.post(
            reverse("assistance:request-assign", args=[request.public_id]),
            {"assign-expert": member.pk, "assign-seen": request.state_key},
        )
        expert.post(reverse("assistance:request-start", args=[request.public_id]))
        expert.post(
            reverse("assistance:time-entry-create", args=[request.public_id]),
            {"time-date": timezone.localdate().isoformat(), "time-hours": "1"},
        )
        expert.post(
            reverse("assistance:request-complete", args=[request.public_id]),
            {"complete-outcome": "Trained the intake team."},
        )
    run_queued_tasks()

    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    # The confirmation link, "new", the coordinator's notice, the expert's notice, and
    # "assigned", "in progress", "completed".
    assert len(smtp_server.messages) == 7
    leaks = [
        message["Subject"]
        for message in smtp_server.messages
        if SENTINEL.lower()
        in (message["Subject"] + message.get_body(("plain",)).get_content()).lower()
    ]
    assert leaks == []
    assert trail.leaks() == []
    assert SENTINEL.lower() not in str(list(AuditEvent.objects.values_list("data"))).lower()
    arguments = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    assert SENTINEL.lower() not in str(arguments).lower()
