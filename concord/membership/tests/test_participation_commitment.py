"""The commitment an accepted application records is the one the participation page checks."""

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.meetings.models import Attendance, Meeting
from concord.meetings.queries_participation import Commitment, commitment_of, participation
from concord.membership.models import MembershipTerm
from concord.membership.services import review
from concord.membership.tests.factories import ApplicationFactory

Capture = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db


def term_for(agency: Agency, ends_in_days: int, meetings: int, committees: int) -> MembershipTerm:
    today = timezone.localdate()
    return MembershipTerm.objects.create(
        agency=agency,
        starts_on=today + datetime.timedelta(days=ends_in_days - 364),
        ends_on=today + datetime.timedelta(days=ends_in_days),
        coalition_meetings=meetings,
        committees=committees,
    )


@pytest.fixture
def held(representative: User) -> list[Meeting]:
    """Three coalition meetings this year; agency A's primary representative came to two."""
    meetings = []
    for days_ago in (250, 160, 70):
        start = timezone.now() - datetime.timedelta(days=days_ago)
        meetings.append(
            Meeting.objects.create(
                title="Coalition meeting",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )
        )
    for meeting in meetings[:2]:
        Attendance.objects.create(
            meeting=meeting, person=representative, status=Attendance.Status.PRESENT
        )
    return meetings


def test_an_agency_without_a_term_is_held_to_the_default_commitment(
    agency_a: Agency, held: list[Meeting]
) -> None:
    row = participation().get(pk=agency_a.pk)

    assert commitment_of(agency_a) == Commitment(coalition_meetings=3, committees=1)
    assert (row.coalition_attended, row.coalition_expected) == (2, 3)
    assert row.below_commitment is True


def test_the_latest_terms_figures_are_the_commitment(agency_a: Agency, held: list[Meeting]) -> None:
    term_for(agency_a, ends_in_days=-300, meetings=4, committees=3)
    term_for(agency_a, ends_in_days=60, meetings=2, committees=0)

    row = participation().get(pk=agency_a.pk)

    assert commitment_of(agency_a) == Commitment(coalition_meetings=2, committees=0)
    assert commitment_of(row) == Commitment(coalition_meetings=2, committees=0)
    assert (row.coalition_expected, row.committed_committees) == (2, 0)
    assert row.below_commitment is False


def test_accepting_an_application_records_the_commitment_the_page_checks(
    coordinator: User, coordinator_client: Client, held: list[Meeting]
) -> None:
    application = ApplicationFactory(legal_name="Bay Shelter", hours_per_month=7)

    review.accept_application(actor=coordinator, application=application)

    application.refresh_from_db()
    agency = application.agency
    assert agency is not None
    term = agency.membership_terms.get()
    assert (term.coalition_meetings, term.committees, term.hours_per_month) == (3, 1, 7)
    row = participation().get(pk=agency.pk)
    assert (row.coalition_attended, row.coalition_expected, row.below_commitment) == (0, 3, True)
    page = coordinator_client.get(reverse("meetings:participation-list")).content.decode()
    assert "Bay Shelter" in page
    assert "Expected: coalition meetings 3, committees 1" in page


def test_the_participation_page_shows_a_terms_lower_commitment(
    coordinator_client: Client, agency_a: Agency, held: list[Meeting]
) -> None:
    term_for(agency_a, ends_in_days=60, meetings=1, committees=0)

    page = coordinator_client.get(reverse("meetings:participation-list")).content.decode()

    assert "Expected: coalition meetings 1, committees 0" in page
