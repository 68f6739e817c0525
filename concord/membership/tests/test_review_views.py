import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, AgencyStatus
from concord.agencies.tests.factories import AgencyFactory
from concord.audit.models import AuditEvent
from concord.membership.models import (
    Application,
    ApplicationStatus,
    DecisionTemplate,
    MembershipTerm,
    Reviewer,
    StatusChange,
)
from concord.membership.services.review import add_comment, add_reviewer, request_information
from concord.membership.tests.factories import ApplicationFactory
from conftest import sign_in

QUEUE = reverse("membership:application-list")
EXPORT = reverse("membership:application-export")
FIGURES = reverse("membership:application-figures")
REVIEWERS = reverse("membership:reviewer-list")
TEMPLATES = reverse("membership:decision-template-list")


def _url(name: str, application: Application) -> str:
    return reverse(f"membership:{name}", args=[application.pk])


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def reviewer_client(coordinator: User, member: User) -> Client:
    """The member of agency A, added as a reviewer by the coordinator."""
    add_reviewer(actor=coordinator, person=member)
    return sign_in(Client(), member)


# The queue.


def test_queue_lists_undecided_applications_by_decide_by_date(coordinator_client: Client) -> None:
    later = ApplicationFactory(legal_name="Later Shelter", decide_by=_in_days(30))
    sooner = ApplicationFactory(legal_name="Sooner Shelter", decide_by=_in_days(2))
    ApplicationFactory(legal_name="Decided Shelter", status=ApplicationStatus.DECLINED)

    page = coordinator_client.get(QUEUE).content.decode()

    assert page.index(sooner.reference) < page.index(later.reference)
    assert "Decided Shelter" not in page
    assert page.count("Due soon") == 1


def test_queue_filters_by_status(coordinator_client: Client) -> None:
    ApplicationFactory(legal_name="Waiting Shelter")
    ApplicationFactory(legal_name="Decided Shelter", status=ApplicationStatus.DECLINED)

    page = coordinator_client.get(QUEUE, {"status": "declined"}).content.decode()

    assert "Decided Shelter" in page
    assert "Waiting Shelter" not in page


def test_queue_flags_a_possible_duplicate_name(
    coordinator_client: Client, agency_a: Agency
) -> None:
    ApplicationFactory(legal_name="Agency A")

    page = coordinator_client.get(QUEUE).content.decode()

    assert "Possible duplicate" in page


@pytest.mark.parametrize("persona", ["member_client", "representative_client", "outsider_client"])
def test_queue_is_forbidden_to_people_who_do_not_review(
    persona: str, application: Application, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)

    assert client.get(QUEUE).status_code == 403


def _queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_queue_runs_the_same_queries_for_3_or_30_applications(
    coordinator_client: Client, agency_a: Agency, coalition_meeting: Any
) -> None:
    ApplicationFactory.create_batch(3, meeting=coalition_meeting, legal_name="Agency A")
    _queue_queries(coordinator_client)  # the first request of a session does more
    few = _queue_queries(coordinator_client)
    ApplicationFactory.create_batch(27, meeting=coalition_meeting)

    assert _queue_queries(coordinator_client) == few


# An application.


def test_detail_shows_every_section_of_the_application(coordinator_client: Client) -> None:
    application = ApplicationFactory(
        legal_name="Harbor <Light>", description="Shelter & outreach", primary_name="Ana Ruiz"
    )
    add_comment(
        actor=User.objects.get(is_staff=True),
        application=application,
        text="Known partner",
        recommendation="accept",
    )

    page = coordinator_client.get(_url("application-detail", application)).content.decode()

    for text in (
        "Harbor &lt;Light&gt;",
        "Shelter &amp; outreach",
        "Ana Ruiz",
        application.primary_email,
        application.alternate_name,
        "Estimated hours a month",
        application.value_statements.first().value,  # type: ignore[union-attr]
        "We practise this every day.",
        "Confidentiality agreement",
        application.signature_name,
        "Status history",
        "Known partner",
        "Accept application",
        "Decline application",
        "Send request",
    ):
        assert text in page, text
    assert "<Light>" not in page


def test_detail_flags_an_agency_of_the_same_name_and_a_shared_email_domain(
    coordinator_client: Client, agency_a: Agency, representative: User
) -> None:
    application = ApplicationFactory(legal_name="Agency A", email_domains="example.org")

    page = coordinator_client.get(_url("application-detail", application)).content.decode()

    assert "Possible duplicate" in page
    assert agency_a.get_absolute_url() in page
    assert "example.org" in page
    assert "Link to an existing agency" in page


