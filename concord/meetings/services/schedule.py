"""Meeting series and their meetings: generating, changing, cancelling, moving, adding."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.meetings.models import Meeting, MeetingSeries, MeetingStatus, Reminder
from concord.meetings.recurrence import local_moment, rule_dates
from concord.meetings.services.reminders import queue_meeting_change_notices

# Meetings exist as rows this far ahead, so agendas and attendance can attach to them; a
# daily task keeps the horizon rolling.
HORIZON_DAYS = 550
SERIES_FIELDS = (
    "committee",
    "title",
    "title_es",
    "rule",
    "starts_on",
    "start_time",
    "end_time",
    "time_zone",
    "location",
    "online_url",
    "reminder_days",
)
# Changing these on the series changes every future meeting generated from it.
MEETING_FIELDS_FROM_SERIES = ("title", "title_es", "location", "online_url", "time_zone")


def horizon(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=HORIZON_DAYS)


def _meeting_for(series: MeetingSeries, day: datetime.date) -> Meeting:
    return Meeting(
        series=series,
        committee=series.committee,
        occurrence_date=day,
        starts_at=local_moment(day, series.start_time, series.time_zone),
        ends_at=local_moment(day, series.end_time, series.time_zone),
        **{field: getattr(series, field) for field in MEETING_FIELDS_FROM_SERIES},
    )


@transaction.atomic
def generate_meetings(*, series: MeetingSeries, until: datetime.date) -> int:
    """Create the series' meetings up to ``until``; running it again creates none twice."""
    if not series.rule:
        return 0
    # Two schedulers extending the same series at once: the second waits here and then
    # starts where the first stopped.
    locked = MeetingSeries.objects.select_for_update().only("generated_until").get(pk=series.pk)
    series.generated_until = locked.generated_until
    start = series.starts_on
    if series.generated_until is not None:
        start = max(start, series.generated_until + datetime.timedelta(days=1))
    if start > until:
        return 0
    days = rule_dates(series.rule, first=series.starts_on, start=start, end=until)
    existing = set(
        Meeting.objects.filter(series=series, occurrence_date__in=days).values_list(
            "occurrence_date", flat=True
        )
    )
    created = Meeting.objects.bulk_create(
        [_meeting_for(series, day) for day in days if day not in existing]
    )
    series.generated_until = until
    series.save(update_fields=["generated_until", "updated_at"])
    return len(created)


def extend_all_horizons(today: datetime.date | None = None) -> int:
    """The periodic task's work: keep every series generated to the rolling horizon."""
    until = horizon(today)
    total = 0
    for series in MeetingSeries.objects.exclude(rule="").filter(
        Q(generated_until__isnull=True) | Q(generated_until__lt=until)
    ):
        total += generate_meetings(series=series, until=until)
    return total


@transaction.atomic
def create_series(*, actor: User, values: Mapping[str, Any]) -> MeetingSeries:
    series = MeetingSeries(**{field: values[field] for field in SERIES_FIELDS if field in values})
    series.full_clean()
    series.save()
    generate_meetings(series=series, until=horizon())
    record_event(actor=actor, action="concord.meeting_series.created", target=series)
    return series


def _has_attachments(meeting: Meeting) -> bool:
    return (
        meeting.agenda_items.exists()
        or hasattr(meeting, "minutes")
        or meeting.attendance.exists()
        or meeting.rsvps.exists()
        or meeting.motions.exists()
    )


@transaction.atomic
def update_series(
    *, actor: User, series: MeetingSeries, values: Mapping[str, Any]
) -> MeetingSeries:
    """Change a series and its future meetings; the past and hand-changed meetings stay.

    Future meetings the new rule no longer yields are removed, unless something is already
    attached to them (an agenda, RSVPs, attendance): those stay, as one-off meetings.
    """
    changed = [f for f in SERIES_FIELDS if f in values and getattr(series, f) != values[f]]
    if not changed:
        return series
    for field in changed:
        setattr(series, field, values[field])
    series.full_clean()
    # Regenerate from today on: a new rule never invents meetings in the past.
    series.generated_until = timezone.localdate() - datetime.timedelta(days=1)
    series.save(update_fields=[*changed, "generated_until", "updated_at"])
    now = timezone.now()
    until = horizon()
    keep_days = (
        set(rule_dates(series.rule, first=series.starts_on, start=timezone.localdate(), end=until))
        if series.rule
        else set()
    )
    for meeting in Meeting.objects.filter(series=series, starts_at__gt=now, is_exception=False):
        if meeting.occurrence_date in keep_days:
            fresh = _meeting_for(series, meeting.occurrence_date)
            for field in ("starts_at", "ends_at", *MEETING_FIELDS_FROM_SERIES):
                setattr(meeting, field, getattr(fresh, field))
            meeting.sequence += 1
            meeting.save()
        elif _has_attachments(meeting):
            meeting.is_exception = True
            meeting.save(update_fields=["is_exception", "updated_at"])
        else:
            meeting.delete()
    generate_meetings(series=series, until=until)
    record_event(
        actor=actor,
        action="concord.meeting_series.updated",
        target=series,
        data={"fields": changed},
    )
    return series


@transaction.atomic
def cancel_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    if meeting.is_cancelled:
        return meeting
    meeting.status = MeetingStatus.CANCELLED
    meeting.is_exception = True
    meeting.sequence += 1
    meeting.save(update_fields=["status", "is_exception", "sequence", "updated_at"])
    record_event(actor=actor, action="concord.meeting.cancelled", target=meeting)
    queue_meeting_change_notices(meeting=meeting, kind=Reminder.Kind.MEETING_CANCELLED)
    return meeting


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A meeting must end after it starts.")})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("A meeting cannot be moved or added into the past.")})


@transaction.atomic
def move_meeting(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    online_url: str,
) -> Meeting:
    _check_times(starts_at, ends_at)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.location, meeting.online_url = location, online_url
    meeting.is_exception = True
    meeting.sequence += 1
    meeting.save()
    record_event(actor=actor, action="concord.meeting.moved", target=meeting)
    queue_meeting_change_notices(meeting=meeting, kind=Reminder.Kind.MEETING_MOVED)
    return meeting


@transaction.atomic
def add_meeting(*, actor: User, values: Mapping[str, Any]) -> Meeting:
    """An extra meeting of a series, or a one-off ("as needed") committee meeting."""
    _check_times(values["starts_at"], values["ends_at"])
    series = values.get("series")
    meeting = Meeting(
        series=series,
        committee=series.committee if series else values.get("committee"),
        title=values["title"],
        title_es=values.get("title_es", ""),
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        time_zone=values.get("time_zone")
        or (series.time_zone if series else "America/Los_Angeles"),
        location=values.get("location", ""),
        online_url=values.get("online_url", ""),
        is_exception=True,
    )
    meeting.full_clean()
    meeting.save()
    record_event(actor=actor, action="concord.meeting.added", target=meeting)
    return meeting
