import datetime
import zoneinfo

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import AgendaItem, Meeting, MeetingSeries, MeetingStatus
from concord.meetings.services import schedule

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
QUARTERLY = "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=4TU"


@pytest.fixture
def series(coordinator: User) -> MeetingSeries:
    return schedule.create_series(
        actor=coordinator,
        values={
            "title": "Coalition meeting",
            "rule": QUARTERLY,
            "starts_on": datetime.date(2026, 1, 1),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(10, 30),
            "time_zone": "America/Los_Angeles",
        },
    )


def dates(series: MeetingSeries, year: int) -> list[datetime.date]:
    return [
        meeting.starts_at.astimezone(PACIFIC).date()
        for meeting in series.meetings.filter(starts_at__year=year).order_by("starts_at")
    ]


def test_the_coalition_series_falls_on_the_fourth_tuesdays(series: MeetingSeries) -> None:
    schedule.generate_meetings(series=series, until=datetime.date(2028, 12, 31))

    assert dates(series, 2026) == [
        datetime.date(2026, 1, 27),
        datetime.date(2026, 4, 28),
        datetime.date(2026, 7, 28),
        datetime.date(2026, 10, 27),
    ]
    assert dates(series, 2027) == [
        datetime.date(2027, 1, 26),
        datetime.date(2027, 4, 27),
        datetime.date(2027, 7, 27),
        datetime.date(2027, 10, 26),
    ]
    assert dates(series, 2028)[-1] == datetime.date(2028, 10, 24)


def test_meetings_keep_their_local_time_across_daylight_saving(series: MeetingSeries) -> None:
    schedule.generate_meetings(series=series, until=datetime.date(2027, 12, 31))
    january = series.meetings.get(occurrence_date=datetime.date(2027, 1, 26))
    april = series.meetings.get(occurrence_date=datetime.date(2027, 4, 27))
    # Weekly meetings on both sides of the changes of 14 March and 7 November 2027.
    weekly = MeetingSeries.objects.create(
        title="Weekly",
        rule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=datetime.date(2027, 3, 1),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
    )
    schedule.generate_meetings(series=weekly, until=datetime.date(2027, 11, 30))
    offsets = {
        day: weekly.meetings.get(occurrence_date=day).starts_at.astimezone(PACIFIC).utcoffset()
        for day in [
            datetime.date(2027, 3, 9),
            datetime.date(2027, 3, 16),
            datetime.date(2027, 11, 2),
            datetime.date(2027, 11, 9),
        ]
    }

    for meeting in [january, april, *weekly.meetings.all()]:
        local = meeting.starts_at.astimezone(PACIFIC)
        assert (local.hour, local.minute) == (9, 0)
    assert january.starts_at.astimezone(PACIFIC).utcoffset() == datetime.timedelta(hours=-8)
    assert april.starts_at.astimezone(PACIFIC).utcoffset() == datetime.timedelta(hours=-7)
    assert list(offsets.values()) == [datetime.timedelta(hours=hours) for hours in (-8, -7, -7, -8)]


def test_generating_twice_creates_nothing_new(series: MeetingSeries) -> None:
    count = series.meetings.count()

    schedule.generate_meetings(series=series, until=schedule.horizon())
    series.generated_until = None
    schedule.generate_meetings(series=series, until=schedule.horizon())

    assert series.meetings.count() == count


def test_the_horizon_reaches_eighteen_months_ahead(series: MeetingSeries) -> None:
    last = series.meetings.order_by("-starts_at").first()
    eighteen_months = timezone.localdate() + datetime.timedelta(days=540)

    assert series.generated_until is not None
    assert series.generated_until >= eighteen_months
    assert last is not None
    # Quarterly: the last meeting lies within one quarter of the horizon.
    assert last.starts_at.date() > series.generated_until - datetime.timedelta(days=92)


def test_a_rule_change_keeps_the_past_and_what_is_attached(
    series: MeetingSeries, coordinator: User
) -> None:
    now = timezone.now()
    past = series.meetings.filter(starts_at__lt=now).count()
    future = series.meetings.filter(starts_at__gt=now).order_by("starts_at")
    with_agenda, plain = future[0], future[1]
    AgendaItem.objects.create(meeting=with_agenda, position=1, title="Welcome")

    schedule.update_series(
        actor=coordinator, series=series, values={"rule": "FREQ=MONTHLY;BYDAY=2WE"}
    )

    assert series.meetings.filter(starts_at__lt=now).count() == past
    assert Meeting.objects.filter(pk=with_agenda.pk, is_exception=True).exists()
    assert not Meeting.objects.filter(pk=plain.pk).exists()
    second_wednesdays = series.meetings.filter(starts_at__gt=now, is_exception=False)
    assert second_wednesdays.count() >= 17
    assert all(m.starts_at.astimezone(PACIFIC).weekday() == 2 for m in second_wednesdays)


def test_changing_the_time_bumps_the_sequence_of_future_meetings(
    series: MeetingSeries, coordinator: User
) -> None:
    meeting = series.meetings.filter(starts_at__gt=timezone.now()).first()
    assert meeting is not None

    schedule.update_series(
        actor=coordinator, series=series, values={"start_time": datetime.time(9, 30)}
    )

    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.starts_at.astimezone(PACIFIC).time() == datetime.time(9, 30)


def test_cancelling_marks_the_meeting_and_bumps_its_sequence(
    series: MeetingSeries, coordinator: User
) -> None:
    meeting = series.meetings.filter(starts_at__gt=timezone.now()).first()
    assert meeting is not None

    schedule.cancel_meeting(actor=coordinator, meeting=meeting)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.is_exception) == (
        MeetingStatus.CANCELLED,
        1,
        True,
    )


def test_a_meeting_cannot_be_moved_into_the_past_or_end_before_it_starts(
    series: MeetingSeries, coordinator: User
) -> None:
    from django.core.exceptions import ValidationError

    meeting = series.meetings.filter(starts_at__gt=timezone.now()).first()
    assert meeting is not None
    yesterday = timezone.now() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError):
        schedule.move_meeting(
            actor=coordinator,
            meeting=meeting,
            starts_at=yesterday,
            ends_at=yesterday + datetime.timedelta(hours=1),
            location="",
            online_url="",
        )
    with pytest.raises(ValidationError):
        schedule.move_meeting(
            actor=coordinator,
            meeting=meeting,
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at - datetime.timedelta(hours=1),
            location="",
            online_url="",
        )
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0
