"""What a meeting produces: its agenda, minutes, motions and action items."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.meetings.models import (
    ActionItem,
    AgendaItem,
    Committee,
    Meeting,
    Minutes,
    Motion,
)

AGENDA_FIELDS = ("title", "presenter", "minutes_allotted", "document_url")
MOTION_FIELDS = ("text", "yes", "no", "abstain", "result")
ACTION_STATUS_TRANSITIONS: dict[str, set[str]] = {
    ActionItem.Status.OPEN: {ActionItem.Status.DONE, ActionItem.Status.DROPPED},
    ActionItem.Status.DONE: {ActionItem.Status.OPEN},
    ActionItem.Status.DROPPED: {ActionItem.Status.OPEN},
}


def _locked_meeting(meeting: Meeting) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=meeting.pk)
    )
    if meeting.committee is not None and meeting.committee.is_archived:
        raise ValidationError(
            _("This committee is archived and its meetings can no longer be changed."),
            code="archived",
        )
    return meeting


# Agendas


@transaction.atomic
def add_agenda_item(*, actor: User, meeting: Meeting, values: Mapping[str, Any]) -> AgendaItem:
    meeting = _locked_meeting(meeting)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=last + 1,
        **{field: values[field] for field in AGENDA_FIELDS if field in values},
    )
    item.full_clean()
    item.save()
    record_event(actor=actor, action="concord.agenda_item.added", target=item)
    return item


@transaction.atomic
def update_agenda_item(*, actor: User, item: AgendaItem, values: Mapping[str, Any]) -> AgendaItem:
    _locked_meeting(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    changed = [f for f in AGENDA_FIELDS if f in values and getattr(item, f) != values[f]]
    if not changed:
        return item
    for field in changed:
        setattr(item, field, values[field])
    item.full_clean()
    item.save(update_fields=changed)
    record_event(
        actor=actor, action="concord.agenda_item.updated", target=item, data={"fields": changed}
    )
    return item


def _renumber(items: QuerySet[AgendaItem]) -> None:
    """Give the items positions 1, 2, 3... in their current order, in two steps so the
    unique (meeting, position) constraint never sees two rows at once on one position."""
    ordered = list(items.order_by("position"))
    offset = len(ordered) + 1000
    items.update(position=F("position") + offset)
    for index, item in enumerate(ordered, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=index)


@transaction.atomic
def remove_agenda_item(*, actor: User, item: AgendaItem) -> None:
    meeting = _locked_meeting(item.meeting)
    record_event(actor=actor, action="concord.agenda_item.removed", target=item)
    item.delete()
    _renumber(meeting.agenda_items.all())


@transaction.atomic
def move_agenda_item(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap an item with its neighbour above ("up") or below ("down"); at an end, nothing."""
    meeting = _locked_meeting(item.meeting)
    if direction not in {"up", "down"}:
        raise ValidationError(_("Choose up or down."), code="direction")
    item = AgendaItem.objects.get(pk=item.pk)
    neighbours = meeting.agenda_items.exclude(pk=item.pk)
    neighbour = (
        neighbours.filter(position__lt=item.position).order_by("-position").first()
        if direction == "up"
        else neighbours.filter(position__gt=item.position).order_by("position").first()
    )
    if neighbour is None:
        return item
    mine, theirs = item.position, neighbour.position
    AgendaItem.objects.filter(pk=item.pk).update(position=0)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.position = theirs
    record_event(actor=actor, action="concord.agenda_item.moved", target=item)
    return item


@transaction.atomic
def publish_agenda(*, actor: User, meeting: Meeting) -> Meeting:
    """Publish the agenda and email the invitees; each person is emailed once, however
    often it is published."""
    from concord.meetings.tasks_records import send_agenda_published

    meeting = _locked_meeting(meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."), code="cancelled")
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Add at least one item before publishing."), code="empty")
    if meeting.agenda_published_at is None:
        meeting.agenda_published_at = timezone.now()
        meeting.save(update_fields=["agenda_published_at", "updated_at"])
    record_event(actor=actor, action="concord.agenda.published", target=meeting)
    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_agenda_published.enqueue(meeting_id))
    return meeting


# Minutes and motions


