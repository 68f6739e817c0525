"""When an application must be decided: before the next coalition meeting it can make.

The dates come from the meeting records (moves and cancellations included), not from the
recurrence rule, so what the applicant is promised is the meeting that will happen.
"""

import datetime

from django.utils import timezone

from concord.coalition.queries import current_coalition
from concord.meetings.models import Meeting, MeetingStatus

DEFAULT_DECISION_DAYS = 7
# How many upcoming meetings to look through for one an application can still make.
LOOKAHEAD = 12


def decision_days() -> int:
    coalition = current_coalition()
    return coalition.decision_days_before if coalition else DEFAULT_DECISION_DAYS


def decide_by_for(meeting: Meeting, days: int) -> datetime.date:
    return timezone.localdate(meeting.starts_at) - datetime.timedelta(days=days)


def hear_by(meeting: Meeting) -> datetime.date:
    """The day before the meeting: the date the applicant is promised an answer by."""
    return timezone.localdate(meeting.starts_at) - datetime.timedelta(days=1)


def target_meeting(
    at: datetime.datetime, days: int | None = None
) -> tuple[Meeting | None, datetime.date | None]:
    """The first coalition meeting whose cut-off (its date minus ``days``) is on or
    after the day of ``at``, with that cut-off; an application confirmed later rolls
    to the following meeting. (None, None) when no meeting is on record."""
    days = decision_days() if days is None else days
    day = timezone.localdate(at)
    upcoming = Meeting.objects.filter(
        committee__isnull=True, status=MeetingStatus.SCHEDULED, starts_at__gt=at
    ).order_by("starts_at")[:LOOKAHEAD]
    for meeting in upcoming:
        cutoff = decide_by_for(meeting, days)
        if day <= cutoff:
            return meeting, cutoff
    return None, None
