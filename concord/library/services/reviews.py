"""Review reminders: the owner committee's chairs hear a month before a document's next
review date, once per review cycle."""

import datetime

from django.conf import settings
from django.db import transaction

from concord.library.models import Document
from concord.library.queries import reviews_due_for_reminder


def queue_review_reminders(*, today: datetime.date) -> int:
    """Mark and queue the reminder of every document whose review is near; the mark (the
    review date reminded of) makes a second run, or a second scheduler, queue nothing."""
    from concord.library.tasks import send_review_reminder

    lead = datetime.timedelta(days=settings.LIBRARY_REVIEW_REMINDER_DAYS)
    queued = 0
    for document_id in reviews_due_for_reminder(today, lead).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document_id)
            if locked.next_review_on is None or locked.review_reminded_for == locked.next_review_on:
                continue
            locked.review_reminded_for = locked.next_review_on
            locked.save(update_fields=["review_reminded_for"])
            transaction.on_commit(
                lambda pk=document_id: send_review_reminder.enqueue(pk)  # type: ignore[misc]
            )
            queued += 1
    return queued
