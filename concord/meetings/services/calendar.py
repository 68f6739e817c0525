"""Answers to meeting invitations and private calendar feeds."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core.permissions import can_answer_rsvp
from concord.meetings.models import CalendarFeed, Meeting, Rsvp


@transaction.atomic
def answer_rsvp(*, actor: User, meeting: Meeting, answer: str) -> Rsvp:
    """Record the invitee's yes, no or maybe; a second answer replaces the first."""
    if not can_answer_rsvp(actor, meeting):
        raise PermissionDenied
    if answer not in Rsvp.Answer.values:
        raise ValidationError({"answer": _("Choose yes, no or maybe.")})
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.ends_at <= timezone.now():
        raise ValidationError(_("This meeting is over."))
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=meeting, person=actor, defaults={"answer": answer}
    )
    record_event(actor=actor, action="concord.meeting.rsvp_answered", target=meeting)
    return rsvp


def live_feed(person: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).first()


@transaction.atomic
def create_feed(*, actor: User) -> CalendarFeed:
    """The person's private feed: the live one if there is one, else a new secret URL."""
    # Lock the person's row so two simultaneous first POSTs make one feed.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if feed := live_feed(actor):
        return feed
    feed = CalendarFeed.objects.create(person=actor, token=secrets.token_urlsafe(32))
    record_event(actor=actor, action="concord.calendar_feed.created", target=feed)
    return feed


@transaction.atomic
def revoke_feed(*, actor: User) -> None:
    """End the person's private feed: its URL answers 404 from now on."""
    feed = CalendarFeed.objects.select_for_update().filter(person=actor, revoked_at__isnull=True)
    for row in feed:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="concord.calendar_feed.revoked", target=row)


@transaction.atomic
def replace_feed(*, actor: User) -> CalendarFeed:
    """A new secret URL; the old one stops working."""
    revoke_feed(actor=actor)
    return create_feed(actor=actor)
