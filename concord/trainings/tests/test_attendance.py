import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.trainings.models import Certificate, RegistrationStatus, SessionStatus
from concord.trainings.services.attendance import record_attendance
from concord.trainings.services.certificates import CODE_ALPHABET, CODE_LENGTH
from concord.trainings.tests.factories import PastSessionFactory, SeatFactory
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]


def _post(session: Any, seats: list[Any], attended: set[int]) -> dict[str, str]:
    return {f"registration_{seat.pk}": "yes" if seat.pk in attended else "no" for seat in seats}


def test_attendees_get_a_certificate_with_the_figures_copied(db: None) -> None:
    session = PastSessionFactory(training__title="Labor trafficking", training__length_minutes=90)
    came, missed = SeatFactory(session=session, name="Ana"), SeatFactory(session=session)

    result = record_attendance(
        actor=None, session=session, attended={came.pk: True, missed.pk: False}, notify=False
    )

    certificate = Certificate.objects.get()
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)
    assert came.attendance_recorded_at is not None
    assert result.issued == [certificate.pk]
    assert certificate.registration == came
    assert certificate.holder_name == "Ana"
    assert certificate.training_title == "Labor trafficking"
    assert str(certificate.hours) == "1.50"
    assert certificate.session_date == timezone.localtime(session.starts_at).date()
    assert len(certificate.code) == CODE_LENGTH
    assert set(certificate.code) <= set(CODE_ALPHABET)
    assert AuditEvent.objects.filter(action="concord.training.attendance_recorded").count() == 1


def test_marking_an_attendee_absent_revokes_and_present_again_restores_the_certificate(
    db: None,
) -> None:
    seat = SeatFactory()
    record_attendance(actor=None, session=seat.session, attended={seat.pk: True}, notify=False)
    code = Certificate.objects.get().code

    revoked = record_attendance(
        actor=None, session=seat.session, attended={seat.pk: False}, notify=False
    )
    assert revoked.revoked == 1
    assert Certificate.objects.get().revoked_at is not None

    restored = record_attendance(
        actor=None, session=seat.session, attended={seat.pk: True}, notify=False
    )
    certificate = Certificate.objects.get()
    assert restored.issued == [certificate.pk]
    assert (certificate.code, certificate.revoked_at) == (code, None)


def test_saving_the_same_attendance_twice_changes_nothing_the_second_time(db: None) -> None:
    seat = SeatFactory()
    record_attendance(actor=None, session=seat.session, attended={seat.pk: True}, notify=False)

    again = record_attendance(
        actor=None, session=seat.session, attended={seat.pk: True}, notify=False
    )

    assert (again.changed, again.issued, again.revoked) == (0, [], 0)
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="concord.training.attendance_recorded").count() == 1


def test_attendance_is_refused_before_the_start_for_a_cancelled_session_and_off_roster(
    db: None,
) -> None:
    later = timezone.now() + datetime.timedelta(days=2)
    upcoming = SeatFactory(session__starts_at=later)
    cancelled = SeatFactory(session__status=SessionStatus.CANCELLED)
    waiting = SeatFactory(status=RegistrationStatus.WAITLISTED)

    for seat in (upcoming, cancelled, waiting):
        with pytest.raises(ValidationError):
            record_attendance(actor=None, session=seat.session, attended={seat.pk: True})

    assert Certificate.objects.count() == 0


def test_the_trainer_records_attendance_in_one_post(
    representative: User, representative_client: Client
) -> None:
    session = PastSessionFactory()
    session.training.trainers.add(representative)
    seats = [SeatFactory(session=session) for _ in range(3)]
    url = reverse("trainings:attendance-record", args=[session.pk])

    page = representative_client.get(url)
    response = representative_client.post(url, _post(session, seats, {seats[0].pk, seats[2].pk}))

    assert page.status_code == 200
    assert seats[1].name in page.content.decode()
    assert response.status_code == 302
    assert sorted(session.registrations.filter(attended=True).values_list("pk", flat=True)) == [
        seats[0].pk,
        seats[2].pk,
    ]
    assert Certificate.objects.count() == 2


