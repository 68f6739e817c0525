"""Demo technical assistance requests in each state, with hours logged, so a person can
try the queue, the expert's page and the figures. Requesters are fictitious and use
example.org addresses. Idempotent: nothing is added when the demo already has requests."""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from concord.accounts.models import User
from concord.assistance.models import (
    AssistanceRequest,
    RequestStatus,
    StatusChange,
    TimeEntry,
    Topic,
    Urgency,
)

DEMO_EXPERT_LOGIN = "member@example.org"
DEMO_COORDINATOR_LOGIN = "coordinator@example.org"
# (topic, urgency, affiliation, description, the statuses it went through after "new",
# hours logged)
PLAN: list[tuple[str, str, str, str, list[str], list[str]]] = [
    (
        Topic.SCREENING,
        Urgency.URGENT,
        "Demo County Urgent Care",
        "Our triage nurses want a short screening guide for trafficking indicators.",
        [],
        [],
    ),
    (
        Topic.LABOR_TRAFFICKING,
        Urgency.WITHIN_MONTH,
        "Demo Restaurant Association",
        "Help our members recognise labor trafficking in kitchens and post the SB 1193 notice.",
        [RequestStatus.ASSIGNED],
        [],
    ),
    (
        Topic.PROTOCOLS,
        Urgency.WHEN_POSSIBLE,
        "Demo Unified School District",
        "We are writing a protocol for staff who suspect a student is being exploited.",
        [RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS],
        ["2.5", "1.5"],
    ),
    (
        Topic.YOUTH,
        Urgency.WITHIN_MONTH,
        "Demo Youth Center",
        "A session for our outreach workers on youth at risk of trafficking.",
        [RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED],
        ["3", "2", "1.25"],
    ),
    (
        Topic.DATA,
        Urgency.WHEN_POSSIBLE,
        "Demo Research Institute",
        "We would like the coalition's case-level data for a study.",
        [RequestStatus.DECLINED],
        [],
    ),
]
_COORDINATOR_STEPS = (RequestStatus.ASSIGNED, RequestStatus.DECLINED)
REQUESTERS = ["Demo Requester Avery", "Demo Requester Blake", "Demo Requester Cruz"]


def seed(*, scale: int, rng: random.Random) -> Iterator[str]:
    expert = User.objects.filter(email=DEMO_EXPERT_LOGIN, is_active=True).first()
    coordinator = User.objects.filter(email=DEMO_COORDINATOR_LOGIN).first()
    if expert is None or coordinator is None or AssistanceRequest.objects.exists():
        return
    now = timezone.now()
    for index, (topic, urgency, affiliation, description, steps, hours) in enumerate(PLAN):
        moment = now - datetime.timedelta(days=4 * (len(steps) + 1) + index)
        request = AssistanceRequest.objects.create(
            topic=topic,
            urgency=urgency,
            description=description,
            name=REQUESTERS[index % len(REQUESTERS)],
            email=f"requester{index + 1}@example.org",
            affiliation=affiliation,
            confirmed_at=moment,
        )
        changes = [
            StatusChange(
                request=request, from_status="", to_status=RequestStatus.NEW, changed_at=moment
            )
        ]
        status: str = RequestStatus.NEW
        for step in steps:
            moment += datetime.timedelta(days=4)
            changes.append(
                StatusChange(
                    request=request,
                    from_status=status,
                    to_status=step,
                    actor=coordinator if step in _COORDINATOR_STEPS else expert,
                    changed_at=moment,
                )
            )
            status = step
            if step == RequestStatus.ASSIGNED:
                request.assigned_expert, request.assigned_at = expert, moment
            if step == RequestStatus.DECLINED:
                request.decline_reason = (
                    "The coalition does not share case-level data; its public figures are "
                    "aggregate counts."
                )
            if step == RequestStatus.COMPLETED:
                request.outcome = "Gave a two-hour session to twelve outreach workers."
            if step in (RequestStatus.COMPLETED, RequestStatus.DECLINED):
                request.closed_at = moment
        request.status = status
        request.save()
        StatusChange.objects.bulk_create(changes)
        TimeEntry.objects.bulk_create(
            TimeEntry(
                request=request,
                expert=expert,
                date=timezone.localdate(now) - datetime.timedelta(days=day + 1),
                hours=Decimal(value),
                note="Preparation and a call with the requester.",
            )
            for day, value in enumerate(hours)
        )
    yield f"Technical assistance: {len(PLAN)} demo requests, assigned to {DEMO_EXPERT_LOGIN}."
