"""Attendance: recorded by a chair or coordinator, or by invitees checking themselves in."""

import datetime
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.meetings.models import Attendance, Meeting

# Check-in opens this long before the meeting starts and closes when it ends.
CHECK_IN_EARLY = datetime.timedelta(minutes=30)
# 24 bytes: 192 bits from the system's secure source (SECURITY.md rule 15).
CHECK_IN_TOKEN_BYTES = 24


def has_started(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    return meeting.starts_at <= (now or timezone.now())


def is_check_in_time(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """From 30 minutes before the start to the end, for a meeting that is not cancelled."""
    now = now or timezone.now()
    return not meeting.is_cancelled and meeting.starts_at - CHECK_IN_EARLY <= now < meeting.ends_at


@transaction.atomic
def record_attendance(*, actor: User, meeting: Meeting, statuses: Mapping[int, str]) -> int:
    """Save each person's status (person id to status) in one statement; return how many
    rows changed. A changed status is the recorder's, no longer a self check-in."""
    if not has_started(meeting):
        raise ValidationError(_("Attendance can be recorded once the meeting has started."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    if not set(statuses.values()) <= set(Attendance.Status.values):
        raise ValidationError(_("Choose present, absent or excused for each person."))
    existing = dict(
        Attendance.objects.filter(meeting=meeting, person_id__in=list(statuses)).values_list(
            "person_id", "status"
        )
    )
    rows = [
        Attendance(meeting=meeting, person_id=person_id, status=status, checked_in=False)
        for person_id, status in statuses.items()
        if existing.get(person_id) != status
    ]
    if rows:
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["meeting", "person"],
            update_fields=["status", "checked_in", "recorded_at"],
        )
        record_event(
            actor=actor,
            action="concord.meeting.attendance_recorded",
            target=meeting,
            data={"changed": len(rows)},
        )
    return len(rows)


@transaction.atomic
def open_check_in(*, actor: User, meeting: Meeting) -> str:
    """Give the meeting a new secret check-in token; any earlier one stops working."""
    if not is_check_in_time(meeting):
        raise ValidationError(
            _("Check-in can be opened from 30 minutes before the meeting until it ends.")
        )
    meeting.check_in_token = secrets.token_urlsafe(CHECK_IN_TOKEN_BYTES)
    meeting.save(update_fields=["check_in_token", "updated_at"])
    record_event(actor=actor, action="concord.meeting.check_in_opened", target=meeting)
    return meeting.check_in_token


@transaction.atomic
def close_check_in(*, actor: User, meeting: Meeting) -> None:
    if not meeting.check_in_token:
        return
    meeting.check_in_token = ""
    meeting.save(update_fields=["check_in_token", "updated_at"])
    record_event(actor=actor, action="concord.meeting.check_in_closed", target=meeting)


@transaction.atomic
def check_in(*, actor: User, meeting: Meeting) -> Attendance:
    """Record the actor present at the meeting, as a self check-in.

    The view has checked the token and that the actor is invited.
    """
    if not is_check_in_time(meeting):
        raise ValidationError(_("Check-in is closed."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        person=actor,
        defaults={"status": Attendance.Status.PRESENT, "checked_in": True},
    )
    record_event(actor=actor, action="concord.meeting.checked_in", target=meeting)
    return attendance
