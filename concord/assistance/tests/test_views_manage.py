"""The coordinators' queue, a request's page and its actions, and the expert's list."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.assistance.models import AssistanceRequest, RequestStatus, TimeEntry, Topic, Urgency
from concord.assistance.tests.factories import AssistanceRequestFactory
from conftest import sign_in
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def url(name: str, request: AssistanceRequest) -> str:
    return reverse(f"assistance:{name}", kwargs={"public_id": request.public_id})


def test_the_queue_puts_urgent_first_then_newest_and_filters(coordinator_client: Client) -> None:
    now = timezone.now()
    old_urgent = AssistanceRequestFactory(urgency=Urgency.URGENT, topic=Topic.YOUTH, created_at=now)
    AssistanceRequest.objects.filter(pk=old_urgent.pk).update(
        created_at=now - datetime.timedelta(days=3)
    )
    new_urgent = AssistanceRequestFactory(urgency=Urgency.URGENT, topic=Topic.SCREENING)
    later = AssistanceRequestFactory(urgency=Urgency.WHEN_POSSIBLE, topic=Topic.YOUTH)
    AssistanceRequestFactory(status=RequestStatus.DECLINED, decline_reason="No.")
    AssistanceRequestFactory(confirmed_at=None)  # not confirmed: not in the queue

    page = coordinator_client.get(reverse("assistance:request-list"))
    youth = coordinator_client.get(reverse("assistance:request-list"), {"topic": "youth"})
    declined = coordinator_client.get(reverse("assistance:request-list"), {"status": "declined"})

    assert list(page.context["page"]) == [new_urgent, old_urgent, later]
    assert list(youth.context["page"]) == [old_urgent, later]
    assert [item.status for item in declined.context["page"]] == ["declined"]


def test_the_queue_makes_the_same_queries_whatever_the_count(
    coordinator_client: Client, member: User
) -> None:
    AssistanceRequestFactory.create_batch(3, status=RequestStatus.ASSIGNED, assigned_expert=member)
    coordinator_client.get(reverse("assistance:request-list"))
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(reverse("assistance:request-list"))
    AssistanceRequestFactory.create_batch(
        20, status=RequestStatus.ASSIGNED, assigned_expert=UserFactory(agency=member.agency)
    )
    with CaptureQueriesContext(connection) as many:
        coordinator_client.get(reverse("assistance:request-list"))

    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("persona", ["member_client", "outsider_client", "representative_client"])
def test_only_coordinators_open_the_queue_and_figures(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)

    assert client.get(reverse("assistance:request-list")).status_code == 403
    assert client.get(reverse("assistance:figures")).status_code == 403


def test_another_expert_gets_404_and_sees_nothing(
    outsider_client: Client, assigned_request: AssistanceRequest
) -> None:
    for name in ("request-detail",):
        assert outsider_client.get(url(name, assigned_request)).status_code == 404
    for name in ("request-start", "request-complete", "time-entry-create", "request-assign"):
        assert outsider_client.post(url(name, assigned_request), {}).status_code == 404
    assigned = outsider_client.get(reverse("assistance:assigned-list"))
    assert assigned_request.get_absolute_url() not in assigned.content.decode()


def test_a_whole_request_life_emails_the_requester_at_each_step(
    coordinator_client: Client,
    coordinator: User,
    member: User,
    new_request: AssistanceRequest,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    expert_client = sign_in(Client(), member)
    page = coordinator_client.get(new_request.get_absolute_url())
    seen = page.context["assign_form"]["seen"].value()

    with django_capture_on_commit_callbacks(execute=True):
        assigned = coordinator_client.post(
            url("request-assign", new_request), {"assign-expert": member.pk, "assign-seen": seen}
        )
    run_queued_tasks()
    assert assigned.status_code == 302
    to_expert = next(m for m in smtp_server.messages if m["To"] == member.email)
    expert_body = to_expert.get_body(("plain",)).get_content()
    assert "Screening for trafficking" in expert_body
    assert new_request.get_absolute_url() in expert_body
    for detail in (new_request.name, new_request.email, new_request.affiliation):
        assert detail not in expert_body
        assert detail not in to_expert["Subject"]

    assigned_page = expert_client.get(reverse("assistance:assigned-list"))
    assert new_request.get_absolute_url() in assigned_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        expert_client.post(url("request-start", new_request))
        logged = expert_client.post(
            url("time-entry-create", new_request),
            {"time-date": timezone.localdate().isoformat(), "time-hours": "2.5", "time-note": ""},
        )
        completed = expert_client.post(
            url("request-complete", new_request), {"complete-outcome": "Gave a session."}
        )
    run_queued_tasks()

    assert logged.status_code == 302
    assert completed.status_code == 302
    new_request.refresh_from_db()
    assert new_request.status == RequestStatus.COMPLETED
    assert TimeEntry.objects.get().hours == 2.5
    to_requester = [m for m in smtp_server.messages if m["To"] == new_request.email]
    assert [m["Subject"] for m in to_requester] == [
        "Your technical assistance request is now assigned",
        "Your technical assistance request is now in progress",
        "Your technical assistance request is now completed",
    ]
    for message in to_requester:
        body = message.get_body(("plain",)).get_content()
        assert "/technical-assistance/status/" in body
        assert member.full_name not in body
        assert member.email not in body


def test_declining_emails_the_requester_and_needs_a_reason(
    coordinator_client: Client,
    new_request: AssistanceRequest,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    empty = coordinator_client.post(url("request-decline", new_request), {"decline-reason": " "})
    assert empty.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            url("request-decline", new_request), {"decline-reason": "Out of scope."}
        )
    run_queued_tasks()

    new_request.refresh_from_db()
    assert new_request.status == RequestStatus.DECLINED
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Your technical assistance request is now declined"
    ]


def test_a_stale_assign_shows_a_clear_message(
    coordinator_client: Client, member: User, representative: User, new_request: AssistanceRequest
) -> None:
    seen = new_request.state_key
    coordinator_client.post(
        url("request-assign", new_request), {"assign-expert": member.pk, "assign-seen": seen}
    )

    second = coordinator_client.post(
        url("request-assign", new_request),
        {"assign-expert": representative.pk, "assign-seen": seen},
    )

    assert second.status_code == 400
    assert "Someone else changed this request" in second.content.decode()
    new_request.refresh_from_db()
    assert new_request.assigned_expert == member


def test_assign_offers_only_active_people_of_active_agencies(
    coordinator_client: Client, member: User, deactivated: User, new_request: AssistanceRequest
) -> None:
    page = coordinator_client.get(new_request.get_absolute_url())
    experts = list(page.context["assign_form"].fields["expert"].queryset)

    refused = coordinator_client.post(
        url("request-assign", new_request),
        {"assign-expert": deactivated.pk, "assign-seen": new_request.state_key},
    )

    assert member in experts
    assert deactivated not in experts
    assert refused.status_code == 400
    new_request.refresh_from_db()
    assert new_request.assigned_expert is None


@pytest.mark.parametrize("hours", ["0", "-2", "24.5", "abc"])
def test_hours_out_of_range_are_refused_with_what_was_typed(
    member_client: Client, assigned_request: AssistanceRequest, hours: str
) -> None:
    response = member_client.post(
        url("time-entry-create", assigned_request),
        {"time-date": timezone.localdate().isoformat(), "time-hours": hours, "time-note": "Call"},
    )

    assert response.status_code == 400
    assert TimeEntry.objects.count() == 0
    assert response.context["time_form"]["hours"].value() == hours


def test_the_expert_cannot_assign_or_decline(
    member_client: Client, member: User, assigned_request: AssistanceRequest
) -> None:
    page = member_client.get(assigned_request.get_absolute_url())

    assert page.context["can_assign"] is False
    assert page.context["can_decline"] is False
    assert page.context["can_start"] is True
    assert (
        member_client.post(url("request-decline", assigned_request), {"decline-reason": "No."})
    ).status_code == 403
