import datetime

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, Sector
from concord.agencies.tests.factories import AgencyFactory
from concord.membership.models import Application, ApplicationKind, ApplicationStatus
from concord.membership.queries import (
    applications_visible_to,
    due_soon,
    figures,
    linkable_agencies,
    possible_duplicates,
    review_queue,
)
from concord.membership.services.review import add_reviewer
from concord.membership.tests.factories import ApplicationFactory, DraftFactory


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_review_queue_lists_undecided_applications_soonest_first(db: None) -> None:
    later = ApplicationFactory(decide_by=_in_days(20))
    sooner = ApplicationFactory(decide_by=_in_days(3), status=ApplicationStatus.INFO_REQUESTED)
    ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    DraftFactory()

    queue = list(review_queue())

    assert queue == [sooner, later]
    assert [a.due_soon for a in queue] == [True, False]


def test_review_queue_filters_by_status(db: None) -> None:
    accepted = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    ApplicationFactory()

    assert list(review_queue(status=ApplicationStatus.ACCEPTED)) == [accepted]


def test_review_queue_flags_the_same_name_as_an_agency_or_open_application(
    agency_a: Agency,
) -> None:
    like_agency = ApplicationFactory(legal_name="agency a")
    first = ApplicationFactory(legal_name="Twin House")
    second = ApplicationFactory(legal_name="TWIN HOUSE")
    alone = ApplicationFactory(legal_name="Only One")
    renewal = ApplicationFactory(
        kind=ApplicationKind.RENEWAL, agency=agency_a, legal_name="Agency A"
    )

    flags = {a.pk: a.same_name for a in review_queue()}

    assert flags == {
        like_agency.pk: True,
        first.pk: True,
        second.pk: True,
        alone.pk: False,
        renewal.pk: False,
    }


def test_due_soon_is_undecided_within_a_week(db: None) -> None:
    soon = ApplicationFactory(decide_by=_in_days(7))
    ApplicationFactory(decide_by=_in_days(8))
    ApplicationFactory(decide_by=_in_days(1), status=ApplicationStatus.DECLINED)

    assert list(due_soon()) == [soon]


def test_possible_duplicates_name_agencies_applications_and_shared_domains(
    agency_a: Agency, representative: User
) -> None:
    other = ApplicationFactory(legal_name="Agency A", contact_email="x@elsewhere.org")
    application = ApplicationFactory(
        legal_name="AGENCY A", contact_email="me@example.org", email_domains="example.org"
    )

    duplicates = possible_duplicates(application)

    assert duplicates.agencies == [agency_a]
    assert duplicates.applications == [other]
    assert duplicates.domains == ["example.org"]  # the representative's rep-a@example.org
    assert bool(duplicates)


def test_possible_duplicates_ignore_public_email_domains(db: None) -> None:
    member_agency = AgencyFactory()
    UserFactory(email="someone@gmail.com", agency=member_agency)
    ApplicationFactory(email_domains="gmail.com")
    application = ApplicationFactory(email_domains="gmail.com")

    duplicates = possible_duplicates(application)

    assert (duplicates.agencies, duplicates.applications, duplicates.domains) == ([], [], [])
    assert not duplicates


def test_possible_duplicates_match_whole_domains_only(db: None) -> None:
    same = ApplicationFactory(email_domains="a.org shelter.example")
    ApplicationFactory(email_domains="data.org")
    application = ApplicationFactory(email_domains="a.org")

    assert possible_duplicates(application).applications == [same]


def test_possible_duplicates_of_an_erased_application_are_none(db: None) -> None:
    application = ApplicationFactory(erased_at=timezone.now())

    assert not possible_duplicates(application)


def test_applications_visible_to_reviewers_and_coordinators_only(
    coordinator: User, member: User, outsider: User
) -> None:
    application = ApplicationFactory()
    DraftFactory()
    add_reviewer(actor=coordinator, person=member)

    assert list(applications_visible_to(coordinator)) == [application]
    assert list(applications_visible_to(member)) == [application]
    assert list(applications_visible_to(outsider)) == []


def test_linkable_agencies_are_same_name_agencies_of_new_applications(agency_a: Agency) -> None:
    AgencyFactory(name="Agency B")
    new = ApplicationFactory(legal_name="agency a")
    renewal = ApplicationFactory(
        kind=ApplicationKind.RENEWAL, agency=agency_a, legal_name="Agency A"
    )

    assert list(linkable_agencies(new)) == [agency_a]
    assert list(linkable_agencies(renewal)) == []


def _decided(sector: str, status: str, days: float, confirmed: datetime.datetime) -> Application:
    return ApplicationFactory(
        sector=sector,
        status=status,
        confirmed_at=confirmed,
        decided_at=confirmed + datetime.timedelta(days=days),
    )


def test_figures_count_sectors_acceptance_and_days_to_decision(db: None) -> None:
    confirmed = timezone.now() - datetime.timedelta(days=60)
    _decided(Sector.VICTIM_SERVICES, ApplicationStatus.ACCEPTED, 10, confirmed)
    _decided(Sector.VICTIM_SERVICES, ApplicationStatus.DECLINED, 20, confirmed)
    _decided(Sector.LAW_ENFORCEMENT, ApplicationStatus.ACCEPTED, 30, confirmed)
    _decided(Sector.LAW_ENFORCEMENT, ApplicationStatus.ACCEPTED, 40, confirmed)
    ApplicationFactory(sector=Sector.VICTIM_SERVICES)  # in review
    DraftFactory(sector=Sector.HEALTH_CARE)  # never confirmed: not counted

    numbers = figures()

    labels = dict(Sector.choices)
    assert numbers.by_sector == [
        (str(labels[Sector.VICTIM_SERVICES]), 3, 1),
        (str(labels[Sector.LAW_ENFORCEMENT]), 2, 2),
    ]
    assert (numbers.decided, numbers.accepted, numbers.acceptance_rate) == (4, 3, 0.75)
    assert numbers.median_days_to_decision == pytest.approx(25)
    assert numbers.mean_days_to_decision == pytest.approx(25)


def test_figures_without_decisions_have_no_rate(db: None) -> None:
    numbers = figures()

    assert (numbers.decided, numbers.acceptance_rate, numbers.median_days_to_decision) == (
        0,
        None,
        None,
    )
