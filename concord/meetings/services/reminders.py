"""Reminders and notices: who is emailed about what, each exactly once.

Each email is first recorded as a Reminder row (unique kind + subject + person) in the
same transaction that queues its task, so a scheduler that runs twice, or restarts, finds
the row and queues nothing more. The email task itself claims the row before sending.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.meetings.models import (
    Committee,
    CommitteeKind,
    CommitteeRole,
    CommitteeStatus,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    Minutes,
    Reminder,
)
from concord.meetings.queries import invitees
from concord.meetings.services.records import action_items_due
from concord.meetings.tasks import send_reminder

DEFAULT_REMINDER_DAYS = (7, 1)
MAX_REMINDER_DAYS = 60
AGENDA_DUE_DAYS = 5
ACTION_DUE_DAYS = 2
SUNSET_NOTICE_DAYS = 14


def parse_reminder_days(text: str) -> list[int]:
    """ "7,1" → [7, 1]: whole numbers from 0 to 60, each once, largest first.

    Raises ValueError on anything else; an empty text means no reminders.
    """
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(part)
        number = int(part)
        if number > MAX_REMINDER_DAYS:
            raise ValueError(part)
        days.add(number)
    return sorted(days, reverse=True)


def reminder_days_of(meeting: Meeting) -> list[int]:
    """The series' reminder days; meetings added without a series use 7 and 1."""
    if meeting.series is None:
        return list(DEFAULT_REMINDER_DAYS)
    try:
        return parse_reminder_days(meeting.series.reminder_days)
    except ValueError:
        return list(DEFAULT_REMINDER_DAYS)


