"""Library emails and the daily upkeep. Tasks receive ids only; a reminder carries the
document's title and link, never its content."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from concord.accounts.models import User
from concord.library.models import Document
from concord.meetings.models import CommitteeMembership, CommitteeRole, MembershipStatus


def _chairs(committee_id: int) -> list[User]:
    chair_ids = CommitteeMembership.objects.filter(
        committee_id=committee_id, role=CommitteeRole.CHAIR, status=MembershipStatus.ACTIVE
    ).values("person_id")
    return list(User.objects.filter(pk__in=chair_ids, is_active=True).order_by("pk"))


@task()
def send_review_reminder(document_id: int) -> int:
    """Tell the owner committee's chairs the document's review is near; returns how many
    people were written to."""
    document = Document.objects.filter(pk=document_id).select_related("owner_committee").first()
    if document is None or document.owner_committee_id is None or document.next_review_on is None:
        return 0
    chairs = _chairs(document.owner_committee_id)
    context = {
        "document": document,
        "link": settings.SITE_URL + document.get_absolute_url(),
    }
    for person in chairs:
        with translation.override(person.language):
            subject = render_to_string("library/email/review_due_subject.txt", context)
            body = render_to_string("library/email/review_due_message.txt", context)
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email])
    return len(chairs)


@task()
def library_upkeep() -> dict[str, int]:
    """The scheduler's daily job: queue the review reminders now due."""
    from concord.library.services.reviews import queue_review_reminders

    return {"review_reminders": queue_review_reminders(today=timezone.localdate())}
