import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from concord.accounts.models import User
from concord.trainings.models import Delivery, Registration, RegistrationStatus, Visibility
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def _answers(**overrides: str) -> dict[str, str]:
    return {
        "name": "Pat Public",
        "email": "pat@example.net",
        "affiliation": "Martinez Clinic",
        "sector": "health_care",
        "language": "en",
        "homepage": "",
        "submission_token": str(uuid.uuid4()),
        **overrides,
    }


def _register(client: Client, session: Any, **overrides: str) -> Any:
    return client.post(
        reverse("trainings:session-register", args=[session.pk]), _answers(**overrides)
    )


def _link(mailbox: Mailbox, pattern: str) -> str:
    for body in reversed(mailbox.bodies()):
        if found := re.search(r"https?://[^/\s]+(\S*" + pattern + r"\S*)", body):
            return found.group(1)
    raise AssertionError(f"No email with a link matching {pattern}")


def test_the_public_registers_confirms_by_email_and_gets_a_seat(
    client: Client, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFactory(capacity=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, session)
    run_queued_tasks()

    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:registration-sent", args=[session.pk])
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    confirm = _link(smtp_server, "/trainings/registrations/confirm/")
    assert "pat@example.net" not in confirm
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Confirm my registration" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirm)
    run_queued_tasks()

    registration.refresh_from_db()
    assert confirmed.status_code == 200
    assert registration.status == RegistrationStatus.REGISTERED
    assert smtp_server.messages[-1]["Subject"].startswith("You have a seat")


def test_confirming_when_the_session_is_full_joins_the_waitlist_and_says_so(
    client: Client, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, session)
    run_queued_tasks()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_link(smtp_server, "/trainings/registrations/confirm/"))
    run_queued_tasks()

    assert "you are on the waitlist" in response.content.decode()
    assert Registration.objects.get(email="pat@example.net").status == (
        RegistrationStatus.WAITLISTED
    )
    assert smtp_server.messages[-1]["Subject"].startswith("You are on the waitlist")


def test_an_unconfirmed_registration_is_not_a_seat(client: Client) -> None:
    session = SessionFactory(capacity=1)
    _register(client, session)

    page = client.get(session.get_absolute_url())

    assert Registration.objects.get().status == RegistrationStatus.PENDING
    assert "1 seat left" in page.content.decode()


def test_a_filled_honeypot_creates_nothing(client: Client) -> None:
    session = SessionFactory()

    response = _register(client, session, homepage="https://spam.example.com")

    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_registrations_are_limited_per_address(client: Client, settings: Any) -> None:
    settings.TRAININGS_RATE_PER_ADDRESS = 2
    sessions = SessionFactory.create_batch(3)
    for session in sessions[:2]:
        _register(client, session, email="busy@example.net")

    response = _register(client, sessions[2], email="busy@example.net")

    assert response.status_code == 200
    assert "Too many requests" in response.content.decode()
    assert Registration.objects.count() == 2


def test_registrations_are_limited_per_ip_address(client: Client, settings: Any) -> None:
    settings.TRAININGS_RATE_PER_IP = 1
    session = SessionFactory()
    _register(client, session, email="one@example.net")

    response = _register(client, session, email="two@example.net")

    assert "Too many requests" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_double_submit_creates_one_registration(client: Client) -> None:
    session = SessionFactory()
    token = str(uuid.uuid4())

    first = _register(client, session, submission_token=token)
    second = _register(client, session, submission_token=token)

    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1


def test_the_same_address_twice_is_refused_with_a_clear_message(client: Client) -> None:
    session = SessionFactory()
    _register(client, session)

    response = _register(client, session, email="PAT@example.net")

    assert response.status_code == 200
    assert "already registered for this session" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_bad_form_shows_its_errors_and_creates_nothing(client: Client) -> None:
    session = SessionFactory()

    response = _register(client, session, email="not-an-address", sector="")

    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode()
    assert Registration.objects.count() == 0


def test_the_form_is_gone_once_registration_closed(client: Client) -> None:
    from django.utils import timezone

    session = SessionFactory(registration_deadline=timezone.now())

    page = client.get(session.get_absolute_url())

    assert "Registration for this session is closed." in page.content.decode()
    assert 'name="email"' not in page.content.decode()


def test_a_member_registers_in_one_click_and_cancels_from_the_session_page(
    member_client: Client, member: User
) -> None:
    session = SessionFactory(capacity=1)

    response = member_client.post(reverse("trainings:session-register", args=[session.pk]))
    registration = Registration.objects.get()
    page = member_client.get(session.get_absolute_url())
    member_client.post(reverse("trainings:registration-cancel", args=[registration.public_id]))

    assert response.status_code == 302
    assert registration.person == member
    assert registration.status == RegistrationStatus.REGISTERED
    assert "Cancel my registration" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_another_persons_registration_cannot_be_cancelled(
    outsider_client: Client, training_registration: Registration
) -> None:
    url = reverse("trainings:registration-cancel", args=[training_registration.public_id])

    response = outsider_client.post(url)

    assert response.status_code == 404
    training_registration.refresh_from_db()
    assert training_registration.status == RegistrationStatus.REGISTERED


def test_the_emailed_cancel_link_cancels_after_a_confirming_post(
    client: Client, smtp_server: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, session)
    run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(smtp_server, "/trainings/registrations/confirm/"))
    run_queued_tasks()
    cancel = _link(smtp_server, "/trainings/registrations/cancel/")

    client.get(cancel)
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED
    response = client.post(cancel)

    assert response.status_code == 200
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED


def test_members_only_sessions_are_hidden_from_the_public_and_outsiders_see_no_link(
    client: Client, member_client: Client, outsider_client: Client, member: User
) -> None:
    session = SessionFactory(
        visibility=Visibility.MEMBERS,
        delivery=Delivery.ONLINE,
        online_url="https://meet.example.org/secret-room",
    )
    RegistrationFactory(session=session, person=member, email=member.email)

    anonymous = client.get(session.get_absolute_url())
    registered = member_client.get(session.get_absolute_url())
    other = outsider_client.get(session.get_absolute_url())

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert "secret-room" in registered.content.decode()
    assert other.status_code == 200  # agency B is a member agency too
    assert "secret-room" not in other.content.decode()


def test_my_trainings_lists_only_ones_own_registrations(
    member_client: Client, member: User
) -> None:
    mine = RegistrationFactory(person=member, email=member.email, session__training__title="Mine")
    RegistrationFactory(session__training__title="Somebody else's")

    page = member_client.get(reverse("trainings:my-trainings")).content.decode()

    assert "Mine" in page
    assert "Somebody else" not in page
    assert str(mine.public_id) in page


def test_an_expired_confirmation_link_says_so(client: Client) -> None:
    import time_machine
    from django.utils import timezone

    from concord.trainings.services.registration import Purpose, make_token

    registration = RegistrationFactory(status=RegistrationStatus.PENDING, queued_at=None)
    token = make_token(registration, Purpose.CONFIRM)

    with time_machine.travel(timezone.now() + timezone.timedelta(hours=49)):
        response = client.get(reverse("trainings:registration-confirm", args=[token]))

    assert response.status_code == 410
