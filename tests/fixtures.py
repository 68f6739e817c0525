"""Meeting and committee fixtures shared by app tests and the sweeps.

The sweeps' personas map onto committee roles: the representative chairs ``committee``,
the member belongs to it without a role, and the outsider is not in it.
"""

import datetime

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import (
    Committee,
    CommitteeMembership,
    CommitteeRole,
    Meeting,
    MembershipStatus,
)


@pytest.fixture
def committee(representative: User, member: User) -> Committee:
    committee = Committee.objects.create(name="Committee A", purpose="Training partners.")
    CommitteeMembership.objects.create(
        committee=committee,
        person=representative,
        role=CommitteeRole.CHAIR,
        status=MembershipStatus.ACTIVE,
    )
    CommitteeMembership.objects.create(
        committee=committee,
        person=member,
        role=CommitteeRole.MEMBER,
        status=MembershipStatus.ACTIVE,
    )
    return committee


def _next_week(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def coalition_meeting(db: None) -> Meeting:
    return Meeting.objects.create(
        title="Coalition meeting",
        starts_at=_next_week(9),
        ends_at=_next_week(10),
        location="1025 Escobar St, Martinez",
        online_url="https://meet.example.org/coalition-secret-room",
    )


@pytest.fixture
def committee_meeting(committee: Committee) -> Meeting:
    return Meeting.objects.create(
        committee=committee,
        title="Committee A meeting",
        starts_at=_next_week(13),
        ends_at=_next_week(14),
        online_url="https://meet.example.org/committee-a-secret-room",
    )
