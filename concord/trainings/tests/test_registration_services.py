import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.trainings.models import RegistrationStatus, SessionStatus, TrainingSession
from concord.trainings.services import catalogue
from concord.trainings.services import registration as registrations
from concord.trainings.services.registration import Purpose
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def _public(session: TrainingSession, email: str = "pat@example.net") -> Any:
    return registrations.register_public(
        session=session,
        name="Pat Public",
        email=email,
        affiliation="Martinez Clinic",
        sector="health_care",
        language="en",
    )


def test_a_public_registration_is_pending_and_holds_no_seat() -> None:
    session = SessionFactory(capacity=1)

    registration = _public(session)

    assert registration.status == RegistrationStatus.PENDING
    assert registration.queued_at is None
    assert registrations.seats_taken(session) == 0


def test_confirming_takes_a_seat_while_one_is_left_then_the_waitlist() -> None:
    session = SessionFactory(capacity=1)
    first, second = _public(session, "one@example.net"), _public(session, "two@example.net")

    first = registrations.confirm_registration(registration=first)
    second = registrations.confirm_registration(registration=second)

    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.WAITLISTED
    assert second.queued_at is not None


def test_confirming_twice_changes_nothing() -> None:
    registration = _public(SessionFactory())
    confirmed = registrations.confirm_registration(registration=registration)

    again = registrations.confirm_registration(registration=confirmed)

    assert again.status == RegistrationStatus.REGISTERED
    assert again.queued_at == confirmed.queued_at


def test_a_confirmation_after_48_hours_is_refused() -> None:
    registration = _public(SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=9)))

    with (
        time_machine.travel(timezone.now() + datetime.timedelta(hours=49)),
        pytest.raises(ValidationError, match="expired"),
    ):
        registrations.confirm_registration(registration=registration)


def test_the_same_address_twice_for_one_session_is_refused() -> None:
    session = SessionFactory()
    _public(session, "pat@example.net")

    with pytest.raises(ValidationError) as refused:
        _public(session, "PAT@example.net")

    assert refused.value.message_dict == {
        "email": ["This email address is already registered for this session."]
    }


def test_registration_closes_at_the_deadline_and_when_the_session_is_cancelled(
    member: User,
) -> None:
    past_deadline = SessionFactory(
        registration_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    cancelled = SessionFactory(status=SessionStatus.CANCELLED)

    with pytest.raises(ValidationError, match="closed"):
        _public(past_deadline)
    with pytest.raises(ValidationError, match="cancelled"):
        registrations.register_person(actor=member, session=cancelled)


def test_a_signed_in_person_is_registered_at_once_with_their_account(member: User) -> None:
    session = SessionFactory(capacity=1)

    registration = registrations.register_person(actor=member, session=session)

    assert registration.status == RegistrationStatus.REGISTERED
    assert (registration.name, registration.email) == (member.full_name, member.email)
    assert registration.affiliation == member.agency.name  # type: ignore[union-attr]
    assert registration.sector == member.agency.sector  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(
        action="concord.training.registration.created", object_id=str(registration.pk)
    ).exists()


def test_cancelling_a_seat_promotes_the_first_waitlisted_and_emails_them(
    smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFactory(capacity=1)
    seat = RegistrationFactory(session=session)
    now = timezone.now()
    later = RegistrationFactory(
        session=session,
        status=RegistrationStatus.WAITLISTED,
        queued_at=now,
        email="later@example.net",
    )
    first = RegistrationFactory(
        session=session,
        status=RegistrationStatus.WAITLISTED,
        queued_at=now - datetime.timedelta(minutes=5),
        email="first@example.net",
    )

    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_registration(registration=seat, actor=None)
    run_queued_tasks()

    first.refresh_from_db()
    later.refresh_from_db()
    assert first.status == RegistrationStatus.REGISTERED
    assert later.status == RegistrationStatus.WAITLISTED
    assert [message["To"] for message in smtp_server.messages] == ["first@example.net"]
    assert smtp_server.messages[0]["Subject"].startswith("A seat is now yours")
    assert "/trainings/registrations/cancel/" in smtp_server.bodies()[0]


def test_cancelling_a_waitlist_place_promotes_nobody() -> None:
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)
    other = RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)

    registrations.cancel_registration(registration=waiting, actor=None)

    other.refresh_from_db()
    assert other.status == RegistrationStatus.WAITLISTED


def test_pending_registrations_expire_after_48_hours_holding_nothing() -> None:
    session = SessionFactory(capacity=1)
    stale = _public(session, "stale@example.net")
    fresh = _public(session, "fresh@example.net")
    type(stale).objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=49)
    )

    expired = registrations.expire_pending_registrations(now=timezone.now())

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert expired == 1
    assert stale.status == RegistrationStatus.CANCELLED
    assert fresh.status == RegistrationStatus.PENDING
    # The expired address may register again.
    assert _public(session, "stale@example.net").status == RegistrationStatus.PENDING


def test_lowering_the_capacity_below_the_registered_is_refused_naming_the_number(
    coordinator: User,
) -> None:
    session = SessionFactory(capacity=5)
    RegistrationFactory.create_batch(3, session=session)

    with pytest.raises(ValidationError) as refused:
        catalogue.update_session(actor=coordinator, session=session, values={"capacity": 2})

    assert refused.value.message_dict == {
        "capacity": ["3 people are registered: the capacity cannot be lower."]
    }
    session.refresh_from_db()
    assert session.capacity == 5


def test_raising_the_capacity_promotes_the_waitlist_in_order(coordinator: User) -> None:
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    now = timezone.now()
    waiting = [
        RegistrationFactory(
            session=session,
            status=RegistrationStatus.WAITLISTED,
            queued_at=now + datetime.timedelta(seconds=index),
        )
        for index in range(3)
    ]

    catalogue.update_session(actor=coordinator, session=session, values={"capacity": 3})

    statuses = [type(r).objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ]


def test_cancelling_a_session_emails_everyone_holding_a_place(
    coordinator: User, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session, email="seat@example.net")
    RegistrationFactory(
        session=session, status=RegistrationStatus.WAITLISTED, email="wait@example.net"
    )
    RegistrationFactory(
        session=session, status=RegistrationStatus.CANCELLED, email="gone@example.net"
    )

    with django_capture_on_commit_callbacks(execute=True):
        catalogue.cancel_session(actor=coordinator, session=session)
    run_queued_tasks()

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.sequence == 1
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "seat@example.net",
        "wait@example.net",
    ]


def test_a_forged_or_other_purpose_token_finds_nothing() -> None:
    registration = _public(SessionFactory())
    cancel = registrations.make_token(registration, Purpose.CANCEL)

    assert registrations.registration_for_token("not-a-token", Purpose.CONFIRM) is None
    assert registrations.registration_for_token(cancel, Purpose.CONFIRM) is None
    assert registrations.registration_for_token(cancel, Purpose.CANCEL) == registration


def test_the_daily_upkeep_reports_the_expired_registrations() -> None:
    from concord.trainings.tasks import trainings_upkeep

    stale = _public(SessionFactory())
    type(stale).objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )

    assert trainings_upkeep.call() == {"expired": 1}