@transaction.atomic
def save_minutes(*, actor: User, meeting: Meeting, text: str) -> Minutes:
    """Draft or redraft the minutes, once the meeting has started; approved ones are final."""
    meeting = _locked_meeting(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Minutes can be written once the meeting has started."), code="too_early"
        )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes(meeting=meeting, text=text)
        minutes.full_clean()
        minutes.save()
        record_event(actor=actor, action="concord.minutes.drafted", target=minutes)
        return minutes
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(_("These minutes are approved and final."), code="approved")
    if minutes.text != text:
        minutes.text = text
        minutes.full_clean()
        minutes.save(update_fields=["text", "updated_at"])
        record_event(actor=actor, action="concord.minutes.updated", target=minutes)
    return minutes


def approving_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """The later meetings that may approve a meeting's minutes: same series, or same
    committee (for coalition meetings: other coalition meetings), not cancelled."""
    later = Meeting.objects.filter(starts_at__gt=meeting.starts_at).exclude(status="cancelled")
    if meeting.series_id is not None:
        return later.filter(series_id=meeting.series_id)
    if meeting.committee_id is not None:
        return later.filter(committee_id=meeting.committee_id)
    return later.filter(committee__isnull=True)


@transaction.atomic
def approve_minutes(*, actor: User, meeting: Meeting, approved_at: Meeting) -> Minutes:
    """Record that the minutes of ``meeting`` were approved at the later ``approved_at``."""
    meeting = _locked_meeting(meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise ValidationError(_("There are no minutes to approve yet."), code="no_minutes")
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(_("These minutes are already approved."), code="approved")
    if not approving_meetings(meeting).filter(pk=approved_at.pk).exists():
        raise ValidationError(
            {"approved_at_meeting": _("Choose a later meeting of the same series or committee.")},
            code="not_later",
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at_meeting = approved_at
    minutes.save(update_fields=["status", "approved_at_meeting", "updated_at"])
    record_event(actor=actor, action="concord.minutes.approved", target=minutes)
    return minutes


@transaction.atomic
def record_motion(*, actor: User, meeting: Meeting, values: Mapping[str, Any]) -> Motion:
    meeting = _locked_meeting(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            _("Motions can be recorded once the meeting has started."), code="too_early"
        )
    motion = Motion(meeting=meeting, **{f: values[f] for f in MOTION_FIELDS if f in values})
    for field in ("yes", "no", "abstain"):
        if getattr(motion, field) is None or getattr(motion, field) < 0:
            raise ValidationError({field: _("Enter a whole number, 0 or more.")})
    motion.full_clean()
    motion.save()
    record_event(actor=actor, action="concord.motion.recorded", target=motion)
    return motion


# Action items


@transaction.atomic
def create_action_item(
    *,
    actor: User,
    values: Mapping[str, Any],
    meeting: Meeting | None = None,
    committee: Committee | None = None,
) -> ActionItem:
    """An action item from a meeting (it takes the meeting's committee) or a committee."""
    if meeting is not None:
        meeting = _locked_meeting(meeting)
        committee = meeting.committee
    elif committee is not None and committee.is_archived:
        raise ValidationError(_("This committee is archived."), code="archived")
    owner = values["owner"]
    if not owner.is_active:
        raise ValidationError({"owner": _("Choose an active person.")})
    item = ActionItem(
        meeting=meeting,
        committee=committee,
        title=values["title"],
        owner=owner,
        due_on=values["due_on"],
    )
    item.full_clean()
    item.save()
    record_event(actor=actor, action="concord.action_item.created", target=item)
    return item


@transaction.atomic
def change_action_item_status(*, actor: User, item: ActionItem, status: str) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if status not in ACTION_STATUS_TRANSITIONS.get(item.status, set()):
        raise ValidationError(
            _("An action item cannot go from %(old)s to %(new)s.")
            % {
                "old": item.get_status_display(),
                "new": dict(ActionItem.Status.choices).get(status, status),
            },
            code="invalid_transition",
        )
    item.status = status
    item.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
    item.save(update_fields=["status", "completed_at"])
    record_event(
        actor=actor, action="concord.action_item.status_changed", target=item, data={"to": status}
    )
    return item


def action_items_due(on: datetime.date) -> QuerySet[ActionItem]:
    """Open action items due on a given day, with their owners, for the reminder task."""
    return (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on=on, owner__is_active=True)
        .select_related("owner", "committee", "meeting")
        .order_by("owner_id", "pk")
    )