def test_the_roster_lists_registered_people_only(coordinator_client: Client) -> None:
    session = PastSessionFactory()
    seated = SeatFactory(session=session, name="Seated Person")
    SeatFactory(session=session, name="Waiting Person", status=RegistrationStatus.WAITLISTED)
    SeatFactory(session=session, name="Gone Person", status=RegistrationStatus.CANCELLED)

    body = coordinator_client.get(
        reverse("trainings:attendance-record", args=[session.pk])
    ).content.decode()

    assert seated.name in body
    assert "Waiting Person" not in body
    assert "Gone Person" not in body


def test_attendance_cannot_be_posted_before_the_session_starts(
    coordinator_client: Client,
) -> None:
    seat = SeatFactory(session__starts_at=timezone.now() + datetime.timedelta(days=1))

    response = coordinator_client.post(
        reverse("trainings:attendance-record", args=[seat.session.pk]),
        {f"registration_{seat.pk}": "yes"},
    )

    assert response.status_code == 200
    assert "once the session has started" in response.content.decode()
    seat.refresh_from_db()
    assert seat.attended is None


def test_people_who_do_not_run_the_session_are_refused(
    member_client: Client, outsider_client: Client
) -> None:
    seat = SeatFactory()
    url = reverse("trainings:attendance-record", args=[seat.session.pk])

    for client in (member_client, outsider_client):
        assert client.get(url).status_code == 403
        assert client.post(url, {f"registration_{seat.pk}": "yes"}).status_code == 403

    seat.refresh_from_db()
    assert seat.attended is None


def _queries_to_record(client: Client, count: int) -> int:
    session = PastSessionFactory()
    seats = [SeatFactory(session=session) for _ in range(count)]
    data = _post(session, seats, {seat.pk for seat in seats[::2]})
    url = reverse("trainings:attendance-record", args=[session.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    return len(queries)


def test_recording_attendance_takes_the_same_queries_for_few_and_many_people(
    coordinator_client: Client,
) -> None:
    _queries_to_record(coordinator_client, 1)  # the session's first request loads more

    assert _queries_to_record(coordinator_client, 2) == _queries_to_record(coordinator_client, 25)


def test_the_roster_page_takes_the_same_queries_for_few_and_many_people(
    coordinator_client: Client,
) -> None:
    counts = []
    for size in (1, 2, 25):
        session = PastSessionFactory()
        seats = [SeatFactory(session=session) for _ in range(size)]
        record_attendance(
            actor=None, session=session, attended={s.pk: True for s in seats}, notify=False
        )
        with CaptureQueriesContext(connection) as queries:
            coordinator_client.get(reverse("trainings:attendance-record", args=[session.pk]))
        counts.append(len(queries))

    assert counts[1] == counts[2]


LINK = re.compile(r"https?://\S+")


def test_attendees_are_emailed_a_link_to_their_own_certificate_pdf(
    coordinator_client: Client, smtp_server: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = PastSessionFactory(training__title="Outreach to businesses")
    came = SeatFactory(session=session, name="Bea Attendee", email="bea@example.net")
    other = SeatFactory(session=session, name="Cy Neighbour", email="cy@example.net")
    missed = SeatFactory(session=session, name="Di Absent", email="di@example.net")
    url = reverse("trainings:attendance-record", args=[session.pk])

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, _post(session, [came, other, missed], {came.pk, other.pk}))
    run_queued_tasks()

    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == ["bea@example.net", "cy@example.net"]
    message = next(m for m in smtp_server.messages if m["To"] == "bea@example.net")
    body = message.get_body(("plain",)).get_content()
    assert "Outreach to businesses" in body
    for private in ("Cy Neighbour", "cy@example.net", "Di Absent", "bea@example.net"):
        assert private not in body
        assert private not in message["Subject"]
    links = LINK.findall(body)
    pdf_path = urlsplit(links[0]).path
    assert "bea" not in pdf_path
    certificate = Certificate.objects.get(registration=came)
    assert urlsplit(links[1]).path == certificate.get_absolute_url()

    download = Client().get(pdf_path)

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
