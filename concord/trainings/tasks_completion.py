"""Background jobs after a session: certificate emails and evaluation requests. Tasks
receive ids only and load what they need."""

from django.utils import timezone
from django_tasks import task

from concord.trainings.emails_completion import send_certificate_email, send_evaluation_email
from concord.trainings.models import Certificate, RegistrationStatus, TrainingSession
from concord.trainings.services import evaluations


@task()
def send_certificates(certificate_ids: list[int]) -> int:
    """Email each holder of a still-valid certificate the link to its PDF."""
    valid = (
        Certificate.objects.select_related("registration")
        .filter(pk__in=certificate_ids, revoked_at__isnull=True)
        .order_by("pk")
    )
    sent = 0
    for certificate in valid:
        send_certificate_email(certificate)
        sent += 1
    return sent


@task()
def send_evaluation_requests(session_id: int) -> int:
    """Email each attendee of a session the link to its evaluation."""
    session = TrainingSession.objects.select_related("training").filter(pk=session_id).first()
    if session is None:
        return 0
    attendees = session.registrations.filter(
        status=RegistrationStatus.REGISTERED, attended=True, evaluation__isnull=True
    ).order_by("pk")
    sent = 0
    for registration in attendees:
        registration.session = session
        send_evaluation_email(registration)
        sent += 1
    return sent


@task()
def queue_evaluation_requests() -> int:
    """Run by every scheduler pass: sessions that just ended get their evaluations."""
    return evaluations.queue_evaluation_requests(now=timezone.now())
