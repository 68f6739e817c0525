"""Known data for the reports' tests: a small coalition with one of everything counted."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, AgencyStatus, Sector
from concord.agencies.tests.factories import AgencyFactory
from concord.meetings.models import ActionItem, Attendance, Committee, CommitteeKind, Meeting


def days_ago(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def coalition_meeting_on(days: int, present: list[User]) -> Meeting:
    meeting = Meeting.objects.create(
        title="Coalition meeting", starts_at=days_ago(days), ends_at=days_ago(days, 10)
    )
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, person=person, status=Attendance.Status.PRESENT)
            for person in present
        ]
    )
    return meeting


def attend_training(sector: str, people: int) -> None:
    from concord.trainings.tests.factories import PastSessionFactory, SeatFactory

    session = PastSessionFactory(training__title=f"Training for {sector}")
    for _number in range(people):
        SeatFactory(session=session, sector=sector, attended=True)


@dataclass
class Coalition:
    agencies: list[Agency]
    people: list[User]
    lapsed: Agency


@pytest.fixture
def known(db: None) -> Coalition:
    """Three active agencies (two in victim services, one in law enforcement) and a lapsed
    one; two coalition meetings held (2 then 3 people present), an overdue action item, a
    sub-committee ending in 20 days."""
    agencies = [
        AgencyFactory(name="Harbor Services", sector=Sector.VICTIM_SERVICES),
        AgencyFactory(name="Bay Shelter", sector=Sector.VICTIM_SERVICES),
        AgencyFactory(name="County Sheriff", sector=Sector.LAW_ENFORCEMENT),
    ]
    lapsed = AgencyFactory(
        name="Old Friends", sector=Sector.FAITH_BASED, status=AgencyStatus.LAPSED
    )
    people = [UserFactory(agency=agency) for agency in agencies]
    coalition_meeting_on(100, people[:2])
    coalition_meeting_on(10, people)
    ActionItem.objects.create(
        title="Draft the protocol",
        owner=people[0],
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    Committee.objects.create(
        name="Awareness Month planning",
        kind=CommitteeKind.SUBCOMMITTEE,
        sunset_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    return Coalition(agencies, people, lapsed)


def rows_of(table: Any) -> list[list[Any]]:
    return [list(row) for row in table.rows]
