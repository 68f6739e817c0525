import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Committee,
    CommitteeMembership,
    Meeting,
    MembershipStatus,
    Rsvp,
)
from concord.meetings.services import schedule

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
CALENDAR = reverse("meetings:calendar")


def make_meeting(
    start: datetime.datetime, *, title: str, committee: Committee | None = None, **fields: object
) -> Meeting:
    return Meeting.objects.create(
        title=title,
        committee=committee,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        online_url=f"https://meet.example.org/{title.replace(' ', '-').lower()}-secret",
        **fields,
    )


def month_of(meeting: Meeting) -> str:
    return meeting.starts_at.astimezone(PACIFIC).strftime("%Y-%m")


# The month view


def test_anonymous_visitors_see_coalition_meetings_only(
    client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    response = client.get(CALENDAR, {"month": month_of(coalition_meeting)})

    assert response.status_code == 200
    assert coalition_meeting.get_absolute_url().encode() in response.content
    assert committee_meeting.get_absolute_url().encode() not in response.content
    assert b"secret-room" not in response.content


def test_the_month_is_a_table_with_caption_and_column_headers(
    client: Client, coalition_meeting: Meeting
) -> None:
    month = coalition_meeting.starts_at.astimezone(PACIFIC)

    response = client.get(CALENDAR, {"month": month.strftime("%Y-%m")})

    html = response.content.decode()
    assert f"<caption>Meetings in {month:%B %Y}</caption>" in html
    assert html.count('<th scope="col">') == 7
    assert f'<time datetime="{month:%Y-%m-%d}">' in html


def test_members_also_see_their_committees_meetings(
    member_client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    response = member_client.get(CALENDAR, {"month": month_of(committee_meeting)})

    assert coalition_meeting.get_absolute_url().encode() in response.content
    assert committee_meeting.get_absolute_url().encode() in response.content


def test_an_outsider_does_not_see_another_committees_meetings(
    outsider_client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    response = outsider_client.get(CALENDAR, {"month": month_of(committee_meeting)})

    assert coalition_meeting.get_absolute_url().encode() in response.content
    assert committee_meeting.get_absolute_url().encode() not in response.content


def test_coordinators_see_every_active_committees_meetings(
    coordinator_client: Client, committee_meeting: Meeting
) -> None:
    response = coordinator_client.get(CALENDAR, {"month": month_of(committee_meeting)})

    assert committee_meeting.get_absolute_url().encode() in response.content


@pytest.mark.parametrize("month", ["2027-13", "2027-00", "abc", "99999-01", "2027-1", ""])
def test_a_bad_month_falls_back_to_the_current_month(client: Client, db: None, month: str) -> None:
    today = timezone.localdate()

    response = client.get(CALENDAR, {"month": month})

    assert response.status_code == 200
    assert f"<caption>Meetings in {today:%B %Y}</caption>" in response.content.decode()


def test_a_bad_month_keeps_the_list_view(client: Client, coalition_meeting: Meeting) -> None:
    response = client.get(CALENDAR, {"view": "list", "month": "2027-99"})

    assert response.templates[0].name == "meetings/calendar_list.html"
    assert coalition_meeting.get_absolute_url().encode() in response.content


def test_previous_and_next_month_links_cross_the_year(client: Client, db: None) -> None:
    response = client.get(CALENDAR, {"month": "2027-01"})

    html = response.content.decode()
    assert 'href="?month=2026-12"' in html
    assert 'href="?month=2027-02"' in html


def test_a_cancelled_meeting_shows_as_cancelled(
    client: Client, coordinator: User, coalition_meeting: Meeting
) -> None:
    schedule.cancel_meeting(actor=coordinator, meeting=coalition_meeting)

    response = client.get(CALENDAR, {"month": month_of(coalition_meeting)})

    assert "Cancelled: 9:00 AM Coalition meeting" in response.content.decode()


def test_a_meeting_sits_on_its_own_local_day(client: Client, db: None) -> None:
    # 11 pm in Los Angeles is the next day in UTC.
    late = datetime.datetime(2027, 5, 4, 23, 0, tzinfo=PACIFIC)
    meeting = make_meeting(late, title="Late call")

    response = client.get(CALENDAR, {"month": "2027-05"})

    html = response.content.decode()
    day = html.index('<time datetime="2027-05-04">')
    next_day = html.index('<time datetime="2027-05-05">')
    assert day < html.index(meeting.get_absolute_url()) < next_day


def test_the_list_view_shows_upcoming_meetings_in_order(
    member_client: Client, coalition_meeting: Meeting, committee_meeting: Meeting
) -> None:
    past = make_meeting(timezone.now() - datetime.timedelta(days=3), title="Past meeting")

    response = member_client.get(CALENDAR, {"view": "list"})

    html = response.content.decode()
    assert response.status_code == 200
    assert past.get_absolute_url() not in html
    assert html.index(coalition_meeting.get_absolute_url()) < html.index(
        committee_meeting.get_absolute_url()
    )
    assert "committee-a-secret-room" not in html


def _many_meetings(committee: Committee, first: datetime.date, count: int) -> None:
    for number in range(count):
        start = datetime.datetime.combine(
            first + datetime.timedelta(days=number % 28), datetime.time(8 + number % 9), PACIFIC
        )
        make_meeting(start, title=f"Meeting {number}", committee=committee if number % 2 else None)


@pytest.mark.parametrize("view", ["month", "list"])
def test_the_calendar_runs_a_fixed_number_of_queries(
    member_client: Client,
    committee: Committee,
    django_assert_max_num_queries: object,
    view: str,
) -> None:
    first = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    first = first.replace(day=1)
    params = {"month": first.strftime("%Y-%m"), "view": view}
    _many_meetings(committee, first, 2)
    member_client.get(CALENDAR, params)
    with django_assert_max_num_queries(50) as few:  # type: ignore[operator]
        member_client.get(CALENDAR, params)
    _many_meetings(committee, first, 120)

    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        response = member_client.get(CALENDAR, params)

    assert response.content.count(b'href="/meetings/') >= 100


# The meeting page


def test_anonymous_visitors_see_a_coalition_meeting_without_its_online_link(
    client: Client, coalition_meeting: Meeting
) -> None:
    response = client.get(coalition_meeting.get_absolute_url())

    assert response.status_code == 200
    assert b"Coalition meeting" in response.content
    assert b"1025 Escobar St, Martinez" in response.content
    assert b"secret-room" not in response.content
    assert reverse("meetings:meeting-ics", args=[coalition_meeting.pk]).encode() in response.content


def test_anonymous_visitors_are_asked_to_sign_in_for_a_committee_meeting(
    client: Client, committee_meeting: Meeting
) -> None:
    response = client.get(committee_meeting.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_visitors_get_the_same_answer_for_a_meeting_that_does_not_exist(
    client: Client, db: None
) -> None:
    response = client.get(reverse("meetings:meeting-detail", args=[999_999]))

    assert response.status_code == 302


def test_committee_members_see_the_online_link(
    member_client: Client, committee_meeting: Meeting
) -> None:
    response = member_client.get(committee_meeting.get_absolute_url())

    assert b"https://meet.example.org/committee-a-secret-room" in response.content


def test_an_outsider_sees_a_committee_meeting_without_its_online_link(
    outsider_client: Client, committee_meeting: Meeting
) -> None:
    response = outsider_client.get(committee_meeting.get_absolute_url())

    assert response.status_code == 200
    assert b"secret-room" not in response.content
    assert b"Send my answer" not in response.content


def test_the_meeting_time_is_shown_in_the_meeting_time_zone_across_daylight_saving(
    client: Client, db: None
) -> None:
    before = make_meeting(datetime.datetime(2027, 3, 9, 9, 0, tzinfo=PACIFIC), title="Before")
    after = make_meeting(datetime.datetime(2027, 3, 16, 9, 0, tzinfo=PACIFIC), title="After")

    before_html = client.get(before.get_absolute_url()).content.decode()
    after_html = client.get(after.get_absolute_url()).content.decode()

    assert "9:00 AM\N{EN DASH}10:30 AM (PST)" in before_html
    assert "9:00 AM\N{EN DASH}10:30 AM (PDT)" in after_html


def test_the_agenda_shows_only_once_published(client: Client, coalition_meeting: Meeting) -> None:
    AgendaItem.objects.create(meeting=coalition_meeting, position=1, title="Welcome and intros")

    unpublished = client.get(coalition_meeting.get_absolute_url())
    coalition_meeting.agenda_published_at = timezone.now()
    coalition_meeting.save(update_fields=["agenda_published_at"])
    published = client.get(coalition_meeting.get_absolute_url())

    assert b"Welcome and intros" not in unpublished.content
    assert b"Welcome and intros" in published.content


def test_the_chair_sees_the_answer_counts_and_a_plain_member_does_not(
    representative_client: Client,
    member_client: Client,
    member: User,
    representative: User,
    committee_meeting: Meeting,
) -> None:
    Rsvp.objects.create(meeting=committee_meeting, person=member, answer=Rsvp.Answer.YES)
    Rsvp.objects.create(meeting=committee_meeting, person=representative, answer=Rsvp.Answer.YES)

    chair = representative_client.get(committee_meeting.get_absolute_url())
    plain = member_client.get(committee_meeting.get_absolute_url())

    assert chair.context["rsvp_counts"] == [("Yes", 2), ("No", 0), ("Maybe", 0)]
    assert "rsvp_counts" not in plain.context


# Answers (RSVP)


def _rsvp(client: Client, meeting: Meeting, answer: str) -> object:
    return client.post(reverse("meetings:meeting-rsvp", args=[meeting.pk]), {"answer": answer})


def test_an_invitee_answers_and_can_change_the_answer(
    member_client: Client, member: User, committee_meeting: Meeting
) -> None:
    first = _rsvp(member_client, committee_meeting, "yes")
    second = _rsvp(member_client, committee_meeting, "maybe")

    assert first["Location"] == committee_meeting.get_absolute_url()  # type: ignore[index]
    assert second["Location"] == committee_meeting.get_absolute_url()  # type: ignore[index]
    assert list(Rsvp.objects.values_list("person", "answer")) == [(member.pk, "maybe")]


def test_the_answer_is_shown_back_with_a_message(
    member_client: Client, committee_meeting: Meeting
) -> None:
    _rsvp(member_client, committee_meeting, "no")

    response = member_client.get(committee_meeting.get_absolute_url())

    html = response.content.decode()
    assert "Thank you: your answer is saved." in html
    assert "You answered: No." in html


def test_someone_not_invited_cannot_answer(
    outsider_client: Client, committee_meeting: Meeting
) -> None:
    response = _rsvp(outsider_client, committee_meeting, "yes")

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert Rsvp.objects.count() == 0


def test_a_member_who_left_the_committee_cannot_answer(
    member_client: Client, member: User, committee_meeting: Meeting
) -> None:
    CommitteeMembership.objects.filter(person=member).update(status=MembershipStatus.LEFT)

    response = _rsvp(member_client, committee_meeting, "yes")

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert Rsvp.objects.count() == 0


@pytest.mark.parametrize("answer", ["", "perhaps", "yes<script>"])
def test_a_bad_answer_saves_nothing(
    member_client: Client, committee_meeting: Meeting, answer: str
) -> None:
    response = _rsvp(member_client, committee_meeting, answer)

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Rsvp.objects.count() == 0


def test_a_cancelled_meeting_takes_no_answers(
    member_client: Client, coordinator: User, committee_meeting: Meeting
) -> None:
    schedule.cancel_meeting(actor=coordinator, meeting=committee_meeting)

    _rsvp(member_client, committee_meeting, "yes")

    assert Rsvp.objects.count() == 0


def test_answering_needs_a_post(member_client: Client, committee_meeting: Meeting) -> None:
    response = member_client.get(reverse("meetings:meeting-rsvp", args=[committee_meeting.pk]))

    assert response.status_code == 405


def test_coalition_meeting_invitees_are_the_member_agencies_people(
    member_client: Client, member: User, coalition_meeting: Meeting
) -> None:
    _rsvp(member_client, coalition_meeting, "yes")

    assert list(Rsvp.objects.values_list("person", "answer")) == [(member.pk, "yes")]


# The private feed's page

FEED_PAGE = reverse("meetings:feed-manage")


def test_the_feed_page_creates_nothing_on_get(member_client: Client) -> None:
    response = member_client.get(FEED_PAGE)

    assert response.status_code == 200
    assert CalendarFeed.objects.count() == 0


def test_a_first_post_creates_the_feed_and_a_second_keeps_it(
    member_client: Client, member: User
) -> None:
    member_client.post(FEED_PAGE, {"action": "create"})
    member_client.post(FEED_PAGE, {"action": "create"})

    feed = CalendarFeed.objects.get()
    response = member_client.get(FEED_PAGE)
    assert feed.person == member
    assert len(feed.token) >= 43  # 32 random bytes, URL-safe base64
    assert reverse("personal-feed", kwargs={"token": feed.token}) in response.content.decode()


def test_a_new_address_stops_the_old_one(member_client: Client) -> None:
    member_client.post(FEED_PAGE, {"action": "create"})
    old = CalendarFeed.objects.get()

    member_client.post(FEED_PAGE, {"action": "replace"})

    new = CalendarFeed.objects.get(revoked_at__isnull=True)
    assert new.token != old.token
    assert member_client.get(reverse("personal-feed", args=[old.token])).status_code == 404
    assert member_client.get(reverse("personal-feed", args=[new.token])).status_code == 200


def test_revoking_the_feed_makes_it_answer_404(client: Client, member_client: Client) -> None:
    member_client.post(FEED_PAGE, {"action": "create"})
    url = reverse("personal-feed", args=[CalendarFeed.objects.get().token])
    assert client.get(url).status_code == 200

    member_client.post(FEED_PAGE, {"action": "revoke"})

    assert client.get(url).status_code == 404


def test_a_bad_feed_action_changes_nothing(member_client: Client) -> None:
    response = member_client.post(FEED_PAGE, {"action": "delete-everything"})

    assert response.status_code == 200
    assert CalendarFeed.objects.count() == 0


def test_the_feed_page_needs_sign_in(client: Client, db: None) -> None:
    response = client.post(FEED_PAGE, {"action": "create"})

    assert response.status_code == 302
    assert CalendarFeed.objects.count() == 0
