import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import CoordinatorFactory, UserFactory
from concord.agencies.models import Agency
from concord.meetings.models import Meeting
from concord.membership.models import (
    Application,
    ApplicationStatus,
    DecisionKind,
    DecisionTemplate,
    MembershipTerm,
)
from concord.membership.services import applicant, review, upkeep
from concord.membership.tasks import (
    membership_upkeep,
    notify_reviewers,
    send_confirmation,
    send_decision,
    send_due_warning,
    send_renewal_notice,
)
from concord.membership.tests.factories import ApplicationFactory, DraftFactory
from conftest import sign_in
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]
LINK = re.compile(r"https?://\S+")
NOW = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)


def path_of(message: mail.EmailMessage) -> str:
    return urlsplit(LINK.findall(message.body)[0]).path


def personal_values(application: Application) -> list[str]:
    return [
        application.contact_email,
        application.primary_name,
        application.primary_email,
        application.primary_phone,
        application.alternate_name,
        application.alternate_email,
        application.alternate_phone,
        application.signature_name,
    ]


@pytest.fixture
def meeting(db: None) -> Meeting:
    # A coalition meeting on Tuesday 26 January 2027 at 9:00 in Martinez.
    start = datetime.datetime(2027, 1, 26, 17, 0, tzinfo=datetime.UTC)
    return Meeting.objects.create(
        title="Coalition meeting", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )


