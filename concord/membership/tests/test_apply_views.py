"""The public application as an applicant without an account goes through it."""

import datetime
import re
from html import escape
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.meetings.models import Committee, CommitteeKind, Meeting
from concord.membership.models import (
    PRACTICE_LIMIT,
    Application,
    ApplicationStatus,
    StatusChange,
    Step,
)
from concord.membership.services.links import Purpose, make_token
from concord.membership.services.review import request_information
from concord.membership.services.schedule import hear_by
from concord.membership.tests.factories import DraftFactory
from concord.membership.views.applicant_access import SESSION_KEY
from tests.tasks import run_queued_tasks

TOKEN = "5b0c1c3e-8f1e-4a43-9d3e-2f7a1c9e0b01"


@pytest.fixture(autouse=True)
def coalition(db: None, settings: Any) -> Coalition:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return Coalition.objects.create(**DEMO_COALITION)


@pytest.fixture
def committees(db: None) -> list[Committee]:
    standing = Committee.objects.create(name="Training")
    sub = Committee.objects.create(
        name="Hotel outreach",
        kind=CommitteeKind.SUBCOMMITTEE,
        parent=standing,
        starts_on=timezone.localdate(),
        sunset_on=timezone.localdate() + datetime.timedelta(days=120),
    )
    return [standing, sub]


@pytest.fixture
def meeting(db: None) -> Meeting:
    day = timezone.localdate() + datetime.timedelta(days=40)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return Meeting.objects.create(
        title="Coalition meeting", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )


def step_url(step: str) -> str:
    return reverse("membership:apply-step", args=[step])


def agency_answers() -> dict[str, str]:
    return {
        "legal_name": "Harbor Shelter",
        "sector": "victim_services",
        "street_address": "1 Main Street",
        "city": "Concord",
        "postal_code": "94520",
        "service_cities": "Concord, Martinez",
        "website": "https://harbor.example.org",
        "phone": "925-555-0100",
        "description": "Emergency shelter and case management for survivors.",
    }


def people_answers() -> dict[str, str]:
    return {
        "primary_name": "Pat Primary",
        "primary_title": "Director",
        "primary_email": "pat@harbor.example.org",
        "primary_phone": "925-555-0101",
        "primary_language": "en",
        "alternate_name": "Alex Alternate",
        "alternate_email": "alex@harbor.example.org",
        "alternate_language": "es",
    }


def commitment_answers(committees: list[Committee]) -> dict[str, Any]:
    return {
        "committees": [committees[1].pk],
        "agrees_to_attend": "on",
        "agrees_to_committee": "on",
        "hours_per_month": "6",
    }


def values_answers(count: int = 5) -> dict[str, str]:
    answers = {}
    for position in range(1, count + 1):
        answers[f"affirm_{position}"] = "on"
        answers[f"practice_{position}"] = f"We practise value {position} every day."
    return answers


def agreement_answers() -> dict[str, str]:
    return {
        "agrees_to_confidentiality": "on",
        "signature_name": "Pat Primary",
        "signature_title": "Director",
        "signature_date": timezone.localdate().isoformat(),
    }


def start(client: Client, email: str = "applicant@harbor.example.org", **extra: str) -> Any:
    """Start an application and follow the redirect through its link, as a browser does."""
    response = client.post(
        reverse("membership:apply-start"),
        {"email": email, "submission_token": TOKEN, **extra},
    )
    if response.status_code == 302 and "/apply/open/" in response["Location"]:
        client.get(response["Location"])
    return response


def open_draft(client: Client, application: Application) -> None:
    response = client.get(
        reverse("membership:apply-open", args=[make_token(application, Purpose.ACCESS)])
    )
    assert response.status_code == 302


def fill_every_step(client: Client, committees: list[Committee]) -> None:
    for step, answers in (
        (Step.AGENCY, agency_answers()),
        (Step.PEOPLE, people_answers()),
        (Step.COMMITMENT, commitment_answers(committees)),
        (Step.VALUES, values_answers()),
        (Step.AGREEMENT, agreement_answers()),
    ):
        response = client.post(step_url(step), {**answers, "action": "next"})
        assert response.status_code == 302, (
            step,
            response.context and response.context["form"].errors,
        )