def test_detail_does_not_flag_a_public_email_domain(
    coordinator_client: Client, agency_a: Agency
) -> None:
    UserFactory(email="someone@gmail.com", agency=agency_a)
    application = ApplicationFactory(email_domains="gmail.com")

    page = coordinator_client.get(_url("application-detail", application)).content.decode()

    assert "Possible duplicate" not in page


def test_detail_of_an_erased_application_says_so(coordinator_client: Client) -> None:
    application = ApplicationFactory(
        status=ApplicationStatus.DECLINED, erased_at=timezone.now(), primary_name=""
    )

    page = coordinator_client.get(_url("application-detail", application)).content.decode()

    assert "Personal data erased" in page
    assert "Add comment" not in page


def test_detail_shows_who_changed_the_status_and_why(
    coordinator_client: Client, coordinator: User, application: Application
) -> None:
    StatusChange.objects.create(
        application=application, from_status="unconfirmed", to_status="in_review"
    )
    request_information(
        actor=coordinator, application=application, message="Add a budget", due=_in_days(5)
    )

    page = coordinator_client.get(_url("application-detail", application)).content.decode()

    assert "Applicant" in page
    assert coordinator.full_name in page
    assert "Add a budget" in page
    assert "Accept application" not in page  # the applicant is editing it


