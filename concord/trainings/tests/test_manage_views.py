import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.trainings.models import (
    RegistrationStatus,
    SessionStatus,
    Training,
    TrainingSession,
)
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory, TrainingFactory
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def _session_answers(**overrides: Any) -> dict[str, Any]:
    return {
        "date": "2031-05-06",
        "start_time": "09:00",
        "end_time": "11:00",
        "time_zone": "America/Los_Angeles",
        "delivery": "in_person",
        "location": "1025 Escobar St, Martinez",
        "online_url": "",
        "capacity": "25",
        "deadline_date": "2031-05-05",
        "deadline_time": "17:00",
        "visibility": "public",
        **overrides,
    }


def test_a_coordinator_adds_a_training_then_its_first_session(
    coordinator_client: Client, representative: User, agency_a: Any
) -> None:
    response = coordinator_client.post(
        reverse("trainings:training-create"),
        {
            "title": "Labor trafficking indicators",
            "summary": "What inspectors see first.",
            "audiences": ["labor_inspectors"],
            "length_minutes": "90",
            "language": "en",
            "is_active": "on",
            "trainers": [representative.pk],
            "trainer_agencies": [agency_a.pk],
        },
    )
    training = Training.objects.get()
    assert response["Location"] == reverse("trainings:session-create", args=[training.pk])
    assert list(training.trainers.all()) == [representative]

    created = coordinator_client.post(
        reverse("trainings:session-create", args=[training.pk]), _session_answers()
    )

    session = TrainingSession.objects.get()
    assert created["Location"] == session.get_absolute_url()
    assert session.starts_at.isoformat() == "2031-05-06T16:00:00+00:00"
    assert session.registration_deadline.isoformat() == "2031-05-06T00:00:00+00:00"
    assert AuditEvent.objects.filter(action="concord.training.session.created").count() == 1


def test_a_deadline_after_the_start_is_refused(coordinator_client: Client) -> None:
    training = TrainingFactory()

    response = coordinator_client.post(
        reverse("trainings:session-create", args=[training.pk]),
        _session_answers(deadline_date="2031-05-07"),
    )

    assert response.status_code == 200
    assert "Registration must close before the session starts." in response.content.decode()
    assert TrainingSession.objects.count() == 0


def test_lowering_the_capacity_below_the_registered_is_refused_with_the_number(
    coordinator_client: Client,
) -> None:
    session = SessionFactory(capacity=10)
    RegistrationFactory.create_batch(4, session=session)

    response = coordinator_client.post(
        reverse("trainings:session-edit", args=[session.pk]), _session_answers(capacity="3")
    )

    assert response.status_code == 200
    assert "4 people are registered: the capacity cannot be lower." in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 10


def test_raising_the_capacity_gives_the_waitlisted_a_seat_and_an_email(
    coordinator_client: Client, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(
        session=session, status=RegistrationStatus.WAITLISTED, email="wait@example.net"
    )

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("trainings:session-edit", args=[session.pk]), _session_answers(capacity="2")
        )
    run_queued_tasks()

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [message["To"] for message in smtp_server.messages] == ["wait@example.net"]


def test_cancelling_a_session_keeps_it_marked_cancelled(coordinator_client: Client) -> None:
    session = SessionFactory()

    response = coordinator_client.post(reverse("trainings:session-cancel", args=[session.pk]))

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.status == SessionStatus.CANCELLED


def test_the_roster_csv_neutralises_formulas_and_is_audited(
    representative_client: Client, training_session: TrainingSession
) -> None:
    RegistrationFactory(session=training_session, name="=HYPERLINK(1)")

    response = representative_client.get(
        reverse("trainings:session-roster-csv", args=[training_session.pk])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"].startswith("attachment")
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert AuditEvent.objects.filter(action="concord.training.roster.exported").count() == 1


def test_the_roster_groups_registrations_by_status(
    coordinator_client: Client, training_session: TrainingSession
) -> None:
    RegistrationFactory(session=training_session, name="Seated Person")
    RegistrationFactory(
        session=training_session, name="Waiting Person", status=RegistrationStatus.WAITLISTED
    )

    page = coordinator_client.get(
        reverse("trainings:session-roster", args=[training_session.pk])
    ).content.decode()

    assert (
        page.index("Seated Person") < page.index("On the waitlist") < page.index("Waiting Person")
    )


def test_people_who_do_not_run_the_session_get_no_roster(
    member_client: Client, training_session: TrainingSession
) -> None:
    RegistrationFactory(session=training_session, name="Private Person")

    response = member_client.get(reverse("trainings:session-roster", args=[training_session.pk]))

    assert response.status_code == 403
    assert b"Private Person" not in response.content
