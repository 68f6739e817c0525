import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concord.accounts.models import User
from concord.awareness.calendar import activity_entries
from concord.awareness.models import ActivityStatus
from concord.awareness.tests.factories import ActivityFactory
from concord.meetings.entries import calendar_entries

START = timezone.now()
END = START + datetime.timedelta(days=30)


def test_the_public_gets_public_activities_only(db: None) -> None:
    public = ActivityFactory(title="Screening")
    ActivityFactory(title="Briefing", is_public=False)

    entries = list(activity_entries(None, START, END))

    assert [entry.uid for entry in entries] == [f"awareness-activity-{public.uid}"]
    assert entries[0].kind == "Awareness activity"
    assert entries[0].url == public.get_absolute_url()


def test_members_also_get_members_only_activities(member: User) -> None:
    ActivityFactory(title="Screening")
    ActivityFactory(title="Briefing", is_public=False)

    titles = sorted(entry.title for entry in activity_entries(member, START, END))

    assert titles == ["Briefing", "Screening"]


def test_cancelled_activities_are_marked_and_outside_the_range_left_out(db: None) -> None:
    ActivityFactory(title="Cancelled", status=ActivityStatus.CANCELLED, sequence=2)
    ActivityFactory(title="Later", starts_at=END + datetime.timedelta(days=1))

    entries = list(activity_entries(None, START, END))

    assert [(entry.title, entry.cancelled, entry.sequence) for entry in entries] == [
        ("Cancelled", True, 2)
    ]


def test_the_provider_makes_one_query_whatever_the_count(db: None) -> None:
    for _ in range(10):
        ActivityFactory()

    with CaptureQueriesContext(connection) as queries:
        entries = list(activity_entries(None, START, END))

    assert len(entries) == 10
    assert len(queries) == 1


def test_the_provider_is_registered_with_the_calendar(member: User) -> None:
    activity = ActivityFactory(is_public=False)

    uids = [entry.uid for entry in calendar_entries(member, start=START, end=END)]

    assert f"awareness-activity-{activity.uid}" in uids
