import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.meetings.models import CalendarFeed, Meeting, Rsvp
from concord.meetings.services import calendar as services


def test_an_answer_is_recorded_once_per_person_and_audited(
    member: User, committee_meeting: Meeting
) -> None:
    services.answer_rsvp(actor=member, meeting=committee_meeting, answer="yes")
    services.answer_rsvp(actor=member, meeting=committee_meeting, answer="no")

    assert list(Rsvp.objects.values_list("meeting", "person", "answer")) == [
        (committee_meeting.pk, member.pk, "no")
    ]
    assert list(AuditEvent.objects.values_list("action", "object_id")) == [
        ("concord.meeting.rsvp_answered", str(committee_meeting.pk)),
        ("concord.meeting.rsvp_answered", str(committee_meeting.pk)),
    ]


def test_someone_not_invited_is_refused(outsider: User, committee_meeting: Meeting) -> None:
    with pytest.raises(PermissionDenied):
        services.answer_rsvp(actor=outsider, meeting=committee_meeting, answer="yes")

    assert Rsvp.objects.count() == 0


def test_a_deactivated_person_is_refused(deactivated: User, coalition_meeting: Meeting) -> None:
    with pytest.raises(PermissionDenied):
        services.answer_rsvp(actor=deactivated, meeting=coalition_meeting, answer="yes")


def test_an_unknown_answer_is_refused(member: User, committee_meeting: Meeting) -> None:
    with pytest.raises(ValidationError):
        services.answer_rsvp(actor=member, meeting=committee_meeting, answer="perhaps")

    assert Rsvp.objects.count() == 0


def test_a_meeting_that_is_over_takes_no_answers(member: User, committee_meeting: Meeting) -> None:
    committee_meeting.starts_at = timezone.now() - datetime.timedelta(hours=3)
    committee_meeting.ends_at = timezone.now() - datetime.timedelta(hours=2)
    committee_meeting.save()

    with pytest.raises(ValidationError):
        services.answer_rsvp(actor=member, meeting=committee_meeting, answer="yes")

    assert Rsvp.objects.count() == 0


def test_creating_a_feed_twice_keeps_one_live_feed(member: User) -> None:
    first = services.create_feed(actor=member)
    second = services.create_feed(actor=member)

    assert first.pk == second.pk
    assert services.live_feed(member) == first
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "concord.calendar_feed.created"
    ]


def test_replacing_a_feed_revokes_the_old_one(member: User) -> None:
    old = services.create_feed(actor=member)

    new = services.replace_feed(actor=member)

    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.revoked_at is None
    assert new.token != old.token
    assert CalendarFeed.objects.filter(person=member, revoked_at__isnull=True).get() == new


def test_revoking_without_a_feed_changes_nothing(member: User) -> None:
    services.revoke_feed(actor=member)

    assert CalendarFeed.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_feeds_of_different_people_have_different_tokens(member: User, outsider: User) -> None:
    assert services.create_feed(actor=member).token != services.create_feed(actor=outsider).token
