"""Meeting and committee fixtures shared by app tests and the sweeps.

The sweeps' personas map onto committee roles: the representative chairs ``committee``,
the member belongs to it without a role, and the outsider is not in it.
"""

import datetime
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.meetings.models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeMembership,
    CommitteeRole,
    Meeting,
    MeetingSeries,
    MembershipStatus,
)

if TYPE_CHECKING:
    from concord.directory.models import ImportRun, ListingChange, Location, Service
    from concord.membership.models import Application, DecisionTemplate, Reviewer
    from concord.referrals.models import Referral


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


@pytest.fixture
def committee_meeting_checking_in(committee: Committee) -> Meeting:
    """A meeting of ``committee`` under way, with self check-in open (attendance, issue 3)."""
    now = timezone.now()
    return Meeting.objects.create(
        committee=committee,
        title="Committee A meeting under way",
        starts_at=now - datetime.timedelta(minutes=20),
        ends_at=now + datetime.timedelta(minutes=70),
        check_in_token="sweep-check-in-token-0123456789abcdef",
    )


# Committees and meeting records (issue 3, "com").


@pytest.fixture
def agenda_item(committee_meeting: Meeting) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=committee_meeting, position=1, title="Welcome", presenter="Chair"
    )


@pytest.fixture
def action_item(committee: Committee, member: User) -> ActionItem:
    """An open action item of ``committee``, owned by the member."""
    return ActionItem.objects.create(
        committee=committee,
        title="Send the training calendar",
        owner=member,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )


@pytest.fixture
def join_request(committee: Committee, agency_b: Agency) -> CommitteeMembership:
    """Someone of agency B asked to join ``committee``."""
    person = UserFactory(email="asks-b@example.org", full_name="Ana B", agency=agency_b)
    return CommitteeMembership.objects.create(committee=committee, person=person)


# Scheduling (issue 3, "sch").


@pytest.fixture
def committee_series(committee: Committee) -> MeetingSeries:
    """A monthly series of ``committee``, on the second Wednesday, without meetings yet."""
    return MeetingSeries.objects.create(
        committee=committee,
        title="Committee A monthly",
        rule="FREQ=MONTHLY;BYDAY=2WE",
        starts_on=timezone.localdate(),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 0),
        online_url="https://meet.example.org/committee-a-series-room",
    )


@pytest.fixture
def application(db: None) -> "Application":
    """A complete membership application waiting in the review queue."""
    from concord.membership.tests.factories import ApplicationFactory

    return ApplicationFactory()


@pytest.fixture
def application_reviewer(db: None) -> "Reviewer":
    """Someone a coordinator added to review membership applications (issue 4)."""
    from concord.membership.models import Reviewer

    return Reviewer.objects.create(person=UserFactory(email="reviewer@example.org"))


@pytest.fixture
def decision_template(db: None) -> "DecisionTemplate":
    """One of the decision emails the data migration writes (issue 4). Transactional
    tests (the browser's) flush migration data, so it is written again if missing."""
    from concord.membership.emails import DEFAULTS
    from concord.membership.models import DecisionTemplate

    subject, body = DEFAULTS[("accepted", "en")]
    template, _created = DecisionTemplate.objects.get_or_create(
        kind="accepted", language="en", defaults={"subject": subject, "body": body}
    )
    return template


# The service directory (issue 5).


@pytest.fixture
def partners_service(db: None) -> "Service":
    """A partners-only service at a confidential shelter: hidden from anonymous visitors."""
    from concord.directory.tests.factories import AddressFactory, ServiceAtLocationFactory

    link = ServiceAtLocationFactory(
        service__name="Partners-only shelter line",
        service__visibility="partners",
        location__is_confidential=True,
    )
    AddressFactory(location=link.location, address_1="77 Sweep Hidden Way", city="Antioch")
    return link.service


@pytest.fixture
def public_service(db: None) -> "Service":
    from concord.directory.tests.factories import full_service

    return full_service(name="Public advocacy line")


