import datetime
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.meetings.models import Committee, CommitteeMembership, Meeting, MembershipStatus
from concord.membership.models import (
    TRANSITIONS,
    Application,
    ApplicationKind,
    ApplicationStatus,
    MembershipTerm,
    StatusChange,
)
from concord.membership.services import applicant, review
from concord.membership.services.workflow import check_transition
from concord.membership.tests.factories import ApplicationFactory, DraftFactory

Capture = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2027, 1, 4, 17, 0, tzinfo=datetime.UTC)

AGENCY_VALUES = {
    "legal_name": "Harbor House",
    "sector": "victim_services",
    "street_address": "2 Pine Street",
    "city": "Martinez",
    "postal_code": "94553",
    "whole_county": False,
    "service_cities": "Martinez, Concord",
    "website": "https://harbor.example.org",
    "phone": "925-555-0199",
    "description": "Shelter.",
}


def queued() -> Counter[str]:
    return Counter(
        path.rsplit(".", 1)[-1]
        for path in DBTaskResult.objects.ready().values_list("task_path", flat=True)
    )


def coalition_meeting() -> Meeting:
    start = datetime.datetime(2027, 1, 26, 17, 0, tzinfo=datetime.UTC)
    return Meeting.objects.create(
        title="Coalition meeting", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )


