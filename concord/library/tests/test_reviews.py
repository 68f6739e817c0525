import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from concord.accounts.models import User
from concord.library.services.reviews import queue_review_reminders
from concord.library.tasks import library_upkeep
from concord.library.tests.factories import make_document
from concord.meetings.models import Committee
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

SECRET_TEXT = "Step 4: the advocate's direct line"


def _run(capture: Any, today: datetime.date) -> int:
    with capture(execute=True):
        queued = queue_review_reminders(today=today)
    run_queued_tasks()
    return queued


def test_the_chairs_are_emailed_a_month_before_the_review_once_per_cycle(
    representative: User,
    committee: Committee,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    today = timezone.localdate()
    document = make_document(
        title="Contact protocol",
        versions=[SECRET_TEXT],
        owner_committee=committee,
        next_review_on=today + datetime.timedelta(days=40),
    )

    assert _run(django_capture_on_commit_callbacks, today) == 0
    assert _run(django_capture_on_commit_callbacks, today + datetime.timedelta(days=10)) == 1
    assert _run(django_capture_on_commit_callbacks, today + datetime.timedelta(days=11)) == 0

    assert [message["To"] for message in smtp_server.messages] == [representative.email]
    body = smtp_server.bodies()[0]
    assert "Contact protocol" in body
    assert f"/documents/{document.pk}/" in body
    assert SECRET_TEXT not in body
    assert "Contact protocol" not in smtp_server.messages[0]["Subject"]

    document.next_review_on = document.next_review_on + relativedelta(years=1)
    document.save(update_fields=["next_review_on"])
    later = document.next_review_on - datetime.timedelta(days=20)
    assert _run(django_capture_on_commit_callbacks, later) == 1
    assert len(smtp_server.messages) == 2


def test_documents_without_an_owner_committee_or_not_adopted_are_not_reminded(
    committee: Committee, django_capture_on_commit_callbacks: Any
) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=5)
    make_document(next_review_on=soon)
    make_document(next_review_on=soon, owner_committee=committee, status="retired")

    assert _run(django_capture_on_commit_callbacks, timezone.localdate()) == 0


def test_the_daily_upkeep_queues_the_reminders(
    committee: Committee, django_capture_on_commit_callbacks: Any
) -> None:
    make_document(
        owner_committee=committee,
        next_review_on=timezone.localdate() + datetime.timedelta(days=5),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = library_upkeep.call()

    assert result == {"review_reminders": 1}
