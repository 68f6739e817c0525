"""An SMTP outage loses no email: messages wait, encrypted, and go out with back-off when
the server is back (issue 10). A real SMTP server on loopback, started and stopped."""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import send_mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from concord.core.mail import MAX_RETRY, deliver_queued, retry_delay
from concord.core.models import QueuedEmail
from tests.mail import Mailbox, _free_port
from tests.tasks import run_queued_tasks

ADDRESS = "queued-person@example.org"


@pytest.fixture
def mail_port(settings: Any) -> int:
    """Concord's settings for an SMTP server on a port where nothing listens yet."""
    port = _free_port()
    settings.EMAIL_BACKEND = "concord.core.mail.QueuedSMTPBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return port


@pytest.fixture
def server_later(mail_port: int) -> Iterator[Callable[[], Mailbox]]:
    """A function that starts the SMTP server on the configured port, when a test says."""
    started: list[Controller] = []

    def start() -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=mail_port)
        controller.start()
        started.append(controller)
        return mailbox

    yield start
    for controller in started:
        controller.stop()


def test_a_message_sent_while_the_server_is_down_waits_encrypted(
    db: None, server_later: Callable[[], Mailbox]
) -> None:
    accepted = send_mail("Your request", "A link: https://x.test/a", None, [ADDRESS])

    row = QueuedEmail.objects.get()
    assert accepted == 1  # the sender's task succeeds: nothing to retry there
    assert row.recipients == ADDRESS
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipients, message FROM core_queuedemail")
        raw = " ".join(cursor.fetchone())
    assert ADDRESS not in raw
    assert "Your request" not in raw


def test_it_goes_out_once_when_the_server_is_back_and_leaves_nothing_behind(
    db: None, server_later: Callable[[], Mailbox]
) -> None:
    send_mail("Your request", "Body text", None, [ADDRESS])
    mailbox = server_later()

    later = timezone.now() + datetime.timedelta(minutes=2)
    first = deliver_queued(now=later)
    second = deliver_queued(now=later)

    assert first == {"sent": 1, "waiting": 0}
    assert second == {"sent": 0, "waiting": 0}
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0]["To"] == ADDRESS
    assert mailbox.messages[0]["Subject"] == "Your request"
    assert [body.strip() for body in mailbox.bodies()] == ["Body text"]
    assert QueuedEmail.objects.count() == 0


def test_a_message_is_not_retried_before_it_is_due(
    db: None, server_later: Callable[[], Mailbox]
) -> None:
    send_mail("Soon", "Body", None, [ADDRESS])
    mailbox = server_later()

    result = deliver_queued(now=timezone.now())

    assert result == {"sent": 0, "waiting": 0}
    assert mailbox.messages == []
    assert QueuedEmail.objects.count() == 1


def test_an_hour_long_outage_backs_off_and_loses_nothing(
    db: None, server_later: Callable[[], Mailbox]
) -> None:
    send_mail("One", "Body", None, [ADDRESS])
    send_mail("Two", "Body", None, ["other@example.org"])
    now = timezone.now()
    gaps = []
    # The scheduler passes every minute for an hour with the server down.
    for minute in range(60):
        at = now + datetime.timedelta(minutes=minute)
        deliver_queued(now=at)
        gaps.append(QueuedEmail.objects.order_by("pk").first().next_attempt_at)  # type: ignore[union-attr]
    row = QueuedEmail.objects.order_by("pk").first()
    assert row is not None
    assert 4 <= row.attempts <= 7  # 1, 2, 4, 8, 16, 30, 30... minutes apart, not 60 tries
    assert len(set(gaps)) == row.attempts  # one wait per attempt

    mailbox = server_later()
    deliver_queued(now=now + datetime.timedelta(hours=2))

    assert sorted(message["Subject"] for message in mailbox.messages) == ["One", "Two"]
    assert QueuedEmail.objects.count() == 0


def test_the_delay_doubles_up_to_half_an_hour() -> None:
    delays = [retry_delay(attempts).total_seconds() for attempts in range(1, 9)]

    assert delays == [60, 120, 240, 480, 960, 1800, 1800, 1800]
    assert MAX_RETRY == 1800


def test_with_the_server_up_nothing_is_queued(db: None, smtp_server: Mailbox) -> None:
    send_mail("Direct", "Body", None, [ADDRESS])

    assert len(smtp_server.messages) == 1
    assert QueuedEmail.objects.count() == 0


# The coordinators' page


def test_coordinators_see_how_many_wait_and_why_but_not_to_whom(
    db: None, server_later: Callable[[], Mailbox], coordinator_client: Any
) -> None:
    send_mail("Private subject", "Body", None, [ADDRESS])

    response = coordinator_client.get(reverse("core:email-queue"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 message has been waiting" in html
    assert "ConnectionRefusedError" in html
    assert ADDRESS not in html
    assert "Private subject" not in html


def test_members_cannot_see_the_queue(member_client: Any) -> None:
    assert member_client.get(reverse("core:email-queue")).status_code == 403
    assert member_client.post(reverse("core:email-queue-retry")).status_code == 403


def test_trying_again_makes_every_waiting_message_due_and_queues_a_delivery(
    db: None, server_later: Callable[[], Mailbox], coordinator_client: Any
) -> None:
    send_mail("One", "Body", None, [ADDRESS])
    mailbox = server_later()

    response = coordinator_client.post(reverse("core:email-queue-retry"))
    run_queued_tasks()

    assert response.status_code == 302
    assert [message["Subject"] for message in mailbox.messages] == ["One"]
    assert QueuedEmail.objects.count() == 0
