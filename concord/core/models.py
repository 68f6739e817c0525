import uuid

from django.conf import settings
from django.db import models

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
