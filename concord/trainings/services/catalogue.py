"""Coordinators' changes to the catalogue: trainings, their sessions, cancelling a session.

A session's capacity may not drop below the people registered in it (the refusal names the
number); raising it moves the waitlist up at once.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.services import record_event
from concord.trainings.models import (
    HOLDING,
    Registration,
    SessionStatus,
    Training,
    TrainingSession,
)
from concord.trainings.services.registration import promote_waitlisted, seats_taken

TRAINING_FIELDS = (
    "title",
    "title_es",
    "summary",
    "summary_es",
    "audiences",
    "learning_objectives",
    "length_minutes",
    "language",
    "is_active",
)
SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "time_zone",
    "delivery",
    "location",
    "online_url",
    "capacity",
    "registration_deadline",
    "visibility",
)
# A change of any of these moves the session in people's calendars.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "location", "delivery")


def _assign(obj: Any, fields: Iterable[str], values: dict[str, Any]) -> list[str]:
    changed = []
    for name in fields:
        if name in values and getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed.append(name)
    return changed


def save_training(
    *,
    actor: User,
    training: Training | None,
    values: dict[str, Any],
    trainers: Iterable[User],
    trainer_agencies: Iterable[Agency],
) -> Training:
    """Create a training (``training`` None) or change one, with its trainers."""
    with transaction.atomic():
        creating = training is None
        if training is None:
            training = Training(
                **{name: values[name] for name in TRAINING_FIELDS if name in values}
            )
            changed = list(TRAINING_FIELDS)
            training.save()
        else:
            changed = _assign(training, TRAINING_FIELDS, values)
            if changed:
                training.save(update_fields=[*changed, "updated_at"])
        training.trainers.set(trainers)
        training.trainer_agencies.set(trainer_agencies)
        record_event(
            actor=actor,
            action="concord.training." + ("created" if creating else "updated"),
            target=training,
            data={"fields": changed},
        )
    return training


def create_session(*, actor: User, training: Training, values: dict[str, Any]) -> TrainingSession:
    with transaction.atomic():
        session = TrainingSession(
            training=training, **{name: values[name] for name in SESSION_FIELDS if name in values}
        )
        session.save()
        record_event(
            actor=actor,
            action="concord.training.session.created",
            target=session,
            data={"training": training.pk},
        )
    return session


def update_session(
    *, actor: User, session: TrainingSession, values: dict[str, Any]
) -> TrainingSession:
    """Change a session. A capacity below the people registered is refused; a higher one
    gives seats to the waitlist in order."""
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        registered = seats_taken(session)
        capacity = values.get("capacity", session.capacity)
        if capacity < registered:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(count)d person is registered: the capacity cannot be lower.",
                        "%(count)d people are registered: the capacity cannot be lower.",
                        registered,
                    )
                    % {"count": registered}
                }
            )
        changed = _assign(session, SESSION_FIELDS, values)
        if not changed:
            return session
        update = [*changed, "updated_at"]
        if set(changed) & set(SCHEDULE_FIELDS):
            session.sequence += 1
            update.append("sequence")
        session.save(update_fields=update)
        record_event(
            actor=actor,
            action="concord.training.session.updated",
            target=session,
            data={"fields": changed},
        )
        if "capacity" in changed:
            promote_waitlisted(session=session)
    return session


def cancel_session(*, actor: User, session: TrainingSession) -> TrainingSession:
    """Cancel a session: it stays on the calendar, marked cancelled, and everyone holding
    a seat or a waitlist place is emailed."""
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(_("This session is already cancelled."))
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        record_event(
            actor=actor,
            action="concord.training.session.cancelled",
            target=session,
            data={"training": session.training_id},
        )
        told = list(
            Registration.objects.filter(session=session, status__in=HOLDING).values_list(
                "pk", flat=True
            )
        )
        transaction.on_commit(lambda: _tell_cancelled(told))
    return session


def _tell_cancelled(registration_ids: list[int]) -> None:
    from concord.trainings.tasks import send_registration_email

    for registration_id in registration_ids:
        send_registration_email.enqueue(registration_id, "session_cancelled")
