import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, AgencyStatus
from concord.agencies.tests.factories import AgencyFactory
from concord.audit.models import AuditEvent
from concord.meetings.models import Committee, CommitteeMembership, MembershipStatus
from concord.membership.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    DecisionTemplate,
    MembershipTerm,
    Recommendation,
    Reviewer,
    StatusChange,
)
from concord.membership.services import review
from concord.membership.tests.factories import ApplicationFactory
from tests.tasks import run_queued_tasks


def _queued(name: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=name).count()


def test_add_comment_records_text_and_recommendation(
    coordinator: User, application: Application
) -> None:
    comment = review.add_comment(
        actor=coordinator,
        application=application,
        text="  Known partner.  ",
        recommendation=Recommendation.ACCEPT,
    )

    assert (comment.text, comment.recommendation, comment.author) == (
        "Known partner.",
        "accept",
        coordinator,
    )
    assert AuditEvent.objects.filter(action="concord.application.commented").count() == 1


@pytest.mark.parametrize(
    ("text", "recommendation", "field"), [("  ", "", "text"), ("Fine", "maybe", "recommendation")]
)
def test_add_comment_refuses_empty_text_or_unknown_recommendation(
    coordinator: User, application: Application, text: str, recommendation: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        review.add_comment(
            actor=coordinator, application=application, text=text, recommendation=recommendation
        )

    assert list(refused.value.error_dict) == [field]
    assert application.comments.count() == 0


def test_accept_makes_the_agency_a_member_with_its_people_and_committees(
    coordinator: User,
    committee: Committee,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = ApplicationFactory(legal_name="Bay Haven", hours_per_month=8)
    application.committees.add(committee)

    with django_capture_on_commit_callbacks(execute=True):
        review.accept_application(actor=coordinator, application=application)

    application.refresh_from_db()
    agency = Agency.objects.get(name="Bay Haven")
    primary = User.objects.get(email=application.primary_email)
    alternate = User.objects.get(email=application.alternate_email)
    term = MembershipTerm.objects.get(agency=agency)
    change = StatusChange.objects.get(application=application)
    assert (application.status, application.agency, application.decided_at is not None) == (
        ApplicationStatus.ACCEPTED,
        agency,
        True,
    )
    assert agency.status == AgencyStatus.ACTIVE
    assert (term.hours_per_month, term.application, term.starts_on) == (
        8,
        application,
        timezone.localdate(),
    )
    assert (primary.agency, primary.agency_role, primary.language) == (
        agency,
        AgencyRole.PRIMARY,
        "en",
    )
    assert (alternate.agency, alternate.agency_role, alternate.language) == (
        agency,
        AgencyRole.ALTERNATE,
        "es",
    )
    assert CommitteeMembership.objects.get(committee=committee, person=primary).status == (
        MembershipStatus.REQUESTED
    )
    assert (change.actor, change.from_status, change.to_status) == (
        coordinator,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.ACCEPTED,
    )
    assert _queued("send_decision") == 1
    assert _queued("send_invitation") == 2


def test_accept_sends_the_decision_email_in_the_applicants_language(
    coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = ApplicationFactory(language="es")
    with django_capture_on_commit_callbacks(execute=True):
        review.accept_application(actor=coordinator, application=application)

    run_queued_tasks()

    decision = [m for m in mail.outbox if m.to == [application.contact_email]]
    template = DecisionTemplate.objects.get(kind="accepted", language="es")
    assert len(decision) == 1
    assert decision[0].subject == template.subject.format(reference=application.reference)


def test_accept_refuses_a_new_agency_whose_name_exists(coordinator: User) -> None:
    AgencyFactory(name="Bay Haven")
    application = ApplicationFactory(legal_name="bay haven")

    with pytest.raises(ValidationError) as refused:
        review.accept_application(actor=coordinator, application=application)

    assert refused.value.message_dict == {
        "agency": ["An agency with this name already exists: link the application to it."]
    }
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert Agency.objects.count() == 1


def test_accept_links_to_an_existing_agency_and_reactivates_it(coordinator: User) -> None:
    agency = AgencyFactory(name="Bay Haven", status=AgencyStatus.LAPSED)
    application = ApplicationFactory(legal_name="Bay Haven")

    review.accept_application(actor=coordinator, application=application, link_to=agency)

    agency.refresh_from_db()
    application.refresh_from_db()
    assert (application.agency, agency.status, Agency.objects.count()) == (
        agency,
        AgencyStatus.ACTIVE,
        1,
    )


def test_accept_of_a_renewal_names_the_new_primary_and_keeps_the_former_as_member(
    coordinator: User, representative: User, agency_a: Agency
) -> None:
    application = ApplicationFactory(
        kind=ApplicationKind.RENEWAL, agency=agency_a, legal_name=agency_a.name
    )

    review.accept_application(actor=coordinator, application=application)

    representative.refresh_from_db()
    new_primary = User.objects.get(email=application.primary_email)
    assert representative.agency_role == AgencyRole.MEMBER
    assert (new_primary.agency, new_primary.agency_role) == (agency_a, AgencyRole.PRIMARY)


def test_accept_refuses_a_representative_of_another_agency(
    coordinator: User, outsider: User
) -> None:
    application = ApplicationFactory(primary_email=outsider.email)

    with pytest.raises(ValidationError) as refused:
        review.accept_application(actor=coordinator, application=application)

    assert refused.value.code == "person_elsewhere"
    assert not Agency.objects.filter(name=application.legal_name).exists()


def test_accept_twice_is_refused_and_creates_nothing_more(
    coordinator: User, application: Application
) -> None:
    review.accept_application(actor=coordinator, application=application)

    with pytest.raises(ValidationError) as refused:
        review.accept_application(actor=coordinator, application=application)

    assert refused.value.code == "invalid_transition"
    assert Agency.objects.filter(name=application.legal_name).count() == 1
    assert MembershipTerm.objects.count() == 1


def test_accept_after_information_was_requested_is_refused(coordinator: User) -> None:
    application = ApplicationFactory(status=ApplicationStatus.INFO_REQUESTED)

    with pytest.raises(ValidationError):
        review.accept_application(actor=coordinator, application=application)


def test_decline_records_the_reason_and_queues_the_email(
    coordinator: User, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review.decline_application(
            actor=coordinator, application=application, reason="  Outside the county. "
        )

    application.refresh_from_db()
    change = application.status_changes.get()
    assert (application.status, application.decision_reason) == (
        ApplicationStatus.DECLINED,
        "Outside the county.",
    )
    assert (change.actor, change.reason) == (coordinator, "Outside the county.")
    assert _queued("send_decision") == 1


def test_decline_requires_a_reason(coordinator: User, application: Application) -> None:
    with pytest.raises(ValidationError) as refused:
        review.decline_application(actor=coordinator, application=application, reason=" ")

    assert list(refused.value.error_dict) == ["reason"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_request_information_sets_message_and_due_date(
    coordinator: User, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    due = timezone.localdate() + datetime.timedelta(days=10)

    with django_capture_on_commit_callbacks(execute=True):
        review.request_information(
            actor=coordinator, application=application, message="Add your budget.", due=due
        )

    application.refresh_from_db()
    assert (application.status, application.info_request, application.info_due) == (
        ApplicationStatus.INFO_REQUESTED,
        "Add your budget.",
        due,
    )
    assert application.status_changes.get().reason == "Add your budget."
    assert _queued("send_decision") == 1


@pytest.mark.parametrize(
    ("message", "days", "field"), [("", 5, "message"), ("More", 0, "due"), ("More", -1, "due")]
)
def test_request_information_requires_a_message_and_a_future_date(
    coordinator: User, application: Application, message: str, days: int, field: str
) -> None:
    due = timezone.localdate() + datetime.timedelta(days=days)

    with pytest.raises(ValidationError) as refused:
        review.request_information(
            actor=coordinator, application=application, message=message, due=due
        )

    assert list(refused.value.error_dict) == [field]


def test_add_reviewer_once_and_only_active_people(coordinator: User, member: User) -> None:
    first = review.add_reviewer(actor=coordinator, person=member)
    again = review.add_reviewer(actor=coordinator, person=member)
    gone = UserFactory(is_active=False)

    with pytest.raises(ValidationError):
        review.add_reviewer(actor=coordinator, person=gone)

    assert first == again
    assert list(Reviewer.objects.values_list("person", flat=True)) == [member.pk]
    assert AuditEvent.objects.filter(action="concord.application_reviewer.added").count() == 1


def test_remove_reviewer(coordinator: User, member: User) -> None:
    reviewer = review.add_reviewer(actor=coordinator, person=member)

    review.remove_reviewer(actor=coordinator, reviewer=reviewer)

    assert not Reviewer.objects.exists()
    assert AuditEvent.objects.filter(action="concord.application_reviewer.removed").count() == 1


def test_update_decision_template_saves_changes_only(coordinator: User) -> None:
    template = DecisionTemplate.objects.get(kind="declined", language="en")

    review.update_decision_template(
        actor=coordinator, template=template, values={"subject": "About {reference}"}
    )
    review.update_decision_template(
        actor=coordinator, template=template, values={"subject": "About {reference}"}
    )

    template.refresh_from_db()
    assert template.subject == "About {reference}"
    assert AuditEvent.objects.filter(action="concord.decision_template.updated").count() == 1