def test_an_applicant_goes_from_start_to_review(
    client: Client,
    committees: list[Committee],
    meeting: Meeting,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = start(client)
    application = Application.objects.get()
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == step_url(Step.AGENCY)
    assert "emailed you a link" in client.get(step_url(Step.AGENCY)).content.decode()
    assert application.language == "en"

    fill_every_step(client, committees)
    review = client.get(reverse("membership:apply-review"))
    assert review.status_code == 200
    assert b"Harbor Shelter" in review.content
    assert b"Hotel outreach" in review.content

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(reverse("membership:apply-submit"))
    assert submitted["Location"] == reverse("membership:apply-status")
    run_queued_tasks()
    link = re.search(r"https?://\S*/apply/confirm/\S+/", "\n".join(m.body for m in mail.outbox))
    assert link is not None
    confirm_path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    confirm_url = "/" + confirm_path

    page = client.get(confirm_url)
    application.refresh_from_db()
    assert page.status_code == 200
    assert application.status == ApplicationStatus.UNCONFIRMED  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url)
    run_queued_tasks()
    status = client.get(reverse("membership:apply-status"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert "In review" in status.content.decode()
    assert application.meeting == meeting
    expected = hear_by(meeting)
    assert status.context["hear_by"] == expected
    assert list(application.value_statements.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert list(application.committees.all()) == [committees[1]]
    confirmation = mail.outbox[-1].body
    assert application.reference in "".join(m.body for m in mail.outbox[1:])
    assert confirmation


def test_the_application_link_is_emailed_once_on_a_double_submit(client: Client) -> None:
    first = start(client)
    second = start(client)

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_validation_error_keeps_every_typed_value(client: Client) -> None:
    start(client)
    answers = {**agency_answers(), "postal_code": "not a zip", "action": "next"}

    response = client.post(step_url(Step.AGENCY), answers)

    application = Application.objects.get()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["postal_code"]
    assert b'value="Harbor Shelter"' in response.content
    assert b"Emergency shelter and case management" in response.content
    assert application.unsaved_answers[Step.AGENCY]["legal_name"] == ["Harbor Shelter"]
    assert Step.AGENCY not in application.completed_steps
    # Coming back shows the same answers with the same error.
    again = client.get(step_url(Step.AGENCY))
    assert list(again.context["form"].errors) == ["postal_code"]
    assert b'value="not a zip"' in again.content


def test_back_with_invalid_answers_keeps_them(client: Client) -> None:
    start(client)
    client.post(step_url(Step.AGENCY), {**agency_answers(), "action": "next"})

    response = client.post(step_url(Step.PEOPLE), {"primary_name": "Pat Primary", "action": "back"})

    assert response["Location"] == step_url(Step.AGENCY)
    later = client.get(step_url(Step.PEOPLE))
    assert b'value="Pat Primary"' in later.content


def test_a_saved_step_comes_back_filled_in(client: Client) -> None:
    start(client)
    client.post(step_url(Step.AGENCY), {**agency_answers(), "action": "later"})

    response = client.get(step_url(Step.AGENCY))

    assert response.context["form"].initial["legal_name"] == "Harbor Shelter"
    assert b'value="Harbor Shelter"' in response.content


def test_an_expired_session_still_saves_with_the_hidden_token(client: Client) -> None:
    application = DraftFactory()
    stranger = Client()  # a new browser: the session is gone

    response = stranger.post(
        step_url(Step.AGENCY),
        {
            **agency_answers(),
            "access": make_token(application, Purpose.ACCESS),
            "action": "next",
        },
    )

    application.refresh_from_db()
    assert response["Location"] == step_url(Step.PEOPLE)
    assert application.legal_name == "Harbor Shelter"
    assert stranger.session[SESSION_KEY] == [application.pk, application.access_key]


def test_without_a_link_the_steps_say_how_to_open_the_application(client: Client) -> None:
    DraftFactory()

    response = client.post(step_url(Step.AGENCY), {**agency_answers(), "access": "forged"})

    assert response.status_code == 200
    assert "membership/apply/no_application.html" in [t.name for t in response.templates]
    assert not Application.objects.filter(legal_name="Harbor Shelter").exists()


def test_an_expired_link_offers_a_new_one(client: Client) -> None:
    application = DraftFactory()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        token = make_token(application, Purpose.ACCESS)

    response = client.get(reverse("membership:apply-open", args=[token]))

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_forged_link_is_not_found(client: Client) -> None:
    application = DraftFactory()
    token = make_token(application, Purpose.CONFIRM)  # genuine, but for another purpose

    assert client.get(reverse("membership:apply-open", args=[token])).status_code == 404
    assert client.get(reverse("membership:apply-open", args=["x" + token])).status_code == 404


def test_rotating_the_key_revokes_the_session(client: Client) -> None:
    application = DraftFactory()
    open_draft(client, application)
    Application.objects.filter(pk=application.pk).update(access_key="rotated" * 6)

    response = client.get(step_url(Step.AGENCY))

    assert "membership/apply/no_application.html" in [t.name for t in response.templates]


def test_a_filled_honeypot_creates_nothing(client: Client) -> None:
    response = start(client, homepage="https://spam.example.com")

    assert response.status_code == 302
    assert Application.objects.count() == 0


def test_starts_are_limited_per_address(client: Client, settings: Any) -> None:
    settings.MEMBERSHIP_RATE_PER_ADDRESS = 2
    for number in range(2):
        client.post(
            reverse("membership:apply-start"),
            {"email": "busy@example.org", "submission_token": f"{TOKEN[:-1]}{number}"},
        )

    response = client.post(
        reverse("membership:apply-start"),
        {"email": "busy@example.org", "submission_token": f"{TOKEN[:-1]}9"},
    )

    assert response.status_code == 200
    assert "Too many requests" in response.content.decode()
    assert b'value="busy@example.org"' in response.content
    assert Application.objects.count() == 2


def test_starts_are_limited_per_ip_address(client: Client, settings: Any) -> None:
    settings.MEMBERSHIP_RATE_PER_IP = 1
    start(client, "one@example.org")

    response = client.post(
        reverse("membership:apply-start"),
        {"email": "two@example.org", "submission_token": f"{TOKEN[:-1]}8"},
    )

    assert "Too many requests" in response.content.decode()
    assert Application.objects.count() == 1


def test_spanish_start_records_the_language(client: Client) -> None:
    response = client.post(
        "/es/apply/", {"email": "solicitante@example.org", "submission_token": TOKEN}
    )

    assert response.status_code == 302
    assert Application.objects.get().language == "es"
    assert client.get(response["Location"])["Location"].startswith("/es/apply/step/")


def test_the_link_form_answers_the_same_for_any_address(client: Client) -> None:
    DraftFactory(contact_email="known@example.org")

    known = client.post(reverse("membership:apply-link"), {"email": "known@example.org"})
    known_page = client.get(known["Location"]).content
    unknown = client.post(reverse("membership:apply-link"), {"email": "nobody@example.org"})
    unknown_page = client.get(unknown["Location"]).content

    assert known["Location"] == unknown["Location"]
    message = b"If an application uses this address, we have emailed its link."
    assert message in known_page
    assert message in unknown_page
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


def test_a_value_answer_over_the_limit_is_refused(client: Client) -> None:
    start(client)
    answers = {**values_answers(), "practice_2": "x" * (PRACTICE_LIMIT + 1), "action": "next"}

    response = client.post(step_url(Step.VALUES), answers)

    errors = response.context["form"].errors
    assert list(errors) == ["practice_2"]
    assert str(PRACTICE_LIMIT) in errors["practice_2"][0]
    assert not Application.objects.get().value_statements.exists()


def test_each_value_must_be_affirmed(client: Client) -> None:
    start(client)
    answers = values_answers()
    del answers["affirm_3"]

    response = client.post(step_url(Step.VALUES), {**answers, "action": "next"})

    assert list(response.context["form"].errors) == ["affirm_3"]
    third_value = escape(DEMO_COALITION["values"].splitlines()[2].strip())
    assert f'<p class="font-sans-md text-bold">{third_value}</p>' in response.content.decode()


def test_submitting_an_incomplete_application_goes_to_the_missing_step(client: Client) -> None:
    start(client)
    client.post(step_url(Step.AGENCY), {**agency_answers(), "action": "next"})

    response = client.post(reverse("membership:apply-submit"))

    assert response["Location"] == step_url(Step.PEOPLE)
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_submitting_twice_changes_the_status_once(
    client: Client, committees: list[Committee]
) -> None:
    start(client)
    fill_every_step(client, committees)

    first = client.post(reverse("membership:apply-submit"))
    second = client.post(reverse("membership:apply-submit"))

    application = Application.objects.get()
    assert first["Location"] == second["Location"] == reverse("membership:apply-status")
    assert application.status == ApplicationStatus.UNCONFIRMED
    assert StatusChange.objects.filter(application=application).count() == 1


def test_a_submitted_application_cannot_be_edited(client: Client) -> None:
    application = DraftFactory(status=ApplicationStatus.UNCONFIRMED)
    open_draft(client, application)

    response = client.post(step_url(Step.AGENCY), {**agency_answers(), "action": "next"})

    application.refresh_from_db()
    assert response["Location"] == reverse("membership:apply-status")
    assert application.legal_name == ""


def test_the_applicant_withdraws(client: Client) -> None:
    application = DraftFactory()
    open_draft(client, application)

    refused = client.post(reverse("membership:apply-withdraw"))
    application.refresh_from_db()
    assert refused.status_code == 302
    assert application.status == ApplicationStatus.DRAFT

    client.post(reverse("membership:apply-withdraw"), {"confirm": "on"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "Withdrawn" in client.get(reverse("membership:apply-status")).content.decode()


def test_state_changes_refuse_get(client: Client) -> None:
    assert client.get(reverse("membership:apply-submit")).status_code == 405
    assert client.get(reverse("membership:apply-withdraw")).status_code == 405


def test_more_information_requested_can_be_edited_and_resubmitted(
    client: Client, coordinator: Any, meeting: Meeting
) -> None:
    from concord.membership.tests.factories import ApplicationFactory

    application = ApplicationFactory()
    due = timezone.localdate() + datetime.timedelta(days=10)
    request_information(
        actor=coordinator, application=application, message="Add your service area.", due=due
    )
    open_draft(client, application)

    status = client.get(reverse("membership:apply-status"))
    assert "Add your service area." in status.content.decode()
    assert status.context["application"].info_due == due
    edited = client.post(
        step_url(Step.AGENCY),
        {**agency_answers(), "legal_name": "Harbor Shelter Inc.", "action": "next"},
    )
    assert edited.status_code == 302
    assert client.get(reverse("membership:apply-review")).status_code == 200
    client.post(reverse("membership:apply-submit"))

    application.refresh_from_db()
    assert application.legal_name == "Harbor Shelter Inc."
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.info_due is None


def test_the_status_page_without_an_application_explains(client: Client) -> None:
    response = client.get(reverse("membership:apply-status"))

    assert response.status_code == 200
    assert reverse("membership:apply-link") in response.content.decode()


def test_the_membership_page_links_to_the_application(client: Client) -> None:
    response = client.get(reverse("coalition:membership"))

    assert reverse("membership:apply-start") in response.content.decode()


def test_personal_answers_never_reach_a_url(client: Client, committees: list[Committee]) -> None:
    response = start(client)
    urls = [response["Location"]]
    for step, answers in (
        (Step.AGENCY, agency_answers()),
        (Step.PEOPLE, people_answers()),
    ):
        urls.append(client.post(step_url(step), {**answers, "action": "next"})["Location"])

    assert not any("harbor" in url.lower() or "%40" in url or "@" in url for url in urls)


def test_finish_later_with_invalid_answers_keeps_them(client: Client) -> None:
    start(client)

    response = client.post(
        step_url(Step.AGENCY), {"legal_name": "Harbor Shelter", "action": "later"}
    )

    application = Application.objects.get()
    assert response["Location"] == reverse("membership:apply-status")
    assert application.unsaved_answers[Step.AGENCY]["legal_name"] == ["Harbor Shelter"]
    assert application.legal_name == ""


def test_only_the_step_fields_are_kept_as_unsaved_answers(client: Client) -> None:
    start(client)

    client.post(
        step_url(Step.AGENCY),
        {"legal_name": "x" * 9000, "status": "accepted", "agency": "1", "action": "next"},
    )

    application = Application.objects.get()
    assert set(application.unsaved_answers[Step.AGENCY]) == {"legal_name"}
    assert len(application.unsaved_answers[Step.AGENCY]["legal_name"][0]) == 5000
    assert application.status == ApplicationStatus.DRAFT


def test_an_expired_confirmation_link_offers_a_new_one(client: Client) -> None:
    application = DraftFactory(status=ApplicationStatus.UNCONFIRMED)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        token = make_token(application, Purpose.CONFIRM)

    response = client.post(reverse("membership:apply-confirm", args=[token]))

    application.refresh_from_db()
    assert response.status_code == 410
    assert application.status == ApplicationStatus.UNCONFIRMED


def test_a_forged_confirmation_link_is_not_found(client: Client) -> None:
    application = DraftFactory(status=ApplicationStatus.UNCONFIRMED)
    token = make_token(application, Purpose.ACCESS)  # the other purpose

    response = client.post(reverse("membership:apply-confirm", args=[token]))

    application.refresh_from_db()
    assert response.status_code == 404
    assert application.status == ApplicationStatus.UNCONFIRMED


def test_the_status_page_shows_the_history_and_the_request(
    client: Client, coordinator: Any
) -> None:
    from concord.membership.tests.factories import ApplicationFactory

    application = ApplicationFactory()
    due = timezone.localdate() + datetime.timedelta(days=10)
    request_information(
        actor=coordinator, application=application, message="Name your cities.", due=due
    )
    open_draft(client, application)

    response = client.get(reverse("membership:apply-status"))

    page = response.content.decode()
    assert application.reference in page
    assert "More information requested" in page
    assert "Name your cities." in page
    assert "New membership" in page
    assert reverse("membership:apply-step", args=[Step.AGENCY]) in page
    assert list(response.context["history"].values_list("to_status", flat=True)) == [
        ApplicationStatus.INFO_REQUESTED
    ]
