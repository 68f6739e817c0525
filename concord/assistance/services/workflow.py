"""The one place a request's status changes after it arrived: the row is locked, the
transition checked against ``TRANSITIONS``, the change saved, logged and audited, and the
requester emailed once the transaction commits."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.assistance.models import (
    MAX_HOURS,
    TRANSITIONS,
    WORKING_STATUSES,
    AssistanceRequest,
    RequestStatus,
    StatusChange,
    TimeEntry,
)
from concord.audit.services import record_event
from concord.core import permissions


def _locked(request: AssistanceRequest) -> AssistanceRequest:
    return (
        AssistanceRequest.objects.select_for_update()
        .filter(confirmed_at__isnull=False)
        .get(pk=request.pk)
    )


def _status_text(request: AssistanceRequest) -> str:
    return str(request.get_status_display()).lower()


def check_transition(request: AssistanceRequest, to: str) -> None:
    if to in TRANSITIONS[request.status]:
        return
    if request.status == to:
        message = _("Someone already made this change: the request is %(status)s.")
    else:
        message = _("This request is %(status)s and cannot be changed that way.")
    raise ValidationError(message % {"status": _status_text(request)}, code="invalid_transition")


def _move(
    request: AssistanceRequest, to: str, *, actor: User, fields: tuple[str, ...] = ()
) -> AssistanceRequest:
    from concord.assistance.tasks import send_status_update

    check_transition(request, to)
    old = request.status
    request.status = to
    stamps: tuple[str, ...] = ()
    if to in (RequestStatus.COMPLETED, RequestStatus.DECLINED):
        request.closed_at = timezone.now()
        stamps = ("closed_at",)
    request.save(update_fields=["status", "updated_at", *stamps, *fields])
    StatusChange.objects.create(request=request, from_status=old, to_status=to, actor=actor)
    record_event(
        actor=actor,
        action=f"concord.assistance.request.{to}",
        target=request,
        agency=request.agency,
        data={"from": old, "to": to, **({"fields": list(fields)} if fields else {})},
    )
    request_id = request.pk
    transaction.on_commit(lambda: send_status_update.enqueue(request_id, to))
    return request


@transaction.atomic
def assign_request(
    *, actor: User, request: AssistanceRequest, expert: User, seen: str
) -> AssistanceRequest:
    """Give a new (or already assigned) request to ``expert``. ``seen`` is the request's
    ``state_key`` when the coordinator opened it: if someone changed it meanwhile, the
    coordinator is told instead of overwriting that change."""
    from concord.assistance.tasks import notify_expert

    if not permissions.can_manage_assistance(actor):
        raise PermissionDenied
    request = _locked(request)
    if request.state_key != seen:
        raise ValidationError(
            _(
                "Someone else changed this request while you were looking at it: it is now "
                "%(status)s. Check it, then try again."
            )
            % {"status": _status_text(request)},
            code="stale",
        )
    if not permissions.can_be_assistance_expert(expert):
        raise ValidationError(
            {"expert": _("Choose an active person of an active member agency.")}, code="expert"
        )
    if request.assigned_expert_id == expert.pk:
        raise ValidationError(
            {"expert": _("This request is already assigned to that person.")}, code="same"
        )
    check_transition(request, RequestStatus.ASSIGNED)
    request.assigned_expert = expert
    request.assigned_at = timezone.now()
    _move(
        request,
        RequestStatus.ASSIGNED,
        actor=actor,
        fields=("assigned_expert", "assigned_at"),
    )
    request_id = request.pk
    transaction.on_commit(lambda: notify_expert.enqueue(request_id))
    return request


@transaction.atomic
def decline_request(*, actor: User, request: AssistanceRequest, reason: str) -> AssistanceRequest:
    if not permissions.can_manage_assistance(actor):
        raise PermissionDenied
    request = _locked(request)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")}, code="required")
    check_transition(request, RequestStatus.DECLINED)
    request.decline_reason = reason.strip()
    return _move(request, RequestStatus.DECLINED, actor=actor, fields=("decline_reason",))


@transaction.atomic
def start_request(*, actor: User, request: AssistanceRequest) -> AssistanceRequest:
    """The expert (or a coordinator) begins the work."""
    request = _locked(request)
    if not permissions.can_work_on_assistance_request(actor, request):
        raise PermissionDenied
    return _move(request, RequestStatus.IN_PROGRESS, actor=actor)


@transaction.atomic
def complete_request(*, actor: User, request: AssistanceRequest, outcome: str) -> AssistanceRequest:
    request = _locked(request)
    if not permissions.can_work_on_assistance_request(actor, request):
        raise PermissionDenied
    if not outcome.strip():
        raise ValidationError({"outcome": _("Describe the outcome.")}, code="required")
    check_transition(request, RequestStatus.COMPLETED)
    request.outcome = outcome.strip()
    return _move(request, RequestStatus.COMPLETED, actor=actor, fields=("outcome",))


@transaction.atomic
def log_time(
    *,
    actor: User,
    request: AssistanceRequest,
    date: datetime.date,
    hours: Decimal,
    note: str = "",
) -> TimeEntry:
    """Hours the actor gave to the request on ``date``: more than 0, at most 24."""
    request = _locked(request)
    if not permissions.can_work_on_assistance_request(actor, request):
        raise PermissionDenied
    if request.status not in WORKING_STATUSES:
        raise ValidationError(
            _("This request is %(status)s: time is logged while it is assigned or in progress.")
            % {"status": _status_text(request)},
            code="closed",
        )
    if not Decimal(0) < hours <= MAX_HOURS:
        raise ValidationError({"hours": _("Enter more than 0 and at most 24 hours.")}, code="hours")
    if date > timezone.localdate():
        raise ValidationError({"date": _("Time cannot be logged for a future day.")})
    entry = TimeEntry.objects.create(
        request=request, expert=actor, date=date, hours=hours, note=note.strip()
    )
    record_event(
        actor=actor,
        action="concord.assistance.time.logged",
        target=request,
        agency=request.agency,
        data={"hours": str(hours), "entry": entry.pk},
    )
    return entry
