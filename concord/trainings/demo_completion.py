"""Demo attendance, certificates and evaluations for the demo's past training sessions.

Runs after ``concord.trainings.demo``, which makes a past session with registrations.
Idempotent: a session whose attendance is recorded is left alone. Nobody is emailed.
"""

import random

from django.utils import timezone

from concord.trainings.models import (
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)
from concord.trainings.services.attendance import record_attendance
from concord.trainings.services.evaluations import RATINGS, submit_evaluation

COMMENTS = [
    "The case studies made the indicators concrete.",
    "More time for questions, please.",
    "I will share the hotline card with my team.",
    "",
    "Clear and practical.",
]


def seed(*, scale: int, rng: random.Random) -> list[str]:
    now = timezone.now()
    recorded = Registration.objects.filter(attendance_recorded_at__isnull=False)
    sessions = (
        TrainingSession.objects.filter(status=SessionStatus.SCHEDULED, ends_at__lt=now)
        .exclude(registrations__in=recorded)
        .select_related("training")
        .order_by("pk")
    )
    certificates = evaluations = 0
    for session in sessions:
        seats = list(
            session.registrations.filter(status=RegistrationStatus.REGISTERED).order_by("pk")
        )
        if not seats:
            continue
        # Most came; every fifth person did not.
        attended = {seat.pk: index % 5 != 4 for index, seat in enumerate(seats)}
        result = record_attendance(actor=None, session=session, attended=attended, notify=False)
        certificates += len(result.issued)
        # The demo's evaluations are already in: the scheduler must not email demo people.
        TrainingSession.objects.filter(pk=session.pk).update(evaluations_sent_at=now)
        for index, seat in enumerate(seats):
            if not attended[seat.pk] or index % 3 == 2:
                continue
            ratings = {name: rng.choice([3, 4, 4, 5, 5]) for name in RATINGS}
            submit_evaluation(
                registration=seat, ratings=ratings, comments=COMMENTS[index % len(COMMENTS)]
            )
            evaluations += 1
    if not certificates:
        return []
    return [f"Trainings: {certificates} certificates, {evaluations} evaluations."]
