"""Email that survives an SMTP outage.

``QueuedSMTPBackend`` is Django's SMTP backend that, when the server cannot be reached or
refuses a message for a temporary reason, keeps the message in ``QueuedEmail`` instead of
losing it (the task that sent it succeeds). ``deliver_queued`` sends what waits, with
back-off, on every scheduler pass; coordinators see the queue at /manage/email-queue/.
"""

import base64
import contextlib
import datetime
import logging
import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.utils import timezone

from concord.core.models import QueuedEmail

logger = logging.getLogger("concord.mail")

# Seconds before the first retry; each failure doubles it, up to the cap.
FIRST_RETRY = 60
MAX_RETRY = 30 * 60
# smtplib's errors are OSErrors, as are a refused or timed-out connection: all of them mean
# "try again later", except a refused recipient, which the sender is told about at once.
PERMANENT = (smtplib.SMTPRecipientsRefused,)


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY))


class QueuedSMTPBackend(EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        waiting: list[tuple[EmailMessage, Exception]] = []
        sent = 0
        try:
            opened = self.open()
        except OSError as refused:
            waiting = [(message, refused) for message in email_messages]
            opened = False
        else:
            try:
                for message in email_messages:
                    if waiting:  # the connection already failed: do not wait on it again
                        waiting.append((message, waiting[0][1]))
                        continue
                    try:
                        # The connection is open: the parent sends on it and leaves it open.
                        sent += super().send_messages([message])
                    except PERMANENT:
                        raise
                    except OSError as error:
                        waiting.append((message, error))
            finally:
                if opened:
                    with contextlib.suppress(OSError):
                        self.close()
        for message, failure in waiting:
            queue(message, failure)
        return sent + len(waiting)


def queue(message: EmailMessage, error: Exception) -> QueuedEmail:
    encoding = message.encoding or settings.DEFAULT_CHARSET
    queued = QueuedEmail.objects.create(
        sender=sanitize_address(message.from_email, encoding),
        recipients="\n".join(sanitize_address(to, encoding) for to in message.recipients()),
        message=base64.b64encode(message.message().as_bytes(linesep="\r\n")).decode(),
        attempts=1,
        next_attempt_at=timezone.now() + retry_delay(1),
        last_error=type(error).__name__,
    )
    logger.warning(
        "The mail server did not take a message; it waits in the queue (%s).",
        type(error).__name__,
        extra={"queued_email": queued.pk},
    )
    return queued


def deliver_queued(*, now: datetime.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the queued messages that are due; returns counts. Safe to run twice at once:
    each row is taken under a lock and deleted in the same transaction once delivered."""
    now = now or timezone.now()
    counts = {"sent": 0, "waiting": 0}
    due = list(
        QueuedEmail.objects.filter(next_attempt_at__lte=now).values_list("pk", flat=True)[:limit]
    )
    if not due:
        return counts
    backend = EmailBackend(fail_silently=False)
    try:
        backend.open()
    except OSError as error:
        QueuedEmail.objects.filter(pk__in=due).update(last_error=type(error).__name__)
        _postpone(due, now)
        counts["waiting"] = len(due)
        return counts
    try:
        for pk in due:
            with transaction.atomic():
                row = QueuedEmail.objects.select_for_update().filter(pk=pk).first()
                if row is None or row.next_attempt_at > now:
                    continue  # another pass delivered or postponed it
                try:
                    backend.connection.sendmail(  # type: ignore[union-attr]
                        row.sender, row.recipients.split("\n"), base64.b64decode(row.message)
                    )
                except OSError as error:  # a refused recipient waits too, for a coordinator
                    row.attempts += 1
                    row.next_attempt_at = now + retry_delay(row.attempts)
                    row.last_error = type(error).__name__
                    row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                    counts["waiting"] += 1
                else:
                    row.delete()
                    counts["sent"] += 1
    finally:
        with contextlib.suppress(OSError):
            backend.close()
    logger.info("Queued mail: %(sent)s sent, %(waiting)s still waiting.", counts)
    return counts


def _postpone(pks: list[int], now: datetime.datetime) -> None:
    for row in QueuedEmail.objects.filter(pk__in=pks):
        row.attempts += 1
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.save(update_fields=["attempts", "next_attempt_at"])