@pytest.mark.parametrize("persona", ["member_client", "representative_client", "outsider_client"])
@pytest.mark.parametrize(
    "name",
    [
        "application-detail",
        "application-comment",
        "application-accept",
        "application-decline",
        "application-request-info",
    ],
)
def test_application_pages_are_not_found_for_people_who_do_not_review(
    persona: str, name: str, application: Application, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    send = client.get if name == "application-detail" else client.post

    assert send(_url(name, application), {"decline-reason": "No"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


@pytest.mark.parametrize(
    "name",
    [
        "application-comment",
        "application-accept",
        "application-decline",
        "application-request-info",
    ],
)
def test_state_changes_refuse_get(
    name: str, coordinator_client: Client, application: Application
) -> None:
    assert coordinator_client.get(_url(name, application)).status_code == 405


# Reviewers who are not coordinators.


def test_reviewer_reads_and_comments(reviewer_client: Client, application: Application) -> None:
    assert reviewer_client.get(QUEUE).status_code == 200
    assert reviewer_client.get(FIGURES).status_code == 200
    page = reviewer_client.get(_url("application-detail", application)).content.decode()

    response = reviewer_client.post(
        _url("application-comment", application),
        {"comment-text": "Ask about their budget", "comment-recommendation": "more_info"},
    )

    assert "Accept application" not in page
    assert response.status_code == 302
    comment = application.comments.get()
    assert (comment.text, comment.recommendation) == ("Ask about their budget", "more_info")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("application-accept", {}),
        ("application-decline", {"decline-reason": "No"}),
        ("application-request-info", {"info-message": "More", "info-due": "2099-01-01"}),
    ],
)
def test_reviewer_cannot_decide(
    name: str, data: dict[str, str], reviewer_client: Client, application: Application
) -> None:
    response = reviewer_client.post(_url(name, application), data)

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


@pytest.mark.parametrize("url", [EXPORT, REVIEWERS, TEMPLATES])
def test_reviewer_cannot_export_or_manage(reviewer_client: Client, url: str) -> None:
    assert reviewer_client.get(url).status_code == 403


def test_removed_reviewer_loses_access_at_once(
    reviewer_client: Client, member: User, application: Application
) -> None:
    Reviewer.objects.filter(person=member).delete()

    assert reviewer_client.get(_url("application-detail", application)).status_code == 404


def test_empty_comment_keeps_the_recommendation_and_shows_the_error(
    coordinator_client: Client, application: Application
) -> None:
    response = coordinator_client.post(
        _url("application-comment", application),
        {"comment-text": " ", "comment-recommendation": "decline"},
    )

    assert response.status_code == 400
    assert 'value="decline" selected' in response.content.decode()
    assert application.comments.count() == 0


# Decisions.


def test_accept_creates_the_member_agency_and_invites_its_people(
    coordinator_client: Client,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = ApplicationFactory(legal_name="Bay Haven", hours_per_month=9)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(_url("application-accept", application))

    assert response.status_code == 302
    application.refresh_from_db()
    agency = Agency.objects.get(name="Bay Haven")
    assert (application.status, application.agency, agency.status) == (
        ApplicationStatus.ACCEPTED,
        agency,
        AgencyStatus.ACTIVE,
    )
    assert MembershipTerm.objects.get(agency=agency).hours_per_month == 9
    roles = dict(agency.people.values_list("email", "agency_role"))
    assert roles == {
        application.primary_email: AgencyRole.PRIMARY,
        application.alternate_email: AgencyRole.ALTERNATE,
    }
    assert application.status_changes.get().actor == coordinator
    followed = coordinator_client.get(response["Location"]).content.decode()
    assert "Application accepted" in followed


def test_accept_twice_tells_the_coordinator_it_is_already_accepted(
    coordinator_client: Client, application: Application
) -> None:
    coordinator_client.post(_url("application-accept", application))

    response = coordinator_client.post(_url("application-accept", application), follow=True)

    assert "already decided: it is accepted" in response.content.decode()
    assert Agency.objects.filter(name=application.legal_name).count() == 1
    assert User.objects.filter(email=application.primary_email).count() == 1


def test_accept_shows_the_refusal_when_an_agency_has_the_same_name(
    coordinator_client: Client, agency_a: Agency
) -> None:
    application = ApplicationFactory(legal_name="Agency A")

    response = coordinator_client.post(_url("application-accept", application))

    assert response.status_code == 400
    assert "An agency with this name already exists" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_accept_shows_the_refusal_when_a_representative_belongs_elsewhere(
    coordinator_client: Client, outsider: User
) -> None:
    application = ApplicationFactory(primary_email=outsider.email)

    response = coordinator_client.post(_url("application-accept", application))

    assert response.status_code == 400
    assert "belongs to a person outside this agency" in response.content.decode()
    assert not Agency.objects.filter(name=application.legal_name).exists()


def test_accept_links_the_application_to_the_chosen_agency(
    coordinator_client: Client, agency_a: Agency
) -> None:
    application = ApplicationFactory(legal_name="Agency A")

    response = coordinator_client.post(
        _url("application-accept", application), {"accept-agency": agency_a.pk}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.agency == agency_a
    assert Agency.objects.count() == 1


def test_accept_cannot_link_an_agency_of_another_name(
    coordinator_client: Client, agency_a: Agency
) -> None:
    other = AgencyFactory(name="Other Place")
    application = ApplicationFactory(legal_name="Agency A")

    response = coordinator_client.post(
        _url("application-accept", application), {"accept-agency": other.pk}
    )

    assert response.status_code == 400
    application.refresh_from_db()
    assert application.agency is None


def test_decline_requires_a_reason(coordinator_client: Client, application: Application) -> None:
    response = coordinator_client.post(
        _url("application-decline", application), {"decline-reason": "  "}
    )

    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_decline_records_the_reason(
    coordinator_client: Client, application: Application, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            _url("application-decline", application), {"decline-reason": "Outside the county"}
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (
        ApplicationStatus.DECLINED,
        "Outside the county",
    )
    assert application.status_changes.get().reason == "Outside the county"


def test_request_info_keeps_the_message_when_the_date_is_past(
    coordinator_client: Client, application: Application
) -> None:
    yesterday = _in_days(-1).isoformat()

    response = coordinator_client.post(
        _url("application-request-info", application),
        {"info-message": "Please add your <budget>", "info-due": yesterday},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Please add your &lt;budget&gt;" in page
    assert "Choose a date after today." in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_request_info_requires_a_message(
    coordinator_client: Client, application: Application
) -> None:
    response = coordinator_client.post(
        _url("application-request-info", application),
        {"info-message": "", "info-due": _in_days(5).isoformat()},
    )

    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_request_info_moves_the_application_back_to_the_applicant(
    coordinator_client: Client, application: Application
) -> None:
    due = _in_days(10)

    response = coordinator_client.post(
        _url("application-request-info", application),
        {"info-message": "Add your budget", "info-due": due.isoformat()},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.info_request, application.info_due) == (
        ApplicationStatus.INFO_REQUESTED,
        "Add your budget",
        due,
    )


def test_request_info_form_suggests_a_week(
    coordinator_client: Client, application: Application
) -> None:
    page = coordinator_client.get(_url("application-detail", application)).content.decode()

    assert f'value="{_in_days(7).isoformat()}"' in page


# Export and figures.


def test_export_neutralises_formulas_and_is_audited(
    coordinator_client: Client, coordinator: User
) -> None:
    ApplicationFactory(legal_name='=HYPERLINK("https://evil.example","x")', primary_name="+Ana")

    response = coordinator_client.get(EXPORT)

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="applications.csv"'
    assert rows[0][0] == "Reference"
    assert rows[1][3] == '\'=HYPERLINK("https://evil.example","x")'
    assert rows[1][9] == "'+Ana"
    event = AuditEvent.objects.get(action="concord.application.exported")
    assert event.actor == coordinator


def test_export_has_one_row_per_application_that_reached_review(
    coordinator_client: Client,
) -> None:
    application = ApplicationFactory(hours_per_month=5)
    ApplicationFactory(status=ApplicationStatus.DRAFT, confirmed_at=None)

    rows = list(csv.reader(io.StringIO(coordinator_client.get(EXPORT).content.decode())))

    assert len(rows) == 2
    assert rows[1][0] == application.reference
    assert rows[1][8] == "5"
    assert rows[1][10] == application.primary_email


def test_export_is_forbidden_to_members(member_client: Client) -> None:
    assert member_client.get(EXPORT).status_code == 403


def test_figures_show_the_acceptance_rate_and_days(coordinator_client: Client) -> None:
    confirmed = timezone.now() - datetime.timedelta(days=30)
    for status, days in (("accepted", 4), ("accepted", 6), ("declined", 8), ("accepted", 10)):
        ApplicationFactory(
            status=status,
            confirmed_at=confirmed,
            decided_at=confirmed + datetime.timedelta(days=days),
        )

    page = coordinator_client.get(FIGURES).content.decode()

    assert "75%" in page
    assert "7.0" in page  # median and mean of 4, 6, 8 and 10 days
    assert "Victim services" in page


def test_figures_are_forbidden_to_members(member_client: Client) -> None:
    assert member_client.get(FIGURES).status_code == 403


# Reviewers and decision emails.


def test_coordinator_adds_and_removes_a_reviewer(coordinator_client: Client, member: User) -> None:
    response = coordinator_client.post(REVIEWERS, {"person": member.pk})

    assert response.status_code == 302
    reviewer = Reviewer.objects.get(person=member)
    assert member.full_name in coordinator_client.get(REVIEWERS).content.decode()

    response = coordinator_client.post(reverse("membership:reviewer-remove", args=[reviewer.pk]))

    assert response.status_code == 302
    assert not Reviewer.objects.exists()


def test_reviewer_choices_leave_out_coordinators_and_deactivated_people(
    coordinator_client: Client, coordinator: User, deactivated: User
) -> None:
    for person in (coordinator, deactivated):
        response = coordinator_client.post(REVIEWERS, {"person": person.pk})

        assert response.status_code == 400
    assert not Reviewer.objects.exists()


def test_members_cannot_manage_reviewers(member_client: Client, member: User) -> None:
    assert member_client.get(REVIEWERS).status_code == 403
    assert member_client.post(REVIEWERS, {"person": member.pk}).status_code == 403
    assert not Reviewer.objects.exists()


def test_coordinator_edits_a_decision_email(coordinator_client: Client) -> None:
    template = DecisionTemplate.objects.get(kind="declined", language="es")
    url = reverse("membership:decision-template-edit", args=[template.pk])

    listing = coordinator_client.get(TEMPLATES).content.decode()
    form = coordinator_client.get(url).content.decode()
    response = coordinator_client.post(
        url, {"subject": "Su solicitud {reference}", "body": "Motivo: {reason}"}
    )

    assert url in listing
    assert "{resubmit_by}" in form
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.subject, template.body) == ("Su solicitud {reference}", "Motivo: {reason}")


def test_decision_email_needs_a_subject(coordinator_client: Client) -> None:
    template = DecisionTemplate.objects.get(kind="declined", language="en")
    url = reverse("membership:decision-template-edit", args=[template.pk])

    response = coordinator_client.post(url, {"subject": "", "body": "Kept text"})

    assert response.status_code == 200
    assert "Kept text" in response.content.decode()
    template.refresh_from_db()
    assert template.subject != ""


# The dashboard.


def test_dashboard_shows_applications_due_soon_first_to_coordinators(
    coordinator_client: Client,
) -> None:
    due = ApplicationFactory(legal_name="Due Soon Shelter", decide_by=_in_days(3))
    ApplicationFactory(legal_name="Later Shelter", decide_by=_in_days(30))

    page = coordinator_client.get(reverse("accounts:dashboard")).content.decode()

    assert due.reference in page
    assert "Later Shelter" not in page
    assert page.index("Due Soon Shelter") < page.index("Meetings and committees")
    assert QUEUE in page


def test_dashboard_shows_no_applications_to_members(member_client: Client) -> None:
    ApplicationFactory(legal_name="Due Soon Shelter", decide_by=_in_days(3))

    page = member_client.get(reverse("accounts:dashboard")).content.decode()

    assert "Due Soon Shelter" not in page
    assert QUEUE not in page


def test_dashboard_lists_the_first_ten_due_and_counts_the_rest(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    for days in range(12):
        ApplicationFactory(decide_by=_in_days(days % 7))

    with django_assert_max_num_queries(12):
        page = coordinator_client.get(reverse("accounts:dashboard")).content.decode()

    assert page.count("decide by") == 10
    assert "12 applications are due within a week in all." in page
