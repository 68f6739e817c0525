"""Attendance of a training session, recorded by its trainers or a coordinator once it has
started. Attendees get a certificate; someone marked absent afterwards loses theirs."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.trainings.models import Registration, RegistrationStatus, TrainingSession
from concord.trainings.services import certificates


@dataclass(frozen=True)
class AttendanceResult:
    changed: int
    issued: list[int]  # certificates that became valid
    revoked: int


def has_started(session: TrainingSession, now: datetime.datetime | None = None) -> bool:
    return session.starts_at <= (now or timezone.now())


def roster(session: TrainingSession) -> QuerySet[Registration]:
    """The people with a seat, with their certificate, in name order: one query."""
    return (
        session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("certificate")
        .order_by("name", "pk")
    )


@transaction.atomic
def record_attendance(
    *,
    actor: User | None,
    session: TrainingSession,
    attended: Mapping[int, bool],
    notify: bool = True,
) -> AttendanceResult:
    """Save who attended (registration id to yes or no) for the session's registered people.

    A fixed number of queries whatever the roster's size. Certificates are issued to new
    attendees and revoked from people now marked absent; the new holders are emailed
    after the commit unless ``notify`` is false (the demo data).
    """
    from concord.trainings.tasks_completion import send_certificates

    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if not has_started(session):
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    seated = {
        registration.pk: registration
        for registration in session.registrations.select_for_update().filter(
            status=RegistrationStatus.REGISTERED, pk__in=list(attended)
        )
    }
    if set(attended) - set(seated):
        raise ValidationError(_("The list of people changed. Please record attendance again."))
    changed = [pk for pk, value in attended.items() if seated[pk].attended is not value]
    now = timezone.now()
    present = [pk for pk, value in attended.items() if value]
    absent = [pk for pk, value in attended.items() if not value]
    for ids, value in ((present, True), (absent, False)):
        if ids:
            Registration.objects.filter(pk__in=ids).update(
                attended=value, attendance_recorded_at=now, updated_at=now
            )
    issued = certificates.issue_certificates(
        session=session, registrations=[seated[pk] for pk in present]
    )
    revoked = certificates.revoke_certificates(registrations=[seated[pk] for pk in absent])
    if changed or issued or revoked:
        record_event(
            actor=actor,
            action="concord.training.attendance_recorded",
            target=session,
            data={
                "changed": len(changed),
                "attended": len(present),
                "absent": len(absent),
                "certificates_issued": len(issued),
                "certificates_revoked": revoked,
            },
        )
    if issued and notify:
        transaction.on_commit(lambda: send_certificates.enqueue(issued))
    return AttendanceResult(changed=len(changed), issued=issued, revoked=revoked)