# Directory editing (issue 5): agency A runs an organization with one listing.


@pytest.fixture
def agency_listing(agency_a: Agency) -> "Service":
    from concord.directory.tests.factories import ServiceFactory

    return ServiceFactory(name="Agency A advocacy line", organization__agency=agency_a)


@pytest.fixture
def listing_change(agency_listing: "Service", representative: User) -> "ListingChange":
    from concord.directory.services.listings import current_values, propose_change

    values = {**current_values(agency_listing), "name": "Agency A advocacy line, renamed"}
    return propose_change(
        actor=representative,
        organization=agency_listing.organization,
        service=agency_listing,
        values=values,
    )


@pytest.fixture
def agency_location(agency_listing: "Service") -> "Location":
    """Agency A's shelter: a confidential location with a street address."""
    from concord.directory.models import ServiceAtLocation
    from concord.directory.tests.factories import AddressFactory, LocationFactory

    location = LocationFactory(
        name="Agency A shelter", organization=agency_listing.organization, is_confidential=True
    )
    AddressFactory(location=location, address_1="77 Hidden Lane", city="Concord")
    ServiceAtLocation.objects.create(service=agency_listing, location=location)
    return location


# Directory imports by upload (issue 5): a coordinator's finished import.


@pytest.fixture
def import_run(coordinator: User) -> "ImportRun":
    from concord.directory.models import ImportFormat, ImportPhase, ImportRun, ImportStatus

    return ImportRun.objects.create(
        uploaded_by=coordinator,
        file_name="services.json",
        file_format=ImportFormat.JSON,
        stored_name="0" * 32 + ".json",
        status=ImportStatus.SUCCEEDED,
        phase=ImportPhase.DONE,
        started=timezone.now(),
        finished=timezone.now(),
        counts={"service": {"created": 1, "updated": 0, "unchanged": 0}},
    )


# Secure referrals (issue 6): agency A's handler refers to a service of agency B, whose
# handler receives. The sweeps' personas hold no referral role.


@pytest.fixture
def referral_handler(agency_a: Agency) -> User:
    return UserFactory(email="handler-a@example.org", agency=agency_a, handles_referrals=True)


@pytest.fixture
def receiving_handler(agency_b: Agency) -> User:
    return UserFactory(email="handler-b@example.org", agency=agency_b, handles_referrals=True)


@pytest.fixture
def referral_service(agency_b: Agency) -> "Service":
    from concord.referrals.tests.factories import service_of

    return service_of(agency_b, name="Agency B shelter intake")  # type: ignore[return-value]


@pytest.fixture
def draft_referral(referral_handler: User, referral_service: "Service") -> "Referral":
    """A needs-only draft: no client information, so no consent."""
    from concord.referrals.services.referrals import create_draft

    return create_draft(
        actor=referral_handler,
        service=referral_service,
        values={"urgency": "urgent", "referrer_contact": "Ask for the intake desk."},
    )


@pytest.fixture
def sent_referral(referral_handler: User, referral_service: "Service") -> "Referral":
    """Sent from A to B under a valid consent covering the three usual client fields."""
    from concord.referrals.services.referrals import create_draft, send_referral
    from concord.referrals.tests.factories import ConsentFactory

    consent = ConsentFactory(
        sending_agency=referral_handler.agency,
        receiving_agency=referral_service.organization.agency,
        created_by=referral_handler,
        shared_fields=["client_label", "safe_contact", "safety_notes"],
    )
    referral = create_draft(
        actor=referral_handler,
        service=referral_service,
        values={
            "urgency": "routine",
            "referrer_contact": "Ask for the intake desk.",
            "client_label": "A.R.",
            "safe_contact": "Phone only, weekdays 2 to 4 pm, no voicemail.",
            "safety_notes": "Do not call the home number.",
        },
        consent=consent,
    )
    return send_referral(actor=referral_handler, referral=referral)
