import datetime
from collections import Counter
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import User
from concord.meetings.models import (
    Committee,
    CommitteeKind,
    CommitteeStatus,
    Meeting,
    MeetingSeries,
    Reminder,
)
from concord.meetings.services.schedule import horizon
from concord.meetings.tasks import scheduler_pass
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks


def queued() -> Counter[str]:
    return Counter(
        path.rsplit(".", 1)[-1]
        for path in DBTaskResult.objects.ready().values_list("task_path", flat=True)
    )


def test_a_pass_queues_the_daily_jobs_once_a_day_and_the_reminders_every_time(
    db: None,
) -> None:
    today = datetime.date(2027, 3, 1)

    last = scheduler_pass(today=today, last_daily=None)
    last = scheduler_pass(today=today, last_daily=last)
    scheduler_pass(today=today + datetime.timedelta(days=1), last_daily=last)

    assert queued() == Counter(
        {
            "queue_due_reminders": 3,
            "extend_meeting_horizons": 2,
            "archive_expired_committees": 2,
            "membership_upkeep": 2,
            "directory_upkeep": 2,
            "referrals_upkeep": 2,
            "trainings_upkeep": 2,
            "library_upkeep": 2,
            "forum_digest": 2,
            "nightly_backup": 2,
            "escalate_overdue_referrals": 3,
            "deliver_queued_email": 3,
            "queue_evaluation_requests": 3,
        }
    )


def test_the_scheduler_extends_horizons_and_archives_expired_sub_committees(db: None) -> None:
    series = MeetingSeries.objects.create(
        title="Coalition",
        rule="FREQ=MONTHLY;BYDAY=2WE",
        starts_on=timezone.localdate(),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
    )
    expired = Committee.objects.create(
        name="Expired",
        kind=CommitteeKind.SUBCOMMITTEE,
        sunset_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    call_command("run_scheduler", "--once")
    run_queued_tasks()

    series.refresh_from_db()
    expired.refresh_from_db()
    assert series.generated_until == horizon()
    assert series.meetings.count() >= 18
    assert expired.status == CommitteeStatus.ARCHIVED


def test_two_schedulers_at_once_send_each_reminder_once(
    coordinator: User,
    representative: User,
    member: User,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    day = timezone.localdate() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Meeting.objects.create(
        title="Coalition meeting", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )

    call_command("run_scheduler", "--once")
    call_command("run_scheduler", "--once")
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks()
    run_queued_tasks()

    reminded = Counter(m["To"] for m in smtp_server.messages if m["Subject"].startswith("Rem"))
    assert reminded == Counter({coordinator.email: 1, representative.email: 1, member.email: 1})
    assert Reminder.objects.filter(kind=Reminder.Kind.BEFORE_MEETING).count() == 3
