import datetime
import zoneinfo

import pytest

from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.meetings.models import Committee, Meeting, MeetingStatus
from concord.membership.services.schedule import (
    decide_by_for,
    decision_days,
    hear_by,
    target_meeting,
)

LOCAL = zoneinfo.ZoneInfo("America/Los_Angeles")
pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL)


def coalition_meeting(day: datetime.date, hour: int = 9, **fields: object) -> Meeting:
    start = at(day, hour)
    return Meeting.objects.create(
        title="Coalition meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1, minutes=30),
        **fields,
    )


@pytest.fixture
def january() -> Meeting:
    return coalition_meeting(datetime.date(2027, 1, 26))


@pytest.fixture
def april() -> Meeting:
    return coalition_meeting(datetime.date(2027, 4, 27))


def test_the_decision_days_default_to_seven_without_a_coalition() -> None:
    assert decision_days() == 7


def test_the_decision_days_come_from_the_coalitions_settings() -> None:
    Coalition.objects.create(**DEMO_COALITION, decision_days_before=14)

    assert decision_days() == 14


def test_an_application_confirmed_before_the_cutoff_targets_the_next_meeting(
    january: Meeting, april: Meeting
) -> None:
    assert target_meeting(at(datetime.date(2027, 1, 4))) == (january, datetime.date(2027, 1, 19))


def test_an_application_confirmed_late_on_the_cutoff_day_still_makes_it(
    january: Meeting, april: Meeting
) -> None:
    assert target_meeting(at(datetime.date(2027, 1, 19), 23, 59))[0] == january


def test_an_application_confirmed_after_the_cutoff_rolls_to_the_following_meeting(
    january: Meeting, april: Meeting
) -> None:
    assert target_meeting(at(datetime.date(2027, 1, 20), 0, 1)) == (
        april,
        datetime.date(2027, 4, 20),
    )


def test_an_application_confirmed_on_the_meeting_day_rolls_on(
    january: Meeting, april: Meeting
) -> None:
    assert target_meeting(at(datetime.date(2027, 1, 26), 11))[0] == april


def test_committee_and_cancelled_meetings_are_not_targets(april: Meeting) -> None:
    committee = Committee.objects.create(name="Public Awareness")
    coalition_meeting(datetime.date(2027, 1, 13), committee=committee)
    coalition_meeting(datetime.date(2027, 1, 26), status=MeetingStatus.CANCELLED)

    assert target_meeting(at(datetime.date(2027, 1, 4)))[0] == april


def test_without_meetings_on_record_there_is_no_target() -> None:
    assert target_meeting(at(datetime.date(2027, 1, 4))) == (None, None)


def test_a_longer_cutoff_from_the_settings_rolls_sooner(january: Meeting, april: Meeting) -> None:
    Coalition.objects.create(**DEMO_COALITION, decision_days_before=14)

    assert target_meeting(at(datetime.date(2027, 1, 12))) == (january, datetime.date(2027, 1, 12))
    assert target_meeting(at(datetime.date(2027, 1, 13)))[0] == april
    assert target_meeting(at(datetime.date(2027, 1, 13)), days=3)[0] == january


def test_dates_are_counted_on_the_coalitions_local_calendar() -> None:
    # 23:00 in California is already the next day in UTC.
    late = coalition_meeting(datetime.date(2027, 1, 26), hour=23)

    assert decide_by_for(late, 7) == datetime.date(2027, 1, 19)
    assert hear_by(late) == datetime.date(2027, 1, 25)


def test_the_promised_date_is_the_day_before_the_meeting(january: Meeting) -> None:
    assert hear_by(january) == datetime.date(2027, 1, 25)
