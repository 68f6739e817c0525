"""Email that survives an SMTP outage and a killed task worker.

``QueuedSMTPBackend`` is Django's SMTP backend with a queue (``QueuedEmail``) in front:

- Sent from a web request, a message goes straight to the server; if the server cannot be
  reached, it waits in the queue instead of being lost.
- Sent from a background task, every message is first recorded under a key made of the
  task's id and its place among the task's messages, then delivered. When a task whose
  worker was killed runs again (``requeue_stalled_tasks``), its messages find their keys
  and are not sent twice.

``deliver_queued`` sends what waits, with back-off, on every scheduler pass; coordinators
see the queue at /manage/email-queue/.
"""

import base64
import contextlib
import contextvars
import datetime
import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
from django.db import IntegrityError, transaction
from django.utils import timezone

from concord.core.models import QueuedEmail

logger = logging.getLogger("concord.mail")

# Seconds before the first retry; each failure doubles it, up to the cap.
FIRST_RETRY = 60
MAX_RETRY = 30 * 60
# Delivered messages keep their key (not their content) this long, for reruns.
KEEP_KEYS = datetime.timedelta(days=7)
# smtplib's errors are OSErrors, as are a refused or timed-out connection: all of them mean
# "try again later", except a refused recipient, which the sender is told about at once.
PERMANENT = (smtplib.SMTPRecipientsRefused,)

# The running task's id and how many messages it has sent so far.
_task: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar("task", default=None)


def task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _task.set([str(task_result.id), 0])


def task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _task.set(None)


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY))


class QueuedSMTPBackend(EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        task = _task.get()
        if task is not None:
            return self._send_from_task(email_messages, task)
        return self._send_now(email_messages)

    def _send_now(self, email_messages: Sequence[EmailMessage]) -> int:
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
            row = record(message)
            if row is not None:
                _postpone(row, failure, timezone.now())
        return sent + len(waiting)

    def _send_from_task(self, email_messages: Sequence[EmailMessage], task: list[Any]) -> int:
        rows = []
        for message in email_messages:
            key = f"{task[0]}:{task[1]}"
            task[1] += 1
            row = record(message, key=key)
            if row is not None:
                rows.append(row)
        # Delivered now when the server answers; otherwise the next scheduler pass does.
        deliver_rows(rows, now=timezone.now())
        return len(email_messages)


def record(message: EmailMessage, *, key: str | None = None) -> QueuedEmail | None:
    """The message as a queue row, due now; None when ``key`` was recorded before."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    try:
        with transaction.atomic():
            return QueuedEmail.objects.create(
                sender=sanitize_address(message.from_email, encoding),
                recipients="\n".join(sanitize_address(to, encoding) for to in message.recipients()),
                message=base64.b64encode(message.message().as_bytes(linesep="\r\n")).decode(),
                next_attempt_at=timezone.now(),
                key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        logger.info("A task ran again; its message was already recorded, so it is not resent.")
        return None


def deliver_queued(*, now: datetime.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the queued messages that are due; returns counts. Safe to run twice at once:
    each row is taken under a lock and marked sent in the same transaction."""
    now = now or timezone.now()
    QueuedEmail.objects.filter(sent_at__lt=now - KEEP_KEYS).delete()
    due = list(QueuedEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)[:limit])
    counts = deliver_rows(due, now=now)
    if due:
        logger.info("Queued mail: %(sent)s sent, %(waiting)s still waiting.", counts)
    return counts


def deliver_rows(rows: list[QueuedEmail], *, now: datetime.datetime) -> dict[str, int]:
    counts = {"sent": 0, "waiting": 0}
    if not rows:
        return counts
    backend = EmailBackend(fail_silently=False)
    try:
        backend.open()
    except OSError as error:
        for row in rows:
            _postpone(row, error, now)
        counts["waiting"] = len(rows)
        return counts
    try:
        for row in rows:
            counts["sent" if _deliver(backend, row.pk, now) else "waiting"] += 1
    finally:
        with contextlib.suppress(OSError):
            backend.close()
    return counts


def _deliver(backend: EmailBackend, pk: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        row = QueuedEmail.objects.select_for_update().filter(pk=pk, sent_at__isnull=True).first()
        if row is None or row.next_attempt_at > now:
            return row is None  # another pass delivered it, or postponed it
        try:
            backend.connection.sendmail(  # type: ignore[union-attr]
                row.sender, row.recipients.split("\n"), base64.b64decode(row.message)
            )
        except OSError as error:  # a refused recipient waits too, for a coordinator
            _postpone(row, error, now)
            return False
        if row.key is None:
            row.delete()
        else:  # keep the key, so a rerun of its task does not send it again
            row.sent_at = now
            row.recipients = row.message = ""
            row.save(update_fields=["sent_at", "recipients", "message"])
        return True


def _postpone(row: QueuedEmail, error: Exception, now: datetime.datetime) -> None:
    row.attempts += 1
    row.next_attempt_at = now + retry_delay(row.attempts)
    row.last_error = type(error).__name__
    row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    logger.warning(
        "The mail server did not take a message; it waits in the queue (%s).",
        row.last_error,
        extra={"queued_email": row.pk},
    )
