"""Factories for the trainings tests: an offered training, an upcoming public session and
its registrations; a session that has ended, its seats and their evaluations."""

import datetime

import factory
from django.utils import timezone

from concord.agencies.models import Sector
from concord.trainings.models import (
    Audience,
    Evaluation,
    Registration,
    RegistrationStatus,
    Training,
    TrainingSession,
)


def days_ahead(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    title = factory.Sequence(lambda number: f"Recognizing human trafficking {number}")
    summary = "Indicators of trafficking in health care settings."
    audiences = factory.LazyFunction(lambda: [Audience.HEALTH_CARE])
    length_minutes = 120


class SessionFactory(factory.django.DjangoModelFactory):
    """A public in-person session two weeks ahead; registration closes a day before."""

    class Meta:
        model = TrainingSession

    training = factory.SubFactory(TrainingFactory)
    starts_at = factory.LazyFunction(lambda: days_ahead(14))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=2))
    capacity = 20
    registration_deadline = factory.LazyAttribute(
        lambda session: session.starts_at - datetime.timedelta(days=1)
    )
    location = "1025 Escobar St, Martinez"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed seat of a member of the public."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda number: f"Trainee {number}")
    email = factory.Sequence(lambda number: f"trainee{number}@example.org")
    affiliation = "Martinez Clinic"
    sector = Sector.HEALTH_CARE
    status = RegistrationStatus.REGISTERED
    queued_at = factory.LazyFunction(timezone.now)


class PastSessionFactory(SessionFactory):
    """A session of a 150-minute training that started three hours ago and ended an hour
    ago: attendance, certificates and evaluations follow it."""

    training = factory.SubFactory(TrainingFactory, length_minutes=150)
    starts_at = factory.LazyFunction(lambda: hours_ago(3))
    capacity = 30


class SeatFactory(RegistrationFactory):
    """A confirmed seat at a session that has ended."""

    session = factory.SubFactory(PastSessionFactory)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    registration = factory.SubFactory(SeatFactory, attended=True)
    overall = 4
    content = 4
    trainer = 5
    usefulness = 3
    comments = ""
