"""Asking for technical assistance: a request from the public form, and the requester's
confirmation of their address."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from concord.accounts.models import User
from concord.assistance.models import AssistanceRequest, RequestStatus, StatusChange
from concord.audit.services import record_event

REQUEST_FIELDS = ("topic", "urgency", "description", "name", "email", "phone", "affiliation")


@transaction.atomic
def submit_request(
    *, values: dict[str, Any], language: str, requester: User | None
) -> AssistanceRequest:
    """A new request. A signed-in requester's address is their account's, so the request
    is confirmed at once; anyone else is emailed a link to confirm it first."""
    from concord.assistance.tasks import send_confirmation_link

    fields = {name: values[name] for name in REQUEST_FIELDS}
    fields["email"] = fields["email"].strip().lower()
    request = AssistanceRequest(**fields, language=language)
    if requester is not None:
        request.requester = requester
        request.agency = requester.agency
        request.email = requester.email
    request.save()
    record_event(
        actor=requester,
        action="concord.assistance.request.submitted",
        target=request,
        agency=request.agency,
        data={"topic": request.topic, "urgency": request.urgency},
    )
    if requester is not None:
        return _confirm(request)
    request_id = request.pk
    transaction.on_commit(lambda: send_confirmation_link.enqueue(request_id))
    return request


@transaction.atomic
def confirm_request(*, request: AssistanceRequest) -> AssistanceRequest:
    """The requester confirmed their address: the request reaches the coordinators. A
    second confirmation changes nothing."""
    request = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
    if request.confirmed_at is not None:
        return request
    return _confirm(request)


def _confirm(request: AssistanceRequest) -> AssistanceRequest:
    from concord.assistance.tasks import notify_coordinators, send_status_update

    request.confirmed_at = timezone.now()
    request.save(update_fields=["confirmed_at", "updated_at"])
    StatusChange.objects.create(
        request=request, from_status="", to_status=RequestStatus.NEW, actor=request.requester
    )
    record_event(
        actor=request.requester,
        action="concord.assistance.request.confirmed",
        target=request,
        agency=request.agency,
    )
    request_id = request.pk
    transaction.on_commit(lambda: send_status_update.enqueue(request_id, RequestStatus.NEW))
    transaction.on_commit(lambda: notify_coordinators.enqueue(request_id))
    return request
