import datetime
import zoneinfo
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeKind,
    Meeting,
    MeetingSeries,
    Minutes,
    Reminder,
)
from concord.meetings.services import reminders
from concord.meetings.tasks import send_reminder
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
# A clock in the future, so the email tasks (which check the real time) still see every
# meeting ahead of them.
YEAR = timezone.localdate().year + 2
NOW = datetime.datetime(YEAR, 6, 10, 12, 0, tzinfo=PACIFIC)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PACIFIC)


def make_meeting(day: datetime.date, **fields: Any) -> Meeting:
    fields.setdefault("title", "Coalition meeting")
    return Meeting.objects.create(starts_at=at(day, 9), ends_at=at(day, 10, 30), **fields)


def recipients(mailbox: Mailbox, subject: str = "Reminder:") -> Counter[str]:
    """Who got the emails whose subject starts so (by default: meeting reminders)."""
    return Counter(m["To"] for m in mailbox.messages if m["Subject"].startswith(subject))


def run(now: datetime.datetime, capture: Any) -> int:
    with capture(execute=True):
        queued = reminders.queue_due_reminders(now=now)
    run_queued_tasks()
    return queued


@pytest.fixture
def invited(coordinator: User, representative: User, member: User, outsider: User) -> set[str]:
    """Everyone invited to a coalition meeting (the deactivated person is not)."""
    return {coordinator.email, representative.email, member.email, outsider.email}


