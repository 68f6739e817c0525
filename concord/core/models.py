import uuid

from django.conf import settings
from django.db import models

from concord.core.fields import EncryptedTextField
from concord.core.sensitivity import classify


class FormSubmission(models.Model):
    """A one-time token per rendered form: a second submit of the same form finds the row
    and goes to what the first one created instead of creating it again."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE)
    result_url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.token)


def new_form_token() -> uuid.UUID:
    return uuid.uuid4()


classify("core.formsubmission", internal=("id", "token", "user", "result_url", "created_at"))


class QueuedEmail(models.Model):
    """A message waiting for the SMTP server (``concord.core.mail``): one the server did not
    take, or one a background task sent, which is recorded first so it goes out once.

    The message (recipients and content: links in it may open an application) is
    encrypted, and erased as soon as the message is delivered.
    """

    sender = models.CharField(max_length=320)
    recipients = EncryptedTextField()  # one address a line
    message = EncryptedTextField()  # the MIME message, base64
    queued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=100, blank=True)  # the exception's class only
    # Set for mail sent by a background task: "<task id>:<n>", the task's n-th message. A
    # task that runs again after its worker was killed finds the key and does not resend.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    # Delivered: the message and recipients are erased, the key kept a week.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]

    def __str__(self) -> str:
        return f"queued email {self.pk}"


classify(
    "core.queuedemail",
    internal=(
        "id",
        "sender",
        "queued_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "key",
        "sent_at",
    ),
)