@time_machine.travel(NOW, tick=False)
def test_the_confirmation_names_the_day_before_the_meeting_in_the_applicants_language(
    meeting: Meeting,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    english = ApplicationFactory(status=ApplicationStatus.UNCONFIRMED, confirmed_at=None)
    spanish = ApplicationFactory(
        status=ApplicationStatus.UNCONFIRMED, confirmed_at=None, language="es"
    )

    with django_capture_on_commit_callbacks(execute=True):
        applicant.confirm_email(application=english)
        applicant.confirm_email(application=spanish)
    run_queued_tasks()

    sent = {message.to[0]: message for message in mailoutbox}
    assert "By Jan. 25, 2027, the day before" in sent[english.contact_email].body
    assert "25 de enero de 2027" in sent[spanish.contact_email].body
    assert english.reference in sent[english.contact_email].subject
    assert path_of(sent[english.contact_email]).startswith("/apply/open/")
    assert path_of(sent[spanish.contact_email]).startswith("/es/apply/open/")


@time_machine.travel(NOW, tick=False)
def test_coordinators_are_told_of_arrivals_in_their_language_without_personal_data(
    meeting: Meeting,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    coordinator = CoordinatorFactory(language="es")
    application = ApplicationFactory(status=ApplicationStatus.UNCONFIRMED, confirmed_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        applicant.confirm_email(application=application)
    run_queued_tasks()

    told = [message for message in mailoutbox if message.to == [coordinator.email]]
    assert len(told) == 1
    assert application.legal_name in told[0].body
    assert path_of(told[0]) == f"/es/manage/applications/{application.pk}/"
    text = told[0].subject + told[0].body
    assert [value for value in personal_values(application) if value in text] == []


@time_machine.travel(NOW, tick=False)
def test_due_warnings_link_to_the_application_and_hold_no_personal_data(
    meeting: Meeting,
    coordinator: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    application = ApplicationFactory(meeting=meeting, decide_by=datetime.date(2027, 1, 10))

    with django_capture_on_commit_callbacks(execute=True):
        assert upkeep.queue_due_warnings(today=timezone.localdate()) == 1
    run_queued_tasks()

    (message,) = mailoutbox
    assert message.to == [coordinator.email]
    assert "must be decided by Jan. 10, 2027" in message.body
    text = message.subject + message.body
    assert [value for value in personal_values(application) if value in text] == []
    # Signed in after the clock moved: a session from before would have expired.
    assert sign_in(Client(), coordinator).get(path_of(message)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_a_due_warning_is_not_sent_once_the_application_is_decided(
    coordinator: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    application = ApplicationFactory(decide_by=datetime.date(2027, 1, 6))
    with django_capture_on_commit_callbacks(execute=True):
        upkeep.queue_due_warnings(today=timezone.localdate())
    review.decline_application(actor=coordinator, application=application, reason="Not now.")

    send_due_warning.call(999_999)
    run_queued_tasks()

    assert [m for m in mailoutbox if "due for a decision" in m.subject] == []


@time_machine.travel(NOW, tick=False)
def test_the_decision_email_uses_the_edited_template_with_placeholders_filled(
    meeting: Meeting,
    coordinator: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    template = DecisionTemplate.objects.get(kind=DecisionKind.DECLINED, language="es")
    review.update_decision_template(
        actor=coordinator,
        template=template,
        values={
            "subject": "Solicitud {reference}: decisión",
            "body": "Hola {agency}. Motivo: {reason}. Antes del {hear_by}. {link} {unknown}",
        },
    )
    application = ApplicationFactory(language="es", meeting=meeting)

    with django_capture_on_commit_callbacks(execute=True):
        review.decline_application(actor=coordinator, application=application, reason="Fuera")
    run_queued_tasks()

    (message,) = mailoutbox
    assert message.to == [application.contact_email]
    assert message.subject == f"Solicitud {application.reference}: decisión"
    assert message.body.startswith(f"Hola {application.legal_name}. Motivo: Fuera. Antes del 25 de")
    assert "{unknown}" in message.body  # not a placeholder: left as typed
    assert path_of(message).startswith("/es/apply/open/")


@time_machine.travel(NOW, tick=False)
def test_the_link_in_the_decision_email_opens_the_application(
    coordinator: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        review.request_information(
            actor=coordinator,
            application=application,
            message="Tell us about your training.",
            due=datetime.date(2027, 1, 20),
        )
    run_queued_tasks()
    (message,) = mailoutbox
    assert "Tell us about your training." in message.body
    assert "Jan. 20, 2027" in message.body

    response = Client().get(path_of(message))

    assert response.status_code == 302
    assert response["Location"] == "/apply/review/"  # every step is answered


def test_the_confirm_link_confirms_the_address(
    db: None, mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: Capture
) -> None:
    application = DraftFactory()
    for step in ("agency", "people", "commitment", "values", "agreement"):
        application.completed_steps.append(step)
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        applicant.submit_application(application=application)
    run_queued_tasks()
    (message,) = mailoutbox
    client = Client()
    url = path_of(message)

    assert client.get(url).status_code == 200
    response = client.post(url)

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.IN_REVIEW


def test_tasks_for_a_missing_or_erased_application_send_nothing(
    db: None,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    erased = ApplicationFactory(status=ApplicationStatus.DECLINED, erased_at=timezone.now())

    for application_id in (erased.pk, 999_999):
        send_confirmation.call(application_id)
        send_decision.call(application_id)
        notify_reviewers.call(999_999, "arrived")
    send_renewal_notice.call(999_999)

    assert mailoutbox == []


def test_the_renewal_notice_goes_to_the_primary_representative_in_their_language(
    agency_a: Agency, mailoutbox: list[mail.EmailMessage]
) -> None:
    primary = UserFactory(agency=agency_a, agency_role=AgencyRole.PRIMARY, language="es")
    UserFactory(agency=agency_a, agency_role=AgencyRole.ALTERNATE)
    term = MembershipTerm.objects.create(
        agency=agency_a, starts_on=datetime.date(2026, 2, 1), ends_on=datetime.date(2027, 1, 31)
    )

    send_renewal_notice.call(term.pk)

    (message,) = mailoutbox
    assert message.to == [primary.email]
    assert "Agency A" in message.body
    assert "31 de enero de 2027" in message.body
    assert path_of(message) == "/es/membership/renew/"


def test_the_daily_job_reports_what_it_did(db: None) -> None:
    assert membership_upkeep.call() == {
        "retargeted": 0,
        "warnings": 0,
        "renewal_notices": 0,
        "lapsed": 0,
        "erased": 0,
    }