def days_before(meeting: Meeting, now: datetime.datetime) -> int:
    """Whole calendar days from ``now`` to the meeting, counted on the meeting's own local
    dates, so "1 day before" means the day before on the wall calendar, DST or not."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    return (meeting.starts_at.astimezone(zone).date() - now.astimezone(zone).date()).days


def organisers(committee_id: int | None) -> list[int]:
    """Who is warned about a meeting or committee: the coordinators and its chairs."""
    people = User.objects.filter(is_active=True)
    chairs = Q(
        committee_memberships__committee_id=committee_id,
        committee_memberships__role=CommitteeRole.CHAIR,
        committee_memberships__status=MembershipStatus.ACTIVE,
    )
    wanted = Q(is_staff=True) | chairs if committee_id is not None else Q(is_staff=True)
    return sorted(set(people.filter(wanted).values_list("pk", flat=True)))


def _enqueue(reminder_ids: list[int]) -> None:
    for reminder_id in reminder_ids:
        send_reminder.enqueue(reminder_id)


def record_reminders(*, kind: str, subject_key: str, person_ids: Iterable[int]) -> int:
    """Record the reminder for each person who has not had it yet and queue its email
    once the transaction commits; returns how many were queued."""
    wanted = list(dict.fromkeys(person_ids))
    created: list[int] = []
    with transaction.atomic():
        already = set(
            Reminder.objects.filter(
                kind=kind, subject_key=subject_key, person_id__in=wanted
            ).values_list("person_id", flat=True)
        )
        for person_id in wanted:
            if person_id in already:
                continue
            try:
                # A second scheduler racing this one loses here, person by person.
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        kind=kind, subject_key=subject_key, person_id=person_id
                    )
            except IntegrityError:
                continue
            created.append(reminder.pk)
        if created:
            transaction.on_commit(lambda: _enqueue(created))
    return len(created)


def _upcoming(now: datetime.datetime, days: int) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        starts_at__gt=now,
        # A day more than asked: local dates can lie up to a day from the UTC clock.
        starts_at__lte=now + datetime.timedelta(days=days + 1),
    ).exclude(committee__status=CommitteeStatus.ARCHIVED)


def queue_meeting_reminders(*, now: datetime.datetime) -> int:
    """Invitees who want reminders hear N days before each meeting, for each N of its
    series. When the scheduler missed a day, only the nearest reminder due goes out."""
    total = 0
    for meeting in _upcoming(now, MAX_REMINDER_DAYS).select_related("series"):
        left = days_before(meeting, now)
        due = [days for days in reminder_days_of(meeting) if days >= left]
        if not due:
            continue
        days = min(due)
        local_day = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.time_zone)).date()
        people = invitees(meeting).filter(receives_reminders=True).values_list("pk", flat=True)
        total += record_reminders(
            kind=Reminder.Kind.BEFORE_MEETING,
            subject_key=f"meeting:{meeting.pk}:{days}d:{local_day.isoformat()}",
            person_ids=people,
        )
    return total


def queue_agenda_warnings(*, now: datetime.datetime) -> int:
    """Coordinators and chairs hear when an agenda is still unpublished 5 days before."""
    total = 0
    for meeting in _upcoming(now, AGENDA_DUE_DAYS).filter(agenda_published_at__isnull=True):
        if days_before(meeting, now) > AGENDA_DUE_DAYS:
            continue
        total += record_reminders(
            kind=Reminder.Kind.AGENDA_LATE,
            subject_key=f"meeting:{meeting.pk}",
            person_ids=organisers(meeting.committee_id),
        )
    return total


def _next_meeting_held(meeting: Meeting, now: datetime.datetime) -> bool:
    later = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, starts_at__gt=meeting.starts_at, ends_at__lte=now
    )
    if meeting.series_id is not None:
        later = later.filter(series_id=meeting.series_id)
    elif meeting.committee_id is not None:
        later = later.filter(committee_id=meeting.committee_id)
    else:
        later = later.filter(committee__isnull=True)
    return later.exists()


def queue_minutes_warnings(*, now: datetime.datetime) -> int:
    """Coordinators and chairs hear when minutes are still a draft after the next meeting
    of the same series (or committee) has been held."""
    total = 0
    drafts = (
        Minutes.objects.filter(status=Minutes.Status.DRAFT)
        .exclude(meeting__committee__status=CommitteeStatus.ARCHIVED)
        .select_related("meeting")
    )
    for minutes in drafts:
        if not _next_meeting_held(minutes.meeting, now):
            continue
        total += record_reminders(
            kind=Reminder.Kind.MINUTES_UNAPPROVED,
            subject_key=f"minutes:{minutes.pk}",
            person_ids=organisers(minutes.meeting.committee_id),
        )
    return total


def queue_action_reminders(*, today: datetime.date) -> int:
    """Owners of open action items hear 2 days before the due date (or later, up to the
    due date itself, if the scheduler missed the day)."""
    total = 0
    for offset in range(ACTION_DUE_DAYS + 1):
        for item in action_items_due(today + datetime.timedelta(days=offset)):
            total += record_reminders(
                kind=Reminder.Kind.ACTION_DUE,
                subject_key=f"action:{item.pk}:{item.due_on.isoformat()}",
                person_ids=[item.owner_id],
            )
    return total


def queue_sunset_notices(*, today: datetime.date) -> int:
    """Two weeks before a sub-committee's sunset, its chairs and the coordinators are asked
    to extend or close it; extending it to a new date asks again before that one."""
    total = 0
    ending = Committee.objects.filter(
        kind=CommitteeKind.SUBCOMMITTEE,
        status=CommitteeStatus.ACTIVE,
        sunset_on__gte=today,
        sunset_on__lte=today + datetime.timedelta(days=SUNSET_NOTICE_DAYS),
    )
    for committee in ending:
        total += record_reminders(
            kind=Reminder.Kind.SUNSET,
            subject_key=f"committee:{committee.pk}:{committee.sunset_on}",
            person_ids=organisers(committee.pk),
        )
    return total


def queue_due_reminders(*, now: datetime.datetime) -> int:
    """Everything due at ``now``: the scheduler's work on every pass. Safe to run twice."""
    today = timezone.localdate(now)
    return (
        queue_meeting_reminders(now=now)
        + queue_agenda_warnings(now=now)
        + queue_minutes_warnings(now=now)
        + queue_action_reminders(today=today)
        + queue_sunset_notices(today=today)
    )


def queue_meeting_change_notices(*, meeting: Meeting, kind: str) -> int:
    """Tell the invitees of a future meeting that it was cancelled or moved; a later
    change (a higher sequence) is a new notice."""
    if meeting.starts_at <= timezone.now():
        return 0
    return record_reminders(
        kind=kind,
        subject_key=f"meeting:{meeting.pk}:{meeting.sequence}",
        person_ids=invitees(meeting).values_list("pk", flat=True),
    )


@transaction.atomic
def set_reminder_preference(*, actor: User, person: User, receives: bool) -> User:
    """Turn a person's meeting reminders on or off."""
    if person.receives_reminders == receives:
        return person
    person.receives_reminders = receives
    person.save(update_fields=["receives_reminders"])
    record_event(
        actor=actor,
        action="concord.person.reminders_changed",
        target=person,
        data={"receives_reminders": receives},
    )
    return person
