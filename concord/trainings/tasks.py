"""Training registration emails and the daily upkeep. Tasks receive ids only."""

from django.utils import timezone
from django_tasks import task

from concord.trainings.emails import KINDS, send_registration_message
from concord.trainings.models import Registration
from concord.trainings.services import registration as registrations


@task()
def send_registration_email(registration_id: int, kind: str) -> None:
    """One registration email: confirm your address, your seat, the waitlist, a seat
    freed up for you, the session is cancelled."""
    if kind not in KINDS:
        return
    registration = (
        Registration.objects.select_related("session__training").filter(pk=registration_id).first()
    )
    if registration is not None:
        send_registration_message(registration, kind)


@task()
def trainings_upkeep() -> dict[str, int]:
    """The scheduler's daily job: expire public registrations never confirmed."""
    return {"expired": registrations.expire_pending_registrations(now=timezone.now())}
