import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import AgencyStatus
from concord.core.permissions import chaired_committee_ids, is_active_user, is_coordinator
from concord.meetings.models import (
    Committee,
    CommitteeMembership,
    CommitteeStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MembershipStatus,
)


def committee_ids_of(user: Any) -> list[int]:
    if not is_active_user(user):
        return []
    return list(
        CommitteeMembership.objects.filter(person=user, status=MembershipStatus.ACTIVE).values_list(
            "committee_id", flat=True
        )
    )


def meetings_visible_to(user: object) -> QuerySet[Meeting]:
    """Anyone sees coalition meetings; signed-in members also see every committee's
    meetings (committees are open to members); coordinators see all."""
    meetings = Meeting.objects.select_related("committee", "series")
    if is_active_user(user):
        return meetings
    return meetings.filter(committee__isnull=True)


def calendar_meetings(
    user: object, *, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Meeting]:
    """The meetings a person's calendar shows: the coalition's, and their committees'."""
    meetings = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related(
        "committee"
    )
    if is_coordinator(user):
        return meetings.filter(
            Q(committee__isnull=True) | Q(committee__status=CommitteeStatus.ACTIVE)
        )
    return meetings.filter(Q(committee__isnull=True) | Q(committee_id__in=committee_ids_of(user)))


def invitees(meeting: Meeting) -> QuerySet[User]:
    """Who is invited: everyone in an active member agency and the coordinators for a
    coalition meeting; the committee's active members for a committee meeting."""
    people = User.objects.filter(is_active=True).select_related("agency")
    if meeting.committee_id is None:
        return people.filter(Q(agency__status=AgencyStatus.ACTIVE) | Q(is_staff=True))
    return people.filter(
        committee_memberships__committee_id=meeting.committee_id,
        committee_memberships__status=MembershipStatus.ACTIVE,
    )


def committees_visible_to(user: object) -> QuerySet[Committee]:
    if is_active_user(user):
        return Committee.objects.all()
    return Committee.objects.none()


def series_visible_to(user: object) -> QuerySet[MeetingSeries]:
    """Series are no secret to members (committees are open to them); managing one is
    a question for can_manage_series."""
    series = MeetingSeries.objects.select_related("committee")
    if is_active_user(user):
        return series
    return series.none()


def series_managed_by(user: object) -> QuerySet[MeetingSeries]:
    """The series a person may change: all for coordinators, their committees' for chairs."""
    series = MeetingSeries.objects.select_related("committee")
    if is_coordinator(user):
        return series
    return series.filter(committee_id__in=chaired_committee_ids(user))


def committees_scheduled_by(user: object) -> QuerySet[Committee]:
    """The active committees whose meetings a person may add: their chaired ones."""
    committees = Committee.objects.filter(status=CommitteeStatus.ACTIVE)
    if is_coordinator(user):
        return committees
    return committees.filter(pk__in=chaired_committee_ids(user))


def next_coalition_meetings(*, count: int = 1) -> list[Meeting] | None:
    """The next coalition meetings that will take place (moves and cancellations
    included); None when the coalition has no meetings on record at all."""
    upcoming = list(
        Meeting.objects.filter(
            committee__isnull=True, ends_at__gt=timezone.now(), status=MeetingStatus.SCHEDULED
        ).order_by("starts_at")[:count]
    )
    if upcoming or Meeting.objects.filter(committee__isnull=True).exists():
        return upcoming
    return None
