import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.assistance.models import RequestStatus, TimeEntry, Topic
from concord.assistance.queries import assistance_figures, requests_in_reach
from concord.assistance.tests.factories import AssistanceRequestFactory

pytestmark = pytest.mark.django_db
ZONE = timezone.get_current_timezone()


def at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2027, 3, day, hour, tzinfo=ZONE)


def test_figures_count_by_status_and_topic_hours_and_median_days(member: User) -> None:
    done_fast = AssistanceRequestFactory(
        topic=Topic.YOUTH,
        status=RequestStatus.COMPLETED,
        assigned_expert=member,
        confirmed_at=at(1),
        closed_at=at(3),
    )
    AssistanceRequestFactory(
        topic=Topic.YOUTH,
        status=RequestStatus.COMPLETED,
        assigned_expert=member,
        confirmed_at=at(2),
        closed_at=at(8),
    )
    AssistanceRequestFactory(topic=Topic.PROTOCOLS, confirmed_at=at(5))
    AssistanceRequestFactory(topic=Topic.PROTOCOLS, confirmed_at=at(20))  # after the range
    AssistanceRequestFactory(topic=Topic.PROTOCOLS, confirmed_at=None)  # never confirmed
    for day, hours in ((2, "1.5"), (9, "2"), (20, "8")):
        TimeEntry.objects.create(
            request=done_fast,
            expert=member,
            date=datetime.date(2027, 3, day),
            hours=Decimal(hours),
        )

    figures = assistance_figures(at(1, 0), at(10, 0))

    assert figures["total"] == 3
    assert figures["by_status"] == {"completed": 2, "new": 1}
    assert figures["by_topic"] == {"protocols": 1, "youth": 2}
    assert figures["hours"] == Decimal("3.5")
    assert figures["completed"] == 2
    assert figures["median_days_to_complete"] == 4.0


def test_figures_of_an_empty_range() -> None:
    figures = assistance_figures(at(1, 0), at(2, 0))

    assert figures == {
        "total": 0,
        "by_status": {},
        "by_topic": {},
        "hours": Decimal(0),
        "completed": 0,
        "median_days_to_complete": None,
    }


def test_requests_in_reach(coordinator: User, member: User, outsider: User) -> None:
    mine = AssistanceRequestFactory(status=RequestStatus.ASSIGNED, assigned_expert=member)
    unconfirmed = AssistanceRequestFactory(confirmed_at=None)

    assert list(requests_in_reach(member)) == [mine]
    assert list(requests_in_reach(outsider)) == []
    assert unconfirmed not in requests_in_reach(coordinator)


def test_the_figures_csv_is_for_coordinators_and_neutralises_formulas(
    coordinator_client: Client, member_client: Client
) -> None:
    AssistanceRequestFactory(topic=Topic.DATA)
    today = timezone.localdate().isoformat()

    response = coordinator_client.get(
        reverse("assistance:figures-export"), {"start": today, "end": today}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().splitlines()
    assert "Requests by topic,Data and evaluation,1" in rows
    assert "Totals,Requests received,1" in rows
    assert all(not row.startswith(("=", "+", "-", "@")) for row in rows)
    assert member_client.get(reverse("assistance:figures-export")).status_code == 403


def test_the_figures_page_refuses_a_range_that_ends_before_it_starts(
    coordinator_client: Client,
) -> None:
    response = coordinator_client.get(
        reverse("assistance:figures"), {"start": "2027-03-10", "end": "2027-03-01"}
    )

    assert response.status_code == 400
    assert "The end of the range comes before its start." in response.content.decode()
