"""The one place a referral's status changes: checked, saved, logged, audited."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.coalition.queries import current_coalition
from concord.referrals.models import (
    TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Urgency,
)

# The field that records when a referral reached each status.
_STAMPS: dict[str, str] = {
    ReferralStatus.SENT: "sent_at",
    ReferralStatus.ACCEPTED: "accepted_at",
    ReferralStatus.COMPLETED: "completed_at",
    ReferralStatus.CLOSED: "closed_at",
    ReferralStatus.WITHDRAWN: "withdrawn_at",
}
_ANSWERS = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.INFO_REQUESTED)


def locked(referral: Referral) -> Referral:
    """The referral's row, locked until the caller's transaction ends."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def check_transition(referral: Referral, to: str) -> None:
    if to in TRANSITIONS[referral.status]:
        return
    if referral.status == to == ReferralStatus.ACCEPTED:
        message = _("Someone at your agency already accepted this referral.")
    elif referral.status == to:
        message = _("Someone already made this change: the referral is %(status)s.") % {
            "status": referral.get_status_display().lower()
        }
    else:
        message = _("This referral is %(status)s and cannot be changed that way.") % {
            "status": referral.get_status_display().lower()
        }
    raise ValidationError(message, code="invalid_transition")


def move(referral: Referral, to: str, *, actor: User, fields: tuple[str, ...] = ()) -> Referral:
    """Move a locked referral to ``to``, saving ``fields`` with the status. The audit event
    holds the statuses and codes only, never client information."""
    check_transition(referral, to)
    now = timezone.now()
    old = referral.status
    referral.status = to
    stamps: list[str] = []
    if to in _STAMPS:
        setattr(referral, _STAMPS[to], now)
        stamps.append(_STAMPS[to])
    if to in _ANSWERS:
        referral.responded_at = now
        stamps.append("responded_at")
    referral.save(update_fields=["status", "updated_at", *stamps, *fields])
    ReferralStatusChange.objects.create(
        referral=referral, from_status=old, to_status=to, actor=actor
    )
    data: dict[str, str] = {"from": old, "to": to}
    if referral.decline_reason and to == ReferralStatus.DECLINED:
        data["reason"] = referral.decline_reason
    if referral.outcome and to == ReferralStatus.COMPLETED:
        data["outcome"] = referral.outcome
    record_event(
        actor=actor,
        action=f"concord.referral.{to}",
        target=referral,
        agency=actor.agency,
        data=data,
    )
    return referral


def coalition_zone() -> zoneinfo.ZoneInfo:
    coalition = current_coalition()
    return zoneinfo.ZoneInfo(coalition.time_zone if coalition else settings.TIME_ZONE)


def add_business_days(
    start: datetime.datetime, days: int, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """``days`` weekdays after ``start``, at the same local time; Saturdays and Sundays are
    skipped in the coalition's time zone."""
    local = start.astimezone(zone)
    day = local.date()
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    moved = datetime.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
    return moved.astimezone(datetime.UTC)


def respond_by(urgency: str, sent_at: datetime.datetime) -> datetime.datetime:
    """When the receiving agency must answer: emergency in hours, the rest in business
    days (settings ``REFERRAL_*_RESPONSE_*``)."""
    if urgency == Urgency.EMERGENCY:
        return sent_at + datetime.timedelta(hours=settings.REFERRAL_EMERGENCY_RESPONSE_HOURS)
    days = (
        settings.REFERRAL_URGENT_RESPONSE_BUSINESS_DAYS
        if urgency == Urgency.URGENT
        else settings.REFERRAL_ROUTINE_RESPONSE_BUSINESS_DAYS
    )
    return add_business_days(sent_at, days, coalition_zone())
