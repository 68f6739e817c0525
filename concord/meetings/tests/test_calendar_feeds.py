"""The iCalendar feeds, read back with two independent parsers: icalendar, and
recurring-ical-events (which expands the events between two dates on its own)."""

import datetime
import zoneinfo
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import CalendarFeed, Committee, Meeting
from concord.meetings.services import calendar as calendar_services
from concord.meetings.services import schedule
from concord.meetings.tests.test_calendar_views import make_meeting

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
PUBLIC_FEED = reverse("calendar-feed")


def parse(content: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(content)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def events_by_uid(content: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parse(content).walk("VEVENT")}


def expanded_starts(content: bytes) -> dict[str, datetime.datetime]:
    """Each event's start as recurring-ical-events reads it, over a wide window."""
    window = recurring_ical_events.of(parse(content))
    events = window.between(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))
    return {str(event["UID"]): event["DTSTART"].dt for event in events}


def unfolded(content: bytes) -> bytes:
    """The feed with its long lines joined again (RFC 5545 folds them at 75 octets), so a
    search of the bytes cannot miss a link split across two lines."""
    return content.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")


def uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@concord"


def feed_url(person: User) -> str:
    feed = calendar_services.create_feed(actor=person)
    return reverse("personal-feed", kwargs={"token": feed.token})


def dst_change(year: int, month: int) -> datetime.date:
    """The day Los Angeles changes its clocks in that month (found, not assumed)."""
    day = datetime.date(year, month, 1)
    while True:
        noon = datetime.datetime.combine(day, datetime.time(12), PACIFIC)
        if noon.utcoffset() != (noon - datetime.timedelta(days=1)).utcoffset():
            return day
        day += datetime.timedelta(days=1)


# The public feed


