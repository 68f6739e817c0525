import datetime
import uuid
import zoneinfo
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import Committee, Meeting, MeetingSeries, MeetingStatus, Reminder
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
NEXT_YEAR = timezone.localdate().year + 1


def series_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Training partners",
        "title_es": "",
        "committee": "",
        "rule": "FREQ=MONTHLY;BYDAY=2WE",
        "starts_on": f"{NEXT_YEAR}-01-01",
        "start_time": "10:00",
        "end_time": "11:30",
        "time_zone": "America/Los_Angeles",
        "location": "",
        "online_url": "",
        "reminder_days": "7,1",
    }
    data.update(changes)
    return data


# The list.


def test_coordinators_see_every_series_in_a_fixed_number_of_queries(
    coordinator_client: Client,
    committee: Committee,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(32):
        MeetingSeries.objects.create(
            title=f"Series {number}",
            committee=committee if number % 2 else None,
            starts_on=datetime.date(NEXT_YEAR, 1, 1),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
        )

    with django_assert_max_num_queries(10):
        response = coordinator_client.get(reverse("meetings:series-list"))

    assert response.status_code == 200
    assert len(response.context["series_list"]) == 32


def test_chairs_see_their_committees_series_only(
    representative_client: Client, committee_series: MeetingSeries
) -> None:
    MeetingSeries.objects.create(
        title="Coalition",
        starts_on=datetime.date(NEXT_YEAR, 1, 1),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
    )

    response = representative_client.get(reverse("meetings:series-list"))

    assert [s.title for s in response.context["series_list"]] == ["Committee A monthly"]


@pytest.mark.parametrize("name", ["meetings:series-list", "meetings:series-create"])
def test_members_and_outsiders_cannot_schedule(
    name: str, member_client: Client, outsider_client: Client, committee: Committee
) -> None:
    assert member_client.get(reverse(name)).status_code == 403
    assert outsider_client.get(reverse(name)).status_code == 403


# Creating and editing a series.


def test_a_coordinator_adds_a_coalition_series_with_its_meetings(
    coordinator_client: Client,
) -> None:
    response = coordinator_client.post(reverse("meetings:series-create"), series_data())

    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert series.committee is None
    first = series.meetings.order_by("starts_at").first()
    assert first is not None
    assert first.starts_at.astimezone(PACIFIC) == datetime.datetime(
        NEXT_YEAR, 1, first.starts_at.astimezone(PACIFIC).day, 10, 0, tzinfo=PACIFIC
    )
    assert first.starts_at.astimezone(PACIFIC).weekday() == 2  # a Wednesday


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rule": "EVERY OTHER TUESDAY"}, "rule", "This is not a recurrence rule."),
        ({"rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rule", "This rule gives no date"),
        ({"end_time": "09:00"}, "end_time", "The end time must be after the start time."),
        ({"end_time": "10:00"}, "end_time", "The end time must be after the start time."),
        ({"time_zone": "Pacific/Atlantis"}, "time_zone", "Unknown time zone."),
        ({"reminder_days": "7,one"}, "reminder_days", "Write whole numbers from 0 to 60"),
        ({"reminder_days": "90"}, "reminder_days", "Write whole numbers from 0 to 60"),
    ],
)
def test_bad_series_input_is_a_field_error_and_nothing_is_saved(
    coordinator_client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = coordinator_client.post(reverse("meetings:series-create"), series_data(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert (MeetingSeries.objects.count(), Meeting.objects.count()) == (0, 0)


def test_an_empty_rule_makes_an_as_needed_series_with_the_default_reminders(
    coordinator_client: Client,
) -> None:
    coordinator_client.post(
        reverse("meetings:series-create"), series_data(rule="", reminder_days="")
    )

    series = MeetingSeries.objects.get()
    assert (series.rule, series.reminder_days, series.meetings.count()) == ("", "7,1", 0)


def test_a_chair_cannot_add_a_coalition_series_or_one_of_another_committee(
    representative_client: Client, committee: Committee
) -> None:
    other = Committee.objects.create(name="Other")

    coalition = representative_client.post(reverse("meetings:series-create"), series_data())
    foreign = representative_client.post(
        reverse("meetings:series-create"), series_data(committee=other.pk)
    )
    own = representative_client.post(
        reverse("meetings:series-create"), series_data(committee=committee.pk)
    )

    assert "committee" in coalition.context["form"].errors
    assert "committee" in foreign.context["form"].errors
    assert own.status_code == 302
    assert list(MeetingSeries.objects.values_list("committee", flat=True)) == [committee.pk]


def test_the_edit_page_previews_the_next_five_dates(
    representative_client: Client, committee_series: MeetingSeries
) -> None:
    MeetingSeries.objects.filter(pk=committee_series.pk).update(
        starts_on=datetime.date(NEXT_YEAR, 1, 1)
    )

    response = representative_client.get(
        reverse("meetings:series-edit", args=[committee_series.pk])
    )

    assert response.context["preview"] == [
        datetime.date(NEXT_YEAR, month, day) for month, day in _second_wednesdays(NEXT_YEAR)[:5]
    ]
    assert f"{_second_wednesdays(NEXT_YEAR)[0][1]}, {NEXT_YEAR}" in response.text


def _second_wednesdays(year: int) -> list[tuple[int, int]]:
    days = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        offset = (2 - first.weekday()) % 7
        days.append((month, 1 + offset + 7))
    return days


def test_preview_shows_the_entered_rule_without_saving(
    representative_client: Client, committee_series: MeetingSeries
) -> None:
    url = reverse("meetings:series-edit", args=[committee_series.pk])

    response = representative_client.post(
        url,
        series_data(
            committee=committee_series.committee_id,
            rule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1",
            preview="1",
        ),
    )

    committee_series.refresh_from_db()
    assert response.context["preview"] == [datetime.date(NEXT_YEAR + n, 3, 1) for n in range(5)]
    assert committee_series.rule == "FREQ=MONTHLY;BYDAY=2WE"


def test_a_chair_changes_the_rule_of_their_committees_series(
    representative_client: Client, committee_series: MeetingSeries
) -> None:
    url = reverse("meetings:series-edit", args=[committee_series.pk])

    response = representative_client.post(
        url,
        series_data(
            committee=committee_series.committee_id,
            rule="FREQ=MONTHLY;BYDAY=1MO",
            starts_on=committee_series.starts_on.isoformat(),
        ),
    )

    assert response.status_code == 302
    weekdays = {m.starts_at.astimezone(PACIFIC).weekday() for m in committee_series.meetings.all()}
    assert weekdays == {0}


def test_a_bad_edit_changes_nothing(
    coordinator_client: Client, committee_series: MeetingSeries
) -> None:
    url = reverse("meetings:series-edit", args=[committee_series.pk])

    response = coordinator_client.post(
        url,
        series_data(committee=committee_series.committee_id, rule="FREQ=NEVER", title="New"),
    )

    committee_series.refresh_from_db()
    assert response.status_code == 200
    assert (committee_series.title, committee_series.rule) == (
        "Committee A monthly",
        "FREQ=MONTHLY;BYDAY=2WE",
    )
    assert 'value="New"' in response.text  # nothing typed is lost


def test_outsiders_and_members_cannot_edit_a_series(
    outsider_client: Client, member_client: Client, committee_series: MeetingSeries
) -> None:
    url = reverse("meetings:series-edit", args=[committee_series.pk])

    assert outsider_client.post(url, series_data(title="Taken")).status_code == 403
    assert member_client.get(url).status_code == 403
    committee_series.refresh_from_db()
    assert committee_series.title == "Committee A monthly"


# Cancelling and moving a meeting.


def test_cancelling_asks_first_then_tells_the_invitees_once(
    representative_client: Client,
    committee_meeting: Meeting,
    representative: User,
    member: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("meetings:meeting-cancel", args=[committee_meeting.pk])

    page = representative_client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        representative_client.post(url)
        representative_client.post(url)
    run_queued_tasks()

    committee_meeting.refresh_from_db()
    assert "Cancel the meeting" in page.text
    assert committee_meeting.status == MeetingStatus.CANCELLED
    assert Counter(m["To"] for m in smtp_server.messages) == Counter(
        {representative.email: 1, member.email: 1}
    )
    assert smtp_server.messages[0]["Subject"] == "Cancelled: Committee A meeting"


def test_outsiders_and_members_cannot_cancel(
    outsider_client: Client, member_client: Client, committee_meeting: Meeting
) -> None:
    url = reverse("meetings:meeting-cancel", args=[committee_meeting.pk])

    assert outsider_client.post(url).status_code == 403
    assert member_client.post(url).status_code == 403
    committee_meeting.refresh_from_db()
    assert committee_meeting.status == MeetingStatus.SCHEDULED


def move_data(day: datetime.date, start: str = "09:00", end: str = "10:30") -> dict[str, str]:
    return {
        "date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "location": "New room",
        "online_url": "",
    }


def test_moving_a_meeting_uses_its_time_zone_across_the_march_change_and_tells_invitees(
    representative_client: Client,
    committee_meeting: Meeting,
    representative: User,
    member: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monday_after_change = datetime.date(NEXT_YEAR + 1, 3, 8)
    while monday_after_change.weekday() != 0 or monday_after_change.day < 9:
        monday_after_change += datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = representative_client.post(
            reverse("meetings:meeting-move", args=[committee_meeting.pk]),
            move_data(monday_after_change),
        )
    run_queued_tasks()

    committee_meeting.refresh_from_db()
    assert response.status_code == 302
    assert committee_meeting.starts_at.astimezone(datetime.UTC).time() == datetime.time(16, 0)
    assert (committee_meeting.location, committee_meeting.sequence) == ("New room", 1)
    assert Counter(m["To"] for m in smtp_server.messages) == Counter(
        {representative.email: 1, member.email: 1}
    )
    assert "New room" in smtp_server.bodies()[0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (move_data(datetime.date(2020, 1, 7)), "date"),
        (move_data(datetime.date(NEXT_YEAR, 1, 7), "10:00", "09:00"), "end_time"),
        (move_data(datetime.date(NEXT_YEAR, 1, 7), "10:00", "10:00"), "end_time"),
    ],
)
def test_moving_into_the_past_or_ending_before_starting_is_a_field_error(
    representative_client: Client, committee_meeting: Meeting, data: dict[str, str], field: str
) -> None:
    before = Meeting.objects.values().get(pk=committee_meeting.pk)

    response = representative_client.post(
        reverse("meetings:meeting-move", args=[committee_meeting.pk]), data
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Meeting.objects.values().get(pk=committee_meeting.pk) == before


def test_outsiders_cannot_move_a_meeting(
    outsider_client: Client, committee_meeting: Meeting
) -> None:
    response = outsider_client.post(
        reverse("meetings:meeting-move", args=[committee_meeting.pk]),
        move_data(datetime.date(NEXT_YEAR, 1, 7)),
    )

    assert response.status_code == 403


# Adding a meeting.


def add_data(**changes: Any) -> dict[str, Any]:
    data = {
        "submission_token": str(uuid.uuid4()),
        "series": "",
        "committee": "",
        "title": "Extra meeting",
        "title_es": "",
        "date": f"{NEXT_YEAR}-02-03",
        "start_time": "14:00",
        "end_time": "15:00",
        "time_zone": "",
        "location": "",
        "online_url": "",
    }
    data.update(changes)
    return data


def test_a_double_submit_adds_one_meeting(
    representative_client: Client, committee: Committee
) -> None:
    data = add_data(committee=committee.pk)

    first = representative_client.post(reverse("meetings:meeting-create"), data)
    second = representative_client.post(reverse("meetings:meeting-create"), data)

    meeting = Meeting.objects.get()
    assert first["Location"] == second["Location"] == meeting.get_absolute_url()
    assert (meeting.committee, meeting.time_zone) == (committee, "America/Los_Angeles")
    assert meeting.starts_at.astimezone(PACIFIC).time() == datetime.time(14, 0)


def test_an_extra_meeting_of_a_series_takes_its_committee_and_prefill(
    representative_client: Client, committee_series: MeetingSeries
) -> None:
    url = reverse("meetings:meeting-create") + f"?series={committee_series.pk}"

    page = representative_client.get(url)
    representative_client.post(url, add_data(series=committee_series.pk))

    meeting = Meeting.objects.get(series=committee_series, is_exception=True)
    assert page.context["form"].initial["title"] == "Committee A monthly"
    assert meeting.committee_id == committee_series.committee_id


def test_a_chair_must_choose_a_committee_and_only_their_own(
    representative_client: Client, committee: Committee
) -> None:
    other = Committee.objects.create(name="Other")

    none = representative_client.post(reverse("meetings:meeting-create"), add_data())
    foreign = representative_client.post(
        reverse("meetings:meeting-create"), add_data(committee=other.pk)
    )

    assert "committee" in none.context["form"].errors
    assert "committee" in foreign.context["form"].errors
    assert Meeting.objects.count() == 0


def test_an_added_meeting_in_the_past_is_refused(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("meetings:meeting-create"), add_data(date="2020-02-03")
    )

    assert list(response.context["form"].errors) == ["date"]
    assert Meeting.objects.count() == 0


def test_outsiders_cannot_add_meetings(outsider_client: Client, committee: Committee) -> None:
    response = outsider_client.post(
        reverse("meetings:meeting-create"), add_data(committee=committee.pk)
    )

    assert response.status_code == 403
    assert Meeting.objects.count() == 0


# Reminder settings.


def test_a_person_turns_reminders_off_and_on(member_client: Client, member: User) -> None:
    url = reverse("meetings:reminder-settings")

    off = member_client.post(url, {})
    member.refresh_from_db()
    was = member.receives_reminders
    member_client.post(url, {"receives_reminders": "on"})
    member.refresh_from_db()

    assert off.status_code == 302
    assert (was, member.receives_reminders) == (False, True)


def test_reminders_off_means_no_meeting_reminder(
    member_client: Client,
    member: User,
    representative: User,
    committee_meeting: Meeting,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from concord.meetings.services.reminders import queue_due_reminders

    member_client.post(reverse("meetings:reminder-settings"), {})
    with django_capture_on_commit_callbacks(execute=True):
        queue_due_reminders(now=committee_meeting.starts_at - datetime.timedelta(hours=20))
    run_queued_tasks()

    reminded = {m["To"] for m in smtp_server.messages if m["Subject"].startswith("Reminder")}
    assert reminded == {representative.email}
    assert not Reminder.objects.filter(person=member).exists()


def test_the_reminder_settings_need_a_sign_in(client: Client, db: None) -> None:
    response = client.get(reverse("meetings:reminder-settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_series_of_an_archived_committee_is_read_only(
    coordinator_client: Client, committee_series: MeetingSeries, committee: Committee
) -> None:
    Committee.objects.filter(pk=committee.pk).update(status="archived")

    response = coordinator_client.get(reverse("meetings:series-edit", args=[committee_series.pk]))

    assert response.status_code == 403
