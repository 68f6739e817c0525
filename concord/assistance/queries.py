"""Reads of technical assistance requests: the coordinators' queue, an expert's list,
who may be assigned, and the figures (issue 9's dashboard reads ``assistance_figures``)."""

import datetime
import statistics
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import AgencyStatus
from concord.assistance.models import (
    OPEN_STATUSES,
    URGENCY_RANK,
    AssistanceRequest,
    RequestStatus,
    TimeEntry,
)
from concord.core import permissions


def confirmed_requests() -> QuerySet[AssistanceRequest]:
    """Requests whose requester confirmed their address (or was signed in): the only ones
    coordinators and experts see."""
    return AssistanceRequest.objects.filter(confirmed_at__isnull=False)


def requests_in_reach(user: Any) -> QuerySet[AssistanceRequest]:
    """Coordinators reach every confirmed request; an expert, the ones assigned to them."""
    requests = confirmed_requests()
    if permissions.can_manage_assistance(user):
        return requests
    if not permissions.is_active_user(user):
        return requests.none()
    return requests.filter(assigned_expert=user)


def _by_urgency(requests: QuerySet[AssistanceRequest]) -> QuerySet[AssistanceRequest]:
    rank = Case(
        *[When(urgency=urgency, then=Value(value)) for urgency, value in URGENCY_RANK.items()],
        output_field=IntegerField(),
    )
    return requests.annotate(urgency_rank=rank).order_by("urgency_rank", "-created_at")


def request_queue(*, status: str = "", topic: str = "") -> QuerySet[AssistanceRequest]:
    """The coordinators' queue: open requests unless a status is asked for, the most urgent
    first and the newest first within an urgency."""
    requests = confirmed_requests().select_related("assigned_expert", "agency")
    requests = (
        requests.filter(status=status) if status else requests.filter(status__in=OPEN_STATUSES)
    )
    if topic:
        requests = requests.filter(topic=topic)
    return _by_urgency(requests)


def requests_assigned_to(user: User) -> QuerySet[AssistanceRequest]:
    return _by_urgency(confirmed_requests().filter(assigned_expert=user)).annotate(
        hours=Sum("time_entries__hours")
    )


def eligible_experts() -> QuerySet[User]:
    """Who may be assigned: active people of active member agencies."""
    return (
        User.objects.filter(is_active=True, agency__status=AgencyStatus.ACTIVE)
        .select_related("agency")
        .order_by("full_name", "pk")
    )


def _counts(rows: QuerySet[Any], key: str) -> dict[str, int]:
    return {
        row[key]: row["count"] for row in rows.values(key).annotate(count=Count("pk")).order_by(key)
    }


def _days(start: datetime.datetime, end: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The local days [first, after last) that [start, end) covers."""
    local_end = timezone.localtime(end)
    after_last = local_end.date()
    if local_end.time() != datetime.time():
        after_last += datetime.timedelta(days=1)
    return timezone.localdate(start), after_last


def assistance_figures(start: datetime.datetime, end: datetime.datetime) -> dict[str, Any]:
    """Counts for [start, end): requests confirmed in the range by status and by topic,
    hours logged on days in the range, and the median days from confirmation to completion
    of the requests completed in the range. No personal data."""
    received = confirmed_requests().filter(confirmed_at__gte=start, confirmed_at__lt=end)
    first_day, after_last_day = _days(start, end)
    hours = TimeEntry.objects.filter(date__gte=first_day, date__lt=after_last_day)
    completed = confirmed_requests().filter(
        status=RequestStatus.COMPLETED, closed_at__gte=start, closed_at__lt=end
    )
    durations = [
        (closed - confirmed).total_seconds() / 86400
        for confirmed, closed in completed.values_list("confirmed_at", "closed_at")
        if confirmed is not None and closed is not None
    ]
    return {
        "total": received.count(),
        "by_status": _counts(received, "status"),
        "by_topic": _counts(received, "topic"),
        "hours": hours.aggregate(total=Sum("hours"))["total"] or Decimal(0),
        "completed": len(durations),
        "median_days_to_complete": statistics.median(durations) if durations else None,
    }
