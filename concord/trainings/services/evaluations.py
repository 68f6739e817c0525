"""Evaluations: once a session has ended and its attendance is recorded, each attendee is
emailed once a signed link to a short form. The link works for 30 days; each registration
gives one evaluation, however often the form is sent."""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from concord.audit.services import record_event
from concord.trainings.models import (
    Evaluation,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

LINK_LIFETIME = datetime.timedelta(days=30)
RATINGS = ("overall", "content", "trainer", "usefulness")
_SALT = "concord.trainings.evaluation"


class LinkExpiredError(Exception):
    """The link is genuine but older than ``LINK_LIFETIME``."""


def evaluation_token(registration: Registration) -> str:
    return signing.dumps(str(registration.public_id), salt=_SALT)


def registration_for_token(token: str) -> Registration | None:
    """The attendee's registration a link opens; None for a forged link or someone not
    recorded as attending. Raises LinkExpiredError for a genuine link past its lifetime."""
    try:
        public_id = signing.loads(token, salt=_SALT, max_age=LINK_LIFETIME)
    except signing.SignatureExpired:
        raise LinkExpiredError from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(public_id, str):
        return None
    return (
        Registration.objects.select_related("session__training")
        .filter(public_id=public_id, status=RegistrationStatus.REGISTERED, attended=True)
        .first()
    )


def has_evaluated(registration: Registration) -> bool:
    return Evaluation.objects.filter(registration=registration).exists()


def submit_evaluation(
    *, registration: Registration, ratings: dict[str, int], comments: str
) -> Evaluation:
    """Record the attendee's evaluation; a second submit returns the first one unchanged."""
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                registration=registration,
                comments=comments.strip(),
                **{name: ratings[name] for name in RATINGS},
            )
            record_event(
                actor=None,
                action="concord.training.evaluation_submitted",
                target=registration.session,
                data={"evaluation": evaluation.pk},
            )
    except IntegrityError:
        return Evaluation.objects.get(registration=registration)
    return evaluation


def sessions_due_for_evaluation(*, now: datetime.datetime) -> list[int]:
    """Sessions that ended within the link lifetime, with attendance recorded, whose
    evaluations have not gone out."""
    attendees = Registration.objects.filter(
        session=OuterRef("pk"), status=RegistrationStatus.REGISTERED, attended=True
    )
    return list(
        TrainingSession.objects.filter(
            status=SessionStatus.SCHEDULED,
            ends_at__lte=now,
            ends_at__gt=now - LINK_LIFETIME,
            evaluations_sent_at__isnull=True,
        )
        .filter(Exists(attendees))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def queue_evaluation_requests(*, now: datetime.datetime) -> int:
    """Claim each due session (so its emails go out once, even with two schedulers) and
    queue its emails after the commit. Returns how many sessions were claimed."""
    from concord.trainings.tasks_completion import send_evaluation_requests

    due = sessions_due_for_evaluation(now=now)
    if not due:
        return 0
    claimed = list(
        TrainingSession.objects.select_for_update()
        .filter(pk__in=due, evaluations_sent_at__isnull=True)
        .values_list("pk", flat=True)
    )
    TrainingSession.objects.filter(pk__in=claimed).update(evaluations_sent_at=now)
    for session_id in claimed:
        record_event(
            actor=None,
            action="concord.training.evaluations_sent",
            target=TrainingSession(pk=session_id),
        )
    transaction.on_commit(lambda: [send_evaluation_requests.enqueue(pk) for pk in claimed])
    return len(claimed)
