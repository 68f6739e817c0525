import datetime
import zoneinfo

import pytest

from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.coalition.queries import upcoming_meetings

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def coalition(db: None) -> Coalition:
    return Coalition.objects.create(**DEMO_COALITION)


def test_meetings_fall_on_the_fourth_tuesday_of_each_quarter(coalition: Coalition) -> None:
    after = datetime.datetime(2026, 12, 1, tzinfo=PACIFIC)

    meetings = upcoming_meetings(coalition, after=after, count=8)

    assert [start.date() for start, _ in meetings] == [
        datetime.date(2027, 1, 26),
        datetime.date(2027, 4, 27),
        datetime.date(2027, 7, 27),
        datetime.date(2027, 10, 26),
        datetime.date(2028, 1, 25),
        datetime.date(2028, 4, 25),
        datetime.date(2028, 7, 25),
        datetime.date(2028, 10, 24),  # October 2028 has five Tuesdays: not the last one
    ]


def test_meetings_keep_local_time_across_daylight_saving(coalition: Coalition) -> None:
    after = datetime.datetime(2027, 1, 1, tzinfo=PACIFIC)

    (january, _), (april, april_end) = upcoming_meetings(coalition, after=after, count=2)

    assert (january.hour, january.minute) == (9, 0)
    assert (april.hour, april.minute, april_end.hour, april_end.minute) == (9, 0, 10, 30)
    assert january.utcoffset() == datetime.timedelta(hours=-8)
    assert april.utcoffset() == datetime.timedelta(hours=-7)


def test_a_meeting_in_progress_is_still_the_next_one(coalition: Coalition) -> None:
    during = datetime.datetime(2027, 1, 26, 10, 0, tzinfo=PACIFIC)

    [(start, _)] = upcoming_meetings(coalition, after=during)

    assert start.date() == datetime.date(2027, 1, 26)


def test_no_rule_means_no_meetings(coalition: Coalition) -> None:
    coalition.meeting_rule = ""

    assert upcoming_meetings(coalition) == []
