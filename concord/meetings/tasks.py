"""Reminder emails and the scheduler's periodic jobs. Tasks receive ids only."""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from concord.meetings.models import ActionItem, Committee, Meeting, Minutes, Reminder

logger = logging.getLogger(__name__)

Context = dict[str, Any]


def _link(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


def _meeting(pk: int) -> Meeting | None:
    return Meeting.objects.select_related("committee").filter(pk=pk).first()


def _before_meeting(pk: int) -> Context | None:
    meeting = _meeting(pk)
    if meeting is None or meeting.is_cancelled or meeting.starts_at <= timezone.now():
        return None
    published = meeting.agenda_published_at is not None
    return {
        "meeting": meeting,
        "items": list(meeting.agenda_items.all()) if published else [],
        "agenda_published": published,
        "link": _link("meetings:meeting-detail", pk),
        "settings_link": settings.SITE_URL + reverse("meetings:reminder-settings"),
    }


def _meeting_cancelled(pk: int) -> Context | None:
    meeting = _meeting(pk)
    if meeting is None or not meeting.is_cancelled:
        return None
    return {"meeting": meeting, "link": _link("meetings:meeting-detail", pk)}


def _meeting_moved(pk: int) -> Context | None:
    meeting = _meeting(pk)
    if meeting is None or meeting.is_cancelled:
        return None
    return {"meeting": meeting, "link": _link("meetings:meeting-detail", pk)}


def _agenda_late(pk: int) -> Context | None:
    meeting = _meeting(pk)
    if meeting is None or meeting.is_cancelled or meeting.agenda_published_at is not None:
        return None
    return {"meeting": meeting, "link": _link("meetings:meeting-detail", pk)}


def _minutes_unapproved(pk: int) -> Context | None:
    minutes = Minutes.objects.select_related("meeting").filter(pk=pk).first()
    if minutes is None or minutes.status != Minutes.Status.DRAFT:
        return None
    return {
        "meeting": minutes.meeting,
        "link": _link("meetings:meeting-detail", minutes.meeting_id),
    }


def _action_due(pk: int) -> Context | None:
    item = ActionItem.objects.filter(pk=pk, status=ActionItem.Status.OPEN).first()
    if item is None:
        return None
    link = ""
    if item.meeting_id is not None:
        link = _link("meetings:meeting-detail", item.meeting_id)
    elif item.committee_id is not None:
        link = _link("meetings:committee-detail", item.committee_id)
    return {"item": item, "link": link}


def _sunset(pk: int) -> Context | None:
    committee = Committee.objects.filter(pk=pk).first()
    if committee is None or committee.is_archived:
        return None
    return {"committee": committee, "link": _link("meetings:committee-detail", pk)}


# Each kind: what it is about (loaded fresh from the id in its subject key, or None when
# the email no longer makes sense) and the template pair it renders.
MESSAGES: dict[str, tuple[Callable[[int], Context | None], str]] = {
    Reminder.Kind.BEFORE_MEETING: (_before_meeting, "reminder_meeting"),
    Reminder.Kind.MEETING_CANCELLED: (_meeting_cancelled, "reminder_meeting_cancelled"),
    Reminder.Kind.MEETING_MOVED: (_meeting_moved, "reminder_meeting_moved"),
    Reminder.Kind.AGENDA_LATE: (_agenda_late, "reminder_agenda_late"),
    Reminder.Kind.MINUTES_UNAPPROVED: (_minutes_unapproved, "reminder_minutes_unapproved"),
    Reminder.Kind.ACTION_DUE: (_action_due, "reminder_action_due"),
    Reminder.Kind.SUNSET: (_sunset, "reminder_sunset"),
}


def render_reminder(reminder: Reminder) -> tuple[str, str] | None:
    """The subject and body of a reminder's email, or None when there is nothing to say."""
    if reminder.kind not in MESSAGES:
        return None
    load, template = MESSAGES[reminder.kind]
    # Subject keys read "<thing>:<id>[:...]".
    context = load(int(reminder.subject_key.split(":")[1]))
    if context is None:
        return None
    subject = render_to_string(f"meetings/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"meetings/email/{template}_message.txt", context)
    return subject, body


@task()
def send_reminder(reminder_id: int) -> None:
    """Email one recorded reminder; running twice sends once.

    The task claims the row by stamping ``emailed_at``; a failed send releases it so a
    retry can try again.
    """
    claimed = Reminder.objects.filter(pk=reminder_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return
    reminder = Reminder.objects.select_related("person").get(pk=reminder_id)
    if not reminder.person.is_active:
        return
    try:
        with translation.override(reminder.person.language):
            message = render_reminder(reminder)
        if message is not None:
            send_mail(message[0], message[1], settings.DEFAULT_FROM_EMAIL, [reminder.person.email])
    except Exception:
        Reminder.objects.filter(pk=reminder_id).update(emailed_at=None)
        raise


@task()
def queue_due_reminders() -> int:
    """The scheduler's every-pass job: record and queue every reminder now due."""
    from concord.meetings.services.reminders import queue_due_reminders as queue

    return queue(now=timezone.now())


@task()
def extend_meeting_horizons() -> int:
    """The scheduler's daily job: keep every series' meetings generated ahead."""
    from concord.meetings.services.schedule import extend_all_horizons

    return extend_all_horizons(timezone.localdate())


@task()
def archive_expired_committees() -> int:
    """The scheduler's daily job: archive sub-committees past their sunset."""
    from concord.meetings.services import committees

    archived = committees.archive_expired_committees(today=timezone.localdate())
    return len(archived)


def daily_jobs() -> list[Any]:
    # Membership's upkeep rides on the same scheduler rather than running one of its own.
    from concord.backups.tasks import nightly_backup
    from concord.directory.tasks import directory_upkeep
    from concord.forum.tasks import forum_digest
    from concord.library.tasks import library_upkeep
    from concord.membership.tasks import membership_upkeep
    from concord.referrals.tasks import referrals_upkeep
    from concord.trainings.tasks import trainings_upkeep

    return [
        extend_meeting_horizons,
        archive_expired_committees,
        membership_upkeep,
        directory_upkeep,
        referrals_upkeep,
        trainings_upkeep,
        library_upkeep,
        forum_digest,
        nightly_backup,
    ]


def scheduler_pass(*, today: datetime.date, last_daily: datetime.date | None) -> datetime.date:
    """Queue the jobs of one scheduler pass; the daily jobs when the day has changed.

    Returns the day the daily jobs last ran. Every job is safe to run twice, so a
    restarted scheduler (or a second one) only repeats harmless work.
    """
    if last_daily != today:
        for job in daily_jobs():
            job.enqueue()
        last_daily = today
    queue_due_reminders.enqueue()
    # An emergency referral is overdue in hours: its escalation cannot wait for the day.
    from concord.referrals.tasks import escalate_overdue_referrals

    escalate_overdue_referrals.enqueue()
    # Mail the server did not take waits in a queue; each pass sends what is due. A job
    # whose worker was killed goes back in the queue.
    from concord.core.tasks import deliver_queued_email, requeue_stalled_tasks

    deliver_queued_email.enqueue()
    requeue_stalled_tasks()
    # A training's evaluation is asked for soon after it ends, while it is fresh.
    from concord.trainings.tasks_completion import queue_evaluation_requests

    queue_evaluation_requests.enqueue()
    logger.info("scheduler pass queued its jobs", extra={"day": today.isoformat()})
    return last_daily
