"""Meeting and committee fixtures shared by app tests and the sweeps.

The sweeps' personas map onto committee roles: the representative chairs ``committee``,
the member belongs to it without a role, and the outsider is not in it.
"""

import datetime
from dataclasses import dataclass
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
    from concord.assistance.models import AssistanceRequest
    from concord.awareness.models import Activity, Campaign, Material
    from concord.directory.models import ImportRun, ListingChange, Location, Service
    from concord.forum.models import Category as ForumCategory
    from concord.forum.models import Post as ForumPost
    from concord.forum.models import PostReport, Resource
    from concord.forum.models import Thread as ForumThread
    from concord.library.models import Comment as LibraryComment
    from concord.library.models import Document
    from concord.membership.models import Application, DecisionTemplate, Reviewer
    from concord.referrals.models import Referral
    from concord.trainings.models import Certificate, Registration, TrainingSession


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


# Training completion (issue 7): a session that has ended, whose trainer is the
# representative; the member attended it and holds its certificate.


@pytest.fixture
def held_training_session(representative: User, member: User) -> "TrainingSession":
    from concord.trainings.tests.factories import PastSessionFactory, SeatFactory

    session = PastSessionFactory(training__title="Trauma-informed interviewing")
    session.training.trainers.add(representative)
    SeatFactory(session=session, person=member, name=member.full_name, email=member.email)
    SeatFactory(session=session, name="Pat Public", email="pat@example.net")
    return session


@pytest.fixture
def training_certificate(held_training_session: "TrainingSession", member: User) -> "Certificate":
    from concord.trainings.services.attendance import record_attendance

    seats = held_training_session.registrations.order_by("pk")
    record_attendance(
        actor=None,
        session=held_training_session,
        attended={seat.pk: seat.person_id == member.pk for seat in seats},
        notify=False,
    )
    return seats.get(person=member).certificate


@pytest.fixture
def member_training_registration(training_certificate: "Certificate") -> "Registration":
    return training_certificate.registration


@dataclass(frozen=True)
class EvaluationLink:
    token: str


@pytest.fixture
def evaluation_link(member_training_registration: "Registration") -> EvaluationLink:
    from concord.trainings.services.evaluations import evaluation_token

    return EvaluationLink(evaluation_token(member_training_registration))


@pytest.fixture
def assistance_request(member: User) -> "AssistanceRequest":
    """A technical assistance request assigned to the member (its expert)."""
    from concord.assistance.models import RequestStatus
    from concord.assistance.tests.factories import AssistanceRequestFactory

    return AssistanceRequestFactory(
        status=RequestStatus.ASSIGNED, assigned_expert=member, assigned_at=timezone.now()
    )


# Public awareness (issue 7): members-only items, so the sweeps see the public refused.


@pytest.fixture
def awareness_members_campaign(db: None) -> "Campaign":
    from concord.awareness.tests.factories import CampaignFactory

    return CampaignFactory(title="Members-only campaign", is_public=False)


@pytest.fixture
def awareness_members_activity(db: None) -> "Activity":
    from concord.awareness.tests.factories import ActivityFactory

    return ActivityFactory(title="Members-only activity", is_public=False)


@pytest.fixture
def awareness_public_campaign(db: None) -> "Campaign":
    from concord.awareness.tests.factories import ActivityFactory, CampaignFactory

    campaign = CampaignFactory(title="Awareness Month")
    ActivityFactory(title="Awareness Day", campaign=campaign)
    return campaign


@pytest.fixture
def awareness_public_activity(awareness_public_campaign: "Campaign") -> "Activity":
    return awareness_public_campaign.activities.get()


@pytest.fixture
def awareness_members_material(db: None) -> "Material":
    from concord.awareness.tests.factories import MaterialFactory

    return MaterialFactory(title="Members-only flyer", is_public=False)


@dataclass(frozen=True)
class AssistanceLink:
    token: str


@pytest.fixture
def assistance_status_link(assistance_request: "AssistanceRequest") -> AssistanceLink:
    """The requester's signed link to follow ``assistance_request``."""
    from concord.assistance.services.links import Purpose, make_token

    return AssistanceLink(make_token(assistance_request, Purpose.STATUS))


# Training registration (issue 7): an upcoming public session whose trainer is the
# representative; the member holds a seat in it.


@pytest.fixture
def training_session(representative: User) -> "TrainingSession":
    from concord.trainings.tests.factories import SessionFactory

    session = SessionFactory(training__title="Recognizing human trafficking", capacity=10)
    session.training.trainers.add(representative)
    return session


@pytest.fixture
def training_registration(training_session: "TrainingSession", member: User) -> "Registration":
    from concord.trainings.tests.factories import RegistrationFactory

    return RegistrationFactory(
        session=training_session, person=member, name=member.full_name, email=member.email
    )


# The forum and the resource library (issue 8): ``forum_category`` belongs to ``committee``
# (the member belongs to it, the representative chairs it, the outsider is not in it);
# the member wrote ``forum_thread`` and its first post; the representative reported it.


@pytest.fixture
def forum_category(committee: Committee) -> "ForumCategory":
    from concord.forum.models import Category

    return Category.objects.create(name="Committee A forum", committee=committee)


@pytest.fixture
def forum_thread(forum_category: "ForumCategory", member: User) -> "ForumThread":
    from concord.forum.services.posts import create_thread

    return create_thread(
        actor=member,
        category=forum_category,
        title="Hotel outreach checklist",
        body="What worked for us: **short visits**.",
    )


@pytest.fixture
def forum_post(forum_thread: "ForumThread") -> "ForumPost":
    return forum_thread.posts.get()


@pytest.fixture
def forum_report(forum_post: "ForumPost", representative: User) -> "PostReport":
    from concord.forum.services.posts import report_post

    return report_post(actor=representative, post=forum_post, reason="Too many details.")


@pytest.fixture
def resource(coordinator: User) -> "Resource":
    from concord.forum.models import Resource

    return Resource.objects.create(
        kind="link",
        title="National Human Trafficking Hotline",
        url="https://humantraffickinghotline.org/",
        visibility="public",
        created_by=coordinator,
    )


# The policies and protocols library (issue 8): a committee document of ``committee``
# (chaired by the representative, the member belongs), open for comment, with a member's
# comment; the same committee's document with a PDF version; a public adopted protocol.


@pytest.fixture
def library_document(committee: Committee) -> "Document":
    from concord.library.tests.factories import make_document

    return make_document(
        title="Committee protocol draft",
        versions=["# Steps\n\nCall the advocate.", "# Steps\n\nCall the advocate at once."],
        status="open_for_comment",
        visibility="committee",
        owner_committee=committee,
    )


@pytest.fixture
def library_comment(library_document: "Document", member: User) -> "LibraryComment":
    from concord.library.models import Comment

    return Comment.objects.create(
        version=library_document.current_version, author=member, body="Add a phone number."
    )


@pytest.fixture
def library_file_document(committee: Committee) -> "Document":
    from concord.library.tests.factories import add_file_version, make_document

    document = make_document(
        title="Committee MOU", status="adopted", visibility="committee", owner_committee=committee
    )
    add_file_version(document)
    return document


@pytest.fixture
def library_public_document(committee: Committee) -> "Document":
    from concord.library.tests.factories import make_document

    return make_document(
        title="Law enforcement to advocate contact protocol",
        versions=["# Contact\n\nCall the advocate.", "# Contact\n\nCall the advocate first."],
        status="adopted",
        visibility="public",
        owner_committee=committee,
        tags=["law enforcement"],
    )
