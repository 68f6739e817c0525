"""Factories for attendance, certificates and evaluations tests: a training, a session
that has ended (by default), and registered people."""

import datetime

import factory
from django.utils import timezone

from concord.agencies.models import Sector
from concord.trainings.models import (
    Evaluation,
    Registration,
    RegistrationStatus,
    Training,
    TrainingSession,
)


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


class CompletedTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    title = factory.Sequence(lambda number: f"Recognizing trafficking {number}")
    summary = "Indicators of trafficking and how to respond."
    length_minutes = 150


class PastSessionFactory(factory.django.DjangoModelFactory):
    """A session that started three hours ago and ended an hour ago."""

    class Meta:
        model = TrainingSession

    training = factory.SubFactory(CompletedTrainingFactory)
    starts_at = factory.LazyFunction(lambda: hours_ago(3))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=2))
    capacity = 30
    registration_deadline = factory.LazyAttribute(
        lambda session: session.starts_at - datetime.timedelta(days=1)
    )
    location = "1025 Escobar St, Martinez"


class SeatFactory(factory.django.DjangoModelFactory):
    """A confirmed seat of a member of the public."""

    class Meta:
        model = Registration

    session = factory.SubFactory(PastSessionFactory)
    name = factory.Sequence(lambda number: f"Attendee {number}")
    email = factory.Sequence(lambda number: f"attendee{number}@example.org")
    affiliation = "Martinez Clinic"
    sector = Sector.HEALTH_CARE
    status = RegistrationStatus.REGISTERED
    queued_at = factory.LazyFunction(timezone.now)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    registration = factory.SubFactory(SeatFactory, attended=True)
    overall = 4
    content = 4
    trainer = 5
    usefulness = 3
    comments = ""
