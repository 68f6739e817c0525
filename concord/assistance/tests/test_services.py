import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, AgencyStatus
from concord.assistance.models import (
    AssistanceRequest,
    RequestStatus,
    StatusChange,
    TimeEntry,
)
from concord.assistance.services import requests, workflow
from concord.assistance.tests.factories import AssistanceRequestFactory
from concord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
VALUES = {
    "topic": "youth",
    "urgency": "urgent",
    "description": "A session for our outreach team.",
    "name": "Pat Requester",
    "email": " Pat@Example.org ",
    "phone": "",
    "affiliation": "Demo Youth Center",
}


def actions(request: AssistanceRequest) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(request.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_submit_request_without_an_account_waits_for_confirmation() -> None:
    request = requests.submit_request(values=VALUES, language="es", requester=None)

    assert request.confirmed_at is None
    assert request.email == "pat@example.org"
    assert request.language == "es"
    assert request.status_changes.count() == 0
    assert actions(request) == ["concord.assistance.request.submitted"]


def test_submit_request_signed_in_is_confirmed_with_the_accounts_address(member: User) -> None:
    request = requests.submit_request(values=VALUES, language="en", requester=member)

    assert request.confirmed_at is not None
    assert request.email == member.email
    assert request.requester == member
    assert request.agency == member.agency
    assert list(request.status_changes.values_list("to_status", flat=True)) == ["new"]
    assert actions(request) == [
        "concord.assistance.request.submitted",
        "concord.assistance.request.confirmed",
    ]


def test_confirm_request_twice_confirms_once() -> None:
    request = requests.submit_request(values=VALUES, language="en", requester=None)

    first = requests.confirm_request(request=request)
    second = requests.confirm_request(request=request)

    assert first.confirmed_at == second.confirmed_at
    assert StatusChange.objects.filter(request=request).count() == 1


def test_assign_start_log_and_complete_records_each_step(
    coordinator: User, member: User, new_request: AssistanceRequest
) -> None:
    workflow.assign_request(
        actor=coordinator, request=new_request, expert=member, seen=new_request.state_key
    )
    workflow.start_request(actor=member, request=new_request)
    workflow.log_time(
        actor=member, request=new_request, date=timezone.localdate(), hours=Decimal("1.5")
    )
    done = workflow.complete_request(actor=member, request=new_request, outcome=" Gave a session. ")

    assert done.status == RequestStatus.COMPLETED
    assert done.outcome == "Gave a session."
    assert done.closed_at is not None
    assert list(done.status_changes.values_list("to_status", flat=True)) == [
        "assigned",
        "in_progress",
        "completed",
    ]
    assert actions(done) == [
        "concord.assistance.request.assigned",
        "concord.assistance.request.in_progress",
        "concord.assistance.time.logged",
        "concord.assistance.request.completed",
    ]


def test_two_coordinators_assigning_at_once_give_one_result(
    coordinator: User, member: User, representative: User, new_request: AssistanceRequest
) -> None:
    other_coordinator = UserFactory(is_staff=True)
    seen = new_request.state_key
    stale = AssistanceRequest.objects.get(pk=new_request.pk)
    workflow.assign_request(actor=coordinator, request=new_request, expert=member, seen=seen)

    with pytest.raises(ValidationError) as refused:
        workflow.assign_request(
            actor=other_coordinator, request=stale, expert=representative, seen=seen
        )

    assert "Someone else changed this request" in refused.value.messages[0]
    new_request.refresh_from_db()
    assert new_request.assigned_expert == member
    assert new_request.status_changes.count() == 1


def test_declining_twice_tells_the_second_coordinator(
    coordinator: User, new_request: AssistanceRequest
) -> None:
    stale = AssistanceRequest.objects.get(pk=new_request.pk)
    workflow.decline_request(actor=coordinator, request=new_request, reason="Out of scope.")

    with pytest.raises(ValidationError) as refused:
        workflow.decline_request(actor=coordinator, request=stale, reason="Also out of scope.")

    assert refused.value.messages == ["Someone already made this change: the request is declined."]
    stale.refresh_from_db()
    assert stale.decline_reason == "Out of scope."


def test_assign_refuses_an_expert_of_an_inactive_agency(
    coordinator: User, outsider: User, agency_b: Agency, new_request: AssistanceRequest
) -> None:
    Agency.objects.filter(pk=agency_b.pk).update(status=AgencyStatus.LAPSED)
    outsider.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        workflow.assign_request(
            actor=coordinator, request=new_request, expert=outsider, seen=new_request.state_key
        )

    assert "expert" in refused.value.message_dict


def test_only_coordinators_assign_and_decline(member: User, new_request: AssistanceRequest) -> None:
    with pytest.raises(PermissionDenied):
        workflow.assign_request(
            actor=member, request=new_request, expert=member, seen=new_request.state_key
        )
    with pytest.raises(PermissionDenied):
        workflow.decline_request(actor=member, request=new_request, reason="No.")


def test_another_expert_cannot_work_on_the_request(
    outsider: User, assigned_request: AssistanceRequest
) -> None:
    with pytest.raises(PermissionDenied):
        workflow.start_request(actor=outsider, request=assigned_request)
    with pytest.raises(PermissionDenied):
        workflow.log_time(
            actor=outsider, request=assigned_request, date=timezone.localdate(), hours=Decimal(1)
        )


def test_complete_needs_the_work_started(member: User, assigned_request: AssistanceRequest) -> None:
    with pytest.raises(ValidationError) as refused:
        workflow.complete_request(actor=member, request=assigned_request, outcome="Done.")

    assert refused.value.messages == ["This request is assigned and cannot be changed that way."]


@pytest.mark.parametrize("hours", ["0", "-1", "24.01", "25"])
def test_log_time_refuses_hours_out_of_range(
    member: User, assigned_request: AssistanceRequest, hours: str
) -> None:
    with pytest.raises(ValidationError):
        workflow.log_time(
            actor=member, request=assigned_request, date=timezone.localdate(), hours=Decimal(hours)
        )

    assert TimeEntry.objects.count() == 0


def test_log_time_refuses_a_closed_request_and_a_future_day(
    member: User, assigned_request: AssistanceRequest
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        workflow.log_time(actor=member, request=assigned_request, date=tomorrow, hours=Decimal(1))
    AssistanceRequest.objects.filter(pk=assigned_request.pk).update(status=RequestStatus.DECLINED)
    with pytest.raises(ValidationError):
        workflow.log_time(
            actor=member, request=assigned_request, date=timezone.localdate(), hours=Decimal(1)
        )


def test_the_database_refuses_hours_out_of_range(
    member: User, assigned_request: AssistanceRequest
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(
            request=assigned_request, expert=member, date=timezone.localdate(), hours=Decimal(25)
        )


def test_the_database_refuses_an_unknown_status() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AssistanceRequestFactory(status="lost")
