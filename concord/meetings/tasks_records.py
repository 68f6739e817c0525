"""Emails about meeting records. Tasks receive ids and load what they need."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from concord.meetings.models import Meeting, Reminder
from concord.meetings.queries import invitees

# The unique key (kind, subject, person) of a Reminder row makes each person get it once.
AGENDA_PUBLISHED = Reminder.Kind.AGENDA_PUBLISHED


def agenda_subject_key(meeting_id: int) -> str:
    return f"agenda:{meeting_id}"


@task()
def send_agenda_published(meeting_id: int) -> None:
    """Email each invitee once that the meeting's agenda is published."""
    meeting = Meeting.objects.filter(pk=meeting_id, agenda_published_at__isnull=False).first()
    if meeting is None or meeting.is_cancelled:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse("meetings:meeting-detail", args=[meeting.pk])
        context = {
            "meeting": meeting,
            "items": list(meeting.agenda_items.all()),
            "link": link,
        }
        subject = render_to_string("meetings/email/agenda_published_subject.txt", context).strip()
        body = render_to_string("meetings/email/agenda_published_message.txt", context)
    for person_id, email in invitees(meeting).values_list("pk", "email"):
        try:
            # The row and the send share a transaction: a failed send leaves no row, so
            # the next run tries again; a row already there means the email went out.
            with transaction.atomic():
                Reminder.objects.create(
                    kind=AGENDA_PUBLISHED,
                    subject_key=agenda_subject_key(meeting.pk),
                    person_id=person_id,
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        except IntegrityError:
            continue