def test_invitees_are_reminded_once_even_when_the_job_runs_twice(
    invited: set[str], smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_meeting(NOW.date() + datetime.timedelta(days=7))

    run(NOW, django_capture_on_commit_callbacks)
    run(NOW, django_capture_on_commit_callbacks)
    run(NOW + datetime.timedelta(minutes=5), django_capture_on_commit_callbacks)

    assert recipients(smtp_server) == Counter(dict.fromkeys(invited, 1))
    assert "Coalition meeting" in smtp_server.messages[0]["Subject"]


def test_each_reminder_day_of_the_series_sends_its_own_reminder(
    invited: set[str], smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    day = NOW.date() + datetime.timedelta(days=3)
    series = MeetingSeries.objects.create(
        title="Coalition",
        starts_on=day,
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        reminder_days="3,1",
    )
    make_meeting(day, series=series)

    run(NOW, django_capture_on_commit_callbacks)
    run(NOW + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    run(NOW + datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    assert recipients(smtp_server) == Counter(dict.fromkeys(invited, 2))


def test_a_reminder_not_yet_due_is_not_sent(
    invited: set[str], smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_meeting(NOW.date() + datetime.timedelta(days=8))

    queued = run(NOW, django_capture_on_commit_callbacks)

    assert (queued, smtp_server.messages) == (0, [])


def test_a_person_with_reminders_off_gets_none(
    invited: set[str],
    member: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    member.receives_reminders = False
    member.save()
    make_meeting(NOW.date() + datetime.timedelta(days=1))

    run(NOW, django_capture_on_commit_callbacks)

    assert set(recipients(smtp_server)) == invited - {member.email}


def test_a_cancelled_meeting_gets_no_reminder(
    invited: set[str], smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    make_meeting(NOW.date() + datetime.timedelta(days=1), status="cancelled")

    run(NOW, django_capture_on_commit_callbacks)

    assert smtp_server.messages == []


def test_committee_meeting_reminders_go_to_its_members_only(
    committee: Committee,
    representative: User,
    member: User,
    outsider: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_meeting(NOW.date() + datetime.timedelta(days=1), committee=committee)

    run(NOW, django_capture_on_commit_callbacks)

    assert recipients(smtp_server) == Counter({representative.email: 1, member.email: 1})


def test_the_day_before_reminder_follows_the_local_calendar_across_the_march_change(
    representative: User, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    march = datetime.date(YEAR, 3, 1)
    change = march + datetime.timedelta(days=(6 - march.weekday()) % 7 + 7)  # 2nd Sunday
    # A Monday 09:00 meeting just after clocks went forward on Sunday: "1 day before" is
    # the Sunday, local time, which starts at 08:00 UTC (still Pacific standard time).
    monday = change + datetime.timedelta(days=1)
    series = MeetingSeries.objects.create(
        title="Coalition",
        starts_on=monday,
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        reminder_days="1",
    )
    meeting = make_meeting(monday, series=series)
    late_saturday = at(change - datetime.timedelta(days=1), 23, 30)
    early_sunday = at(change, 0, 30)

    before = run(late_saturday, django_capture_on_commit_callbacks)
    sent_before = len(smtp_server.messages)
    run(early_sunday, django_capture_on_commit_callbacks)

    assert meeting.starts_at.astimezone(datetime.UTC).hour == 16  # 09:00 PDT
    assert late_saturday.astimezone(datetime.UTC).date() == change  # the UTC date misleads
    assert (before, sent_before) == (0, 0)
    assert recipients(smtp_server) == Counter({representative.email: 1})
    assert Reminder.objects.get().subject_key.endswith(f":1d:{meeting.starts_at.date()}")


def test_the_reminder_carries_the_agenda_once_published(
    representative: User, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(
        NOW.date() + datetime.timedelta(days=1), location="1025 Escobar St, Martinez"
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title="Budget & grants")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Training calendar")
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=NOW)

    run(NOW, django_capture_on_commit_callbacks)

    body = smtp_server.bodies()[0]
    assert "1. Budget & grants" in body
    assert "2. Training calendar" in body
    assert "1025 Escobar St, Martinez" in body
    assert "/account/reminders/" in body


def test_an_unpublished_agenda_is_not_listed(
    representative: User, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(NOW.date() + datetime.timedelta(days=1))
    AgendaItem.objects.create(meeting=meeting, position=1, title="Draft item")

    run(NOW, django_capture_on_commit_callbacks)

    assert "Draft item" not in smtp_server.bodies()[0]
    assert "The agenda is not published yet." in smtp_server.bodies()[0]


def test_the_email_task_sends_once_when_run_twice(
    representative: User, smtp_server: Mailbox
) -> None:
    meeting = make_meeting(NOW.date() + datetime.timedelta(days=1))
    reminder = Reminder.objects.create(
        kind=Reminder.Kind.BEFORE_MEETING,
        subject_key=f"meeting:{meeting.pk}:1d:{meeting.starts_at.date()}",
        person=representative,
    )

    send_reminder.call(reminder.pk)
    send_reminder.call(reminder.pk)

    assert len(smtp_server.messages) == 1


def test_a_failed_send_releases_the_reminder_for_a_retry(
    representative: User, settings: Any
) -> None:
    meeting = make_meeting(NOW.date() + datetime.timedelta(days=1))
    reminder = Reminder.objects.create(
        kind=Reminder.Kind.BEFORE_MEETING,
        subject_key=f"meeting:{meeting.pk}:1d",
        person=representative,
    )
    # No server listens on this port: the send fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    with pytest.raises(ConnectionRefusedError):
        send_reminder.call(reminder.pk)

    reminder.refresh_from_db()
    assert reminder.emailed_at is None


def test_coordinators_and_chairs_hear_of_an_unpublished_agenda_five_days_before(
    committee: Committee,
    coordinator: User,
    representative: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_meeting(NOW.date() + datetime.timedelta(days=5), committee=committee)
    published = make_meeting(NOW.date() + datetime.timedelta(days=4), committee=committee)
    Meeting.objects.filter(pk=published.pk).update(agenda_published_at=NOW)
    make_meeting(NOW.date() + datetime.timedelta(days=6), committee=committee)
    for person in (coordinator, representative):
        person.receives_reminders = False  # warnings are duties, not reminders
        person.save()

    run(NOW, django_capture_on_commit_callbacks)
    run(NOW, django_capture_on_commit_callbacks)

    assert recipients(smtp_server, "Agenda not") == Counter(
        {coordinator.email: 1, representative.email: 1}
    )


def test_minutes_left_in_draft_after_the_next_meeting_are_flagged(
    committee: Committee,
    coordinator: User,
    representative: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    january = make_meeting(NOW.date() - datetime.timedelta(days=60), committee=committee)
    february = make_meeting(NOW.date() - datetime.timedelta(days=30), committee=committee)
    march = make_meeting(NOW.date() + datetime.timedelta(days=30), committee=committee)
    Minutes.objects.create(meeting=january, text="Draft minutes")
    Minutes.objects.create(meeting=february, text="Draft minutes")
    Minutes.objects.create(meeting=march, text="Too early")

    run(NOW, django_capture_on_commit_callbacks)
    run(NOW, django_capture_on_commit_callbacks)

    assert recipients(smtp_server, "Minutes not") == Counter(
        {coordinator.email: 1, representative.email: 1}
    )
    assert set(Reminder.objects.filter(kind="minutes_unapproved").values_list("subject_key")) == {
        (f"minutes:{january.minutes.pk}",)
    }


def test_action_item_owners_are_reminded_two_days_before_the_due_date(
    committee: Committee,
    member: User,
    representative: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    today = NOW.date()
    ActionItem.objects.create(
        committee=committee,
        title="Send the training calendar",
        owner=member,
        due_on=today + datetime.timedelta(days=2),
    )
    ActionItem.objects.create(
        committee=committee,
        title="Not yet",
        owner=representative,
        due_on=today + datetime.timedelta(days=3),
    )
    ActionItem.objects.create(
        committee=committee,
        title="Already done",
        owner=representative,
        due_on=today + datetime.timedelta(days=1),
        status=ActionItem.Status.DONE,
    )

    run(NOW, django_capture_on_commit_callbacks)
    run(NOW, django_capture_on_commit_callbacks)

    assert recipients(smtp_server, "") == Counter({member.email: 1})
    assert "Send the training calendar" in smtp_server.bodies()[0]


def test_sub_committee_chairs_and_coordinators_are_asked_two_weeks_before_the_sunset(
    committee: Committee,
    coordinator: User,
    representative: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    Committee.objects.filter(pk=committee.pk).update(
        kind=CommitteeKind.SUBCOMMITTEE, sunset_on=NOW.date() + datetime.timedelta(days=14)
    )
    Committee.objects.create(
        name="Later",
        kind=CommitteeKind.SUBCOMMITTEE,
        sunset_on=NOW.date() + datetime.timedelta(days=15),
    )

    run(NOW, django_capture_on_commit_callbacks)
    run(NOW, django_capture_on_commit_callbacks)

    assert recipients(smtp_server, "") == Counter({coordinator.email: 1, representative.email: 1})
    assert f"/committees/{committee.pk}/" in smtp_server.bodies()[0]


@pytest.mark.parametrize(
    ("text", "days"),
    [("7,1", [7, 1]), (" 1, 7 ,7", [7, 1]), ("", []), ("0,60", [60, 0])],
)
def test_reminder_days_are_read_from_the_series(text: str, days: list[int]) -> None:
    assert reminders.parse_reminder_days(text) == days


@pytest.mark.parametrize("text", ["61", "-1", "1.5", "seven", "7;1"])
def test_reminder_days_refuse_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        reminders.parse_reminder_days(text)