def test_the_public_feed_holds_coalition_meetings_and_no_committee_meeting(
    client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    response = client.get(PUBLIC_FEED)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert list(events_by_uid(response.content)) == [uid(coalition_meeting)]
    assert list(expanded_starts(response.content)) == [uid(coalition_meeting)]


def test_the_public_feed_never_carries_an_online_link(
    client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    content = client.get(PUBLIC_FEED).content

    assert b"secret-room" not in unfolded(content)
    assert b"meet.example.org" not in unfolded(content)


def test_an_event_carries_what_calendar_programs_need(
    client: Client, coalition_meeting: Meeting
) -> None:
    event = events_by_uid(client.get(PUBLIC_FEED).content)[uid(coalition_meeting)]

    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Coalition meeting"
    assert str(event["LOCATION"]) == "1025 Escobar St, Martinez"
    assert str(event["URL"]) == settings.SITE_URL + coalition_meeting.get_absolute_url()
    assert str(event["URL"]) in str(event["DESCRIPTION"])
    assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert event["DTEND"].params["TZID"] == "America/Los_Angeles"
    assert event["DTSTART"].dt == coalition_meeting.starts_at
    assert event["DTEND"].dt == coalition_meeting.ends_at


def test_the_feed_carries_the_meetings_time_zone(
    client: Client, coalition_meeting: Meeting
) -> None:
    calendar = parse(client.get(PUBLIC_FEED).content)

    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]


@pytest.mark.parametrize("month", [3, 11])
def test_times_stay_right_on_both_sides_of_a_daylight_saving_change(
    client: Client, db: None, month: int
) -> None:
    change = dst_change(timezone.localdate().year + 1, month)
    before_day = change - datetime.timedelta(days=5)
    after_day = change + datetime.timedelta(days=2)
    before = make_meeting(
        datetime.datetime.combine(before_day, datetime.time(9), PACIFIC), title="Before"
    )
    after = make_meeting(
        datetime.datetime.combine(after_day, datetime.time(9), PACIFIC), title="After"
    )

    content = client.get(PUBLIC_FEED).content

    for starts in (
        {key: event["DTSTART"].dt for key, event in events_by_uid(content).items()},
        expanded_starts(content),
    ):
        assert starts[uid(before)].astimezone(PACIFIC).time() == datetime.time(9)
        assert starts[uid(after)].astimezone(PACIFIC).time() == datetime.time(9)
        offsets = {starts[uid(before)].utcoffset(), starts[uid(after)].utcoffset()}
        assert offsets == {datetime.timedelta(hours=-8), datetime.timedelta(hours=-7)}
        assert starts[uid(before)] == before.starts_at
        assert starts[uid(after)] == after.starts_at


def test_the_2027_spring_change_between_two_tuesdays(client: Client, db: None) -> None:
    before = make_meeting(datetime.datetime(2027, 3, 9, 9, tzinfo=PACIFIC), title="Before")
    after = make_meeting(datetime.datetime(2027, 3, 16, 9, tzinfo=PACIFIC), title="After")

    content = client.get(reverse("meetings:meeting-ics", args=[before.pk])).content
    content_after = client.get(reverse("meetings:meeting-ics", args=[after.pk])).content

    assert b"DTSTART;TZID=America/Los_Angeles:20270309T090000" in unfolded(content)
    assert b"DTSTART;TZID=America/Los_Angeles:20270316T090000" in content_after
    assert expanded_starts(content)[uid(before)] == datetime.datetime(
        2027, 3, 9, 17, tzinfo=datetime.UTC
    )
    assert expanded_starts(content_after)[uid(after)] == datetime.datetime(
        2027, 3, 16, 16, tzinfo=datetime.UTC
    )


def test_a_change_keeps_the_uid_and_raises_the_sequence(
    client: Client, coordinator: User, coalition_meeting: Meeting
) -> None:
    first = events_by_uid(client.get(PUBLIC_FEED).content)[uid(coalition_meeting)]
    later = coalition_meeting.starts_at + datetime.timedelta(days=1, hours=1)
    schedule.move_meeting(
        actor=coordinator,
        meeting=coalition_meeting,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
        location="Room 2",
        online_url=coalition_meeting.online_url,
    )
    moved = events_by_uid(client.get(PUBLIC_FEED).content)[uid(coalition_meeting)]
    schedule.cancel_meeting(actor=coordinator, meeting=coalition_meeting)
    cancelled = events_by_uid(client.get(PUBLIC_FEED).content)[uid(coalition_meeting)]

    assert [first["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]] == [0, 1, 2]
    assert moved["DTSTART"].dt == later
    assert str(moved["LOCATION"]) == "Room 2"
    assert [str(event["STATUS"]) for event in (first, moved, cancelled)] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]


def test_the_feed_leaves_out_meetings_older_than_a_year(client: Client, db: None) -> None:
    old = make_meeting(timezone.now() - datetime.timedelta(days=400), title="Old")
    recent = make_meeting(timezone.now() - datetime.timedelta(days=30), title="Recent")

    uids = events_by_uid(client.get(PUBLIC_FEED).content)

    assert list(uids) == [uid(recent)]
    assert uid(old) not in uids


def test_the_feed_does_not_depend_on_the_visitors_language(
    client: Client, coalition_meeting: Meeting
) -> None:
    response = client.get(PUBLIC_FEED, headers={"accept-language": "es"})

    event = events_by_uid(response.content)[uid(coalition_meeting)]
    assert str(event["URL"]) == settings.SITE_URL + f"/meetings/{coalition_meeting.pk}/"


# Private feeds


def test_a_members_feed_holds_their_committees_meetings_with_online_links(
    client: Client, member: User, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    response = client.get(feed_url(member))

    events = events_by_uid(response.content)
    assert set(events) == {uid(coalition_meeting), uid(committee_meeting)}
    assert set(expanded_starts(response.content)) == set(events)
    assert b"https://meet.example.org/committee-a-secret-room" in unfolded(response.content)
    assert b"https://meet.example.org/coalition-secret-room" in unfolded(response.content)


def test_an_outsiders_feed_does_not_show_another_committee(
    client: Client, outsider: User, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    response = client.get(feed_url(outsider))

    assert list(events_by_uid(response.content)) == [uid(coalition_meeting)]
    assert b"committee-a-secret-room" not in unfolded(response.content)


def test_a_coordinators_feed_holds_every_active_committee(
    client: Client, coordinator: User, committee_meeting: Meeting
) -> None:
    response = client.get(feed_url(coordinator))

    assert uid(committee_meeting) in events_by_uid(response.content)


def test_a_revoked_feed_answers_404(
    client: Client, member: User, coalition_meeting: Meeting
) -> None:
    url = feed_url(member)

    calendar_services.revoke_feed(actor=member)

    response = client.get(url)
    assert response.status_code == 404
    assert b"secret-room" not in unfolded(response.content)


def test_a_deactivated_persons_feed_answers_404(client: Client, member: User) -> None:
    url = feed_url(member)
    member.is_active = False
    member.save(update_fields=["is_active"])

    assert client.get(url).status_code == 404


def test_a_committee_membership_that_ends_leaves_the_feed(
    client: Client, member: User, committee: Committee, committee_meeting: Meeting
) -> None:
    url = feed_url(member)
    committee.memberships.filter(person=member).delete()

    assert uid(committee_meeting) not in events_by_uid(client.get(url).content)


def test_the_feed_token_has_at_least_128_bits(member: User) -> None:
    feed = calendar_services.create_feed(actor=member)

    assert len(feed.token) >= 43
    assert CalendarFeed.objects.filter(person=member, revoked_at__isnull=True).count() == 1


# One meeting's download


def test_the_download_is_an_attachment_with_one_event(
    client: Client, coalition_meeting: Meeting
) -> None:
    response = client.get(reverse("meetings:meeting-ics", args=[coalition_meeting.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="meeting-{coalition_meeting.pk}.ics"'
    )
    assert list(events_by_uid(response.content)) == [uid(coalition_meeting)]
    assert list(expanded_starts(response.content)) == [uid(coalition_meeting)]
    assert len(parse(response.content).walk("VTIMEZONE")) == 1


@pytest.mark.parametrize(
    ("persona", "link_shown"), [("member", True), ("outsider", False), ("coordinator", True)]
)
def test_the_download_shows_the_online_link_only_to_those_allowed(
    persona: str, link_shown: bool, committee_meeting: Meeting, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue(f"{persona}_client")

    response = client.get(reverse("meetings:meeting-ics", args=[committee_meeting.pk]))

    assert response.status_code == 200
    assert (b"committee-a-secret-room" in unfolded(response.content)) == link_shown


def test_anonymous_visitors_never_see_an_online_link(
    client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    urls = [
        reverse("meetings:calendar"),
        reverse("meetings:calendar") + "?view=list",
        coalition_meeting.get_absolute_url(),
        committee_meeting.get_absolute_url(),
        reverse("meetings:meeting-ics", args=[coalition_meeting.pk]),
        reverse("meetings:meeting-ics", args=[committee_meeting.pk]),
        PUBLIC_FEED,
    ]

    leaks = [
        url for url in urls if b"secret-room" in unfolded(client.get(url, follow=True).content)
    ]

    assert leaks == []


# Query counts


def _meetings(committee: Committee, count: int) -> None:
    start = timezone.now() + datetime.timedelta(days=2)
    for number in range(count):
        make_meeting(
            start + datetime.timedelta(days=number),
            title=f"Meeting {number}",
            committee=committee if number % 2 else None,
        )


@pytest.mark.parametrize("feed", ["public", "private"])
def test_feeds_run_a_fixed_number_of_queries(
    client: Client,
    member: User,
    committee: Committee,
    django_assert_max_num_queries: Any,
    feed: str,
) -> None:
    url = PUBLIC_FEED if feed == "public" else feed_url(member)
    _meetings(committee, 2)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _meetings(committee, 120)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    expected = 61 if feed == "public" else 122
    assert len(events_by_uid(response.content)) == expected
