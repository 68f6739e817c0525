"""Reads of the catalogue, sessions and registrations, scoped to the viewer, with what the
pages need loaded up front (a fixed number of queries, however many sessions)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core import permissions
from concord.meetings.entries import CalendarEntry
from concord.trainings.models import (
    Registration,
    RegistrationStatus,
    SessionStatus,
    Training,
    TrainingSession,
    Visibility,
)


def with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Sessions with ``registered_count``, ``waitlisted_count`` and ``seats_left``."""
    return sessions.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    ).annotate(seats_left=Greatest(F("capacity") - F("registered_count"), Value(0)))


def sessions_visible_to(user: Any) -> QuerySet[TrainingSession]:
    """Every session ``user`` may see: members-only ones for members only."""
    sessions = TrainingSession.objects.select_related("training")
    if not permissions.is_member(user):
        sessions = sessions.filter(visibility=Visibility.PUBLIC)
    return sessions


def upcoming_sessions(user: Any) -> QuerySet[TrainingSession]:
    return with_counts(
        sessions_visible_to(user).filter(ends_at__gt=timezone.now(), status=SessionStatus.SCHEDULED)
    ).order_by("starts_at", "pk")


def catalogue(user: Any, *, audience: str = "", language: str = "") -> QuerySet[Training]:
    """The offered trainings, each with ``upcoming`` (its upcoming sessions ``user`` may
    see, with their counts); filtered by audience and language when given."""
    trainings = Training.objects.filter(is_active=True)
    if audience:
        # The list is stored as JSON text on every database: match the quoted value.
        trainings = trainings.filter(audiences__icontains=f'"{audience}"')
    if language:
        trainings = trainings.filter(language=language)
    return trainings.prefetch_related(
        Prefetch("sessions", queryset=upcoming_sessions(user), to_attr="upcoming")
    ).order_by("title", "pk")


def training_for(user: Any, pk: int) -> Training | None:
    """A training's page: offered ones for everyone, any for people who manage them."""
    trainings = Training.objects.prefetch_related(
        "trainers",
        "trainer_agencies",
        Prefetch("sessions", queryset=upcoming_sessions(user), to_attr="upcoming"),
    )
    if not permissions.can_manage_trainings(user):
        trainings = trainings.filter(is_active=True)
    return trainings.filter(pk=pk).first()


def session_for(user: Any, pk: int) -> TrainingSession | None:
    return with_counts(sessions_visible_to(user)).filter(pk=pk).first()


def own_registration(user: Any, session: TrainingSession) -> Registration | None:
    """The signed-in person's live registration for ``session``."""
    if not permissions.is_active_user(user):
        return None
    return (
        session.registrations.filter(person=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


def registrations_of(user: Any) -> QuerySet[Registration]:
    """A person's registrations, newest session first, for "My trainings"."""
    return (
        Registration.objects.filter(person=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session__training", "certificate")
        .order_by("-session__starts_at", "pk")
    )


def roster(session: TrainingSession) -> QuerySet[Registration]:
    """Everyone who registered, cancelled ones too, by status then waitlist order."""
    return session.registrations.order_by("status", "queued_at", "created_at", "pk")


def registration_for_person(user: Any, public_id: Any) -> Registration | None:
    """A registration its own person (or a coordinator) may act on; None otherwise, so
    outsiders learn nothing."""
    registration = (
        Registration.objects.select_related("session__training").filter(public_id=public_id).first()
    )
    if registration is None or not permissions.can_cancel_training_registration(user, registration):
        return None
    return registration


def managed_sessions() -> QuerySet[TrainingSession]:
    return with_counts(TrainingSession.objects.select_related("training")).order_by(
        "-starts_at", "pk"
    )


# The calendar (concord.meetings.entries): one query, whatever the count.


def calendar_entries(
    viewer: Any, start: datetime.datetime, end: datetime.datetime
) -> Iterable[CalendarEntry]:
    sessions = sessions_visible_to(viewer).filter(starts_at__gte=start, starts_at__lt=end)
    return [
        CalendarEntry(
            uid=f"training-session-{session.uid}",
            title=session.training.title_text,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            time_zone=session.time_zone,
            url=session.get_absolute_url(),
            kind=_("Training"),
            updated_at=session.updated_at,
            location=session.location,
            cancelled=session.is_cancelled,
            sequence=session.sequence,
            description=session.training.summary_text,
        )
        for session in sessions
    ]
