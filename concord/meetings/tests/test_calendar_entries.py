"""Other apps' entries (training sessions, awareness activities) on the calendar pages and
in the feeds, through the provider registry in concord/meetings/entries.py."""

import datetime
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from concord.accounts.models import User
from concord.meetings import entries
from concord.meetings.entries import CalendarEntry
from concord.meetings.models import CalendarFeed

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
STARTS = (
    (timezone.now() + datetime.timedelta(days=10))
    .astimezone(PACIFIC)
    .replace(hour=10, minute=0, second=0, microsecond=0)
)


def entry(uid: str, title: str) -> CalendarEntry:
    return CalendarEntry(
        uid=uid,
        title=title,
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=2),
        time_zone="America/Los_Angeles",
        url=f"/somewhere/{uid}/",
        kind="Training",
        updated_at=timezone.now(),
        location="Martinez Library",
    )


@pytest.fixture
def viewers() -> Iterator[list[Any]]:
    """A provider that gives the public one entry and signed-in people a second one."""
    seen: list[Any] = []

    def provider(viewer: Any, start: datetime.datetime, end: datetime.datetime) -> list:
        seen.append(viewer)
        found = [entry("public-one", "Open training")]
        if viewer is not None:
            found.append(entry("members-one", "Members training"))
        return [item for item in found if start <= item.starts_at < end]

    saved = list(entries._providers)
    entries._providers[:] = []  # only this test's provider: the apps' own need the database
    entries.register(provider)
    entries.register(provider)  # twice is once
    yield seen
    entries._providers[:] = saved


def test_registering_twice_adds_the_provider_once(viewers: list[Any]) -> None:
    found = entries.calendar_entries(
        None, start=STARTS - datetime.timedelta(days=1), end=STARTS + datetime.timedelta(days=1)
    )

    assert [item.uid for item in found] == ["public-one"]


def test_the_month_shows_entries_with_their_kind_to_the_public(
    client: Client, db: None, viewers: list[Any]
) -> None:
    response = client.get(reverse("meetings:calendar"), {"month": STARTS.strftime("%Y-%m")})

    html = response.content.decode()
    assert 'href="/somewhere/public-one/"' in html
    assert "Open training</a> <span" in html
    assert "(Training)" in html
    assert "Members training" not in html
    assert viewers == [None]  # anonymous visitors count as the public


def test_the_list_shows_members_entries_to_members(
    member_client: Client, member: User, viewers: list[Any]
) -> None:
    response = member_client.get(reverse("meetings:calendar"), {"view": "list"})

    html = response.content.decode()
    assert "Open training" in html
    assert "Members training" in html
    assert viewers == [member]


def test_the_public_feed_carries_public_entries_only(
    client: Client, db: None, viewers: list[Any]
) -> None:
    response = client.get(reverse("calendar-feed"))

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(event["uid"]) for event in events] == ["public-one@concord"]
    assert str(events[0]["location"]) == "Martinez Library"
    assert str(events[0]["url"]).endswith("/somewhere/public-one/")
    assert viewers == [None]


def test_the_personal_feed_asks_for_the_feeds_owner(
    client: Client, member: User, viewers: list[Any]
) -> None:
    feed = CalendarFeed.objects.create(person=member, token="t" * 43)

    response = client.get(reverse("personal-feed", kwargs={"token": feed.token}))

    uids = {str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {"public-one@concord", "members-one@concord"}
    assert viewers == [member]