def test_starting_creates_a_draft_and_queues_the_link(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = applicant.start_application(
            email=" Someone@Shelter.example.org ", language="es"
        )

    assert application.status == ApplicationStatus.DRAFT
    assert application.contact_email == "someone@shelter.example.org"
    assert application.language == "es"
    assert len(application.access_key) >= 43
    assert queued() == Counter({"send_application_link": 1})


def test_saving_a_step_marks_it_complete_and_drops_its_unsaved_answers() -> None:
    application = DraftFactory()
    applicant.save_unsaved_answers(
        application=application, step="agency", answers={"legal_name": ["Harb"]}
    )
    applicant.save_unsaved_answers(
        application=application, step="people", answers={"primary_name": ["Ana"]}
    )

    saved = applicant.save_step(application=application, step="agency", values=AGENCY_VALUES)

    saved.refresh_from_db()
    assert saved.legal_name == "Harbor House"
    assert saved.completed_steps == ["agency"]
    assert saved.unsaved_answers == {"people": {"primary_name": ["Ana"]}}


def test_the_values_step_replaces_the_statements() -> None:
    application = ApplicationFactory(status=ApplicationStatus.DRAFT)
    statements = [{"position": 1, "value": "Respect", "affirmed": True, "practice": "Daily."}]

    applicant.save_step(application=application, step="values", values={}, statements=statements)

    assert list(application.value_statements.values_list("value", flat=True)) == ["Respect"]


def test_an_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown step"):
        applicant.save_step(application=DraftFactory(), step="review", values={})


def test_an_application_in_review_can_no_longer_be_changed() -> None:
    application = ApplicationFactory()

    with pytest.raises(ValidationError) as refused:
        applicant.save_step(application=application, step="agency", values=AGENCY_VALUES)
    with pytest.raises(ValidationError):
        applicant.save_unsaved_answers(application=application, step="agency", answers={})

    assert refused.value.code == "not_editable"


def test_an_incomplete_draft_cannot_be_submitted() -> None:
    with pytest.raises(ValidationError) as refused:
        applicant.submit_application(application=DraftFactory())

    assert refused.value.code == "incomplete"


def test_submitting_twice_sends_one_confirmation_link(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    application = ApplicationFactory(status=ApplicationStatus.DRAFT, email_domains="")

    with django_capture_on_commit_callbacks(execute=True):
        applicant.submit_application(application=application)
        applicant.submit_application(application=application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNCONFIRMED
    assert application.submitted_at is not None
    assert application.email_domains.split() == sorted(
        {
            e.rsplit("@")[1]
            for e in (
                application.contact_email,
                application.primary_email,
                application.alternate_email,
            )
        }
    )
    assert queued() == Counter({"send_confirmation_link": 1})
    assert application.status_changes.count() == 1


@time_machine.travel(NOW, tick=False)
def test_confirming_twice_reaches_review_once_with_a_meeting(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    meeting = coalition_meeting()
    application = ApplicationFactory(
        status=ApplicationStatus.UNCONFIRMED, confirmed_at=None, meeting=None, decide_by=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        applicant.confirm_email(application=application)
        applicant.confirm_email(application=application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.confirmed_at == NOW
    assert (application.meeting, application.decide_by) == (meeting, datetime.date(2027, 1, 19))
    assert queued() == Counter({"send_confirmation": 1, "notify_reviewers": 1})
    change = StatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.actor) == (
        ApplicationStatus.UNCONFIRMED,
        ApplicationStatus.IN_REVIEW,
        None,
    )


def test_confirming_a_draft_changes_nothing() -> None:
    application = DraftFactory()

    assert applicant.confirm_email(application=application).status == ApplicationStatus.DRAFT


@time_machine.travel(NOW, tick=False)
def test_a_resubmission_goes_back_to_review_for_the_meeting_it_can_still_make(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    meeting = coalition_meeting()
    application = ApplicationFactory(meeting=None, decide_by=None)
    review.request_information(
        actor=coordinator,
        application=application,
        message="Which cities?",
        due=datetime.date(2027, 1, 15),
    )

    with django_capture_on_commit_callbacks(execute=True):
        applicant.submit_application(application=application)
        applicant.submit_application(application=application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert (application.meeting, application.decide_by, application.info_due) == (
        meeting,
        datetime.date(2027, 1, 19),
        None,
    )
    assert queued()["notify_reviewers"] == 1


def test_withdrawing_twice_withdraws_once() -> None:
    application = ApplicationFactory()

    applicant.withdraw_application(application=application, reason="Merged with another agency.")
    applicant.withdraw_application(application=application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert list(application.status_changes.values_list("reason", flat=True)) == [
        "Merged with another agency."
    ]


@pytest.mark.parametrize("status", [ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED])
def test_a_decided_application_cannot_be_withdrawn(status: str) -> None:
    application = ApplicationFactory(status=status)

    with pytest.raises(ValidationError) as refused:
        applicant.withdraw_application(application=application)

    assert refused.value.code == "invalid_transition"
    application.refresh_from_db()
    assert application.status == status


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (source, target)
        for source in ApplicationStatus.values
        for target in ApplicationStatus.values
        if target not in TRANSITIONS[source]
    ],
)
def test_the_transition_table_refuses_every_other_move(source: str, target: str) -> None:
    with pytest.raises(ValidationError):
        check_transition(Application(status=source), target)


def test_the_transition_table_allows_its_moves() -> None:
    for source, targets in TRANSITIONS.items():
        for target in targets:
            check_transition(Application(status=source), target)


def test_a_decided_application_cannot_be_decided_again(coordinator: User) -> None:
    application = ApplicationFactory()
    review.decline_application(actor=coordinator, application=application, reason="No.")

    with pytest.raises(ValidationError):
        review.accept_application(actor=coordinator, application=application)


# Renewal.


@pytest.fixture
def renewing(agency_a: Agency, representative: User) -> Agency:
    UserFactory(agency=agency_a, agency_role=AgencyRole.ALTERNATE, email="alt-a@example.org")
    committee = Committee.objects.create(name="Public Awareness")
    CommitteeMembership.objects.create(
        committee=committee, person=representative, status=MembershipStatus.ACTIVE
    )
    today = timezone.localdate()
    MembershipTerm.objects.create(
        agency=agency_a,
        starts_on=today - datetime.timedelta(days=340),
        ends_on=today + datetime.timedelta(days=25),
    )
    ApplicationFactory(
        status=ApplicationStatus.ACCEPTED,
        agency=agency_a,
        description="Our work.",
        hours_per_month=9,
    )
    return agency_a


def test_a_renewal_is_prefilled_from_the_agency_its_people_and_last_application(
    renewing: Agency, representative: User
) -> None:
    renewal = applicant.start_renewal(actor=representative, agency=renewing)

    assert renewal.kind == ApplicationKind.RENEWAL
    assert renewal.status == ApplicationStatus.DRAFT
    assert renewal.agency == renewing
    assert renewal.contact_email == representative.email
    assert renewal.legal_name == "Agency A"
    assert renewal.primary_email == representative.email
    assert renewal.alternate_email == "alt-a@example.org"
    assert (renewal.description, renewal.hours_per_month) == ("Our work.", 9)
    assert list(renewal.committees.values_list("name", flat=True)) == ["Public Awareness"]


def test_starting_a_renewal_twice_finds_the_first(renewing: Agency, representative: User) -> None:
    first = applicant.start_renewal(actor=representative, agency=renewing)

    assert applicant.start_renewal(actor=representative, agency=renewing) == first
    assert Application.objects.filter(kind=ApplicationKind.RENEWAL).count() == 1


def test_an_accepted_renewal_adds_a_term_after_the_current_one(
    renewing: Agency, representative: User, coordinator: User
) -> None:
    renewal = applicant.start_renewal(actor=representative, agency=renewing)
    Application.objects.filter(pk=renewal.pk).update(status=ApplicationStatus.IN_REVIEW)

    review.accept_application(actor=coordinator, application=renewal)

    current, following = renewing.membership_terms.order_by("starts_on")
    assert following.starts_on == current.ends_on + datetime.timedelta(days=1)
    assert following.application == renewal
    representative.refresh_from_db()
    assert representative.agency_role == AgencyRole.PRIMARY


def _complete(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        completed_steps=list(applicant.REQUIRED_STEPS)
    )


def test_a_renewal_from_a_representative_address_goes_straight_to_review(
    renewing: Agency, representative: User
) -> None:
    renewal = applicant.start_renewal(actor=representative, agency=renewing)
    _complete(renewal)

    applicant.submit_application(application=renewal)

    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.IN_REVIEW
    assert renewal.confirmed_at is not None
    assert list(renewal.status_changes.values_list("to_status", flat=True)) == [
        ApplicationStatus.UNCONFIRMED,
        ApplicationStatus.IN_REVIEW,
    ]


def test_a_renewal_from_another_address_still_confirms_it(
    renewing: Agency, representative: User
) -> None:
    renewal = applicant.start_renewal(actor=representative, agency=renewing)
    Application.objects.filter(pk=renewal.pk).update(contact_email="someone@elsewhere.example")
    _complete(renewal)

    applicant.submit_application(application=renewal)

    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.UNCONFIRMED
