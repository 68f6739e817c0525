"""Double-submit protection: every creating form carries a one-time token."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest

from concord.accounts.models import User
from concord.core.models import FormSubmission

Created = TypeVar("Created", bound=models.Model)


def earlier_submission_url(request: HttpRequest) -> str | None:
    """Where an earlier submit of this same form went, checked before validation: the
    repeat of a create would otherwise fail on its own uniqueness rules."""
    if request.method != "POST":
        return None
    try:
        token = uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return None
    return previous_result_url(token)


def previous_result_url(token: uuid.UUID) -> str | None:
    submission = FormSubmission.objects.filter(token=token).only("result_url").first()
    return submission.result_url if submission else None


def create_once(
    *,
    token: uuid.UUID,
    user: User | None,
    create: Callable[[], Created],
    result_url: Callable[[Created], str],
) -> str:
    """Run ``create`` once per token and return the URL of what it made.

    The token row is written in the same transaction as the record, so of two racing
    submits exactly one commits; the other rolls back whole and follows the first.
    """
    earlier = previous_result_url(token)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            created = create()
            url = result_url(created)
            FormSubmission.objects.create(token=token, user=user, result_url=url)
    except IntegrityError:
        earlier = previous_result_url(token)
        if earlier is None:
            raise
        return earlier
    return url
