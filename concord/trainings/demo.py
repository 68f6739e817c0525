"""Demo trainings: three trainings with public sessions in the coming months (one nearly
full, with a waitlist) and one past session with registrations. Registrants are demo people
at example.org addresses. Idempotent: nothing is added when the demo has trainings."""

import datetime
import random
import zoneinfo

from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency, Sector
from concord.trainings.models import (
    Audience,
    Delivery,
    Registration,
    RegistrationStatus,
    Training,
    TrainingLanguage,
    TrainingSession,
)

ZONE = "America/Los_Angeles"
TRAININGS = [
    {
        "title": "Recognizing human trafficking",
        "title_es": "Cómo reconocer la trata de personas",
        "summary": "Indicators of sex and labor trafficking in clinics and emergency rooms, "
        "how to talk with a patient alone and safely, and how to refer with consent.",
        "summary_es": "Indicadores de trata sexual y laboral en clínicas y salas de emergencia, "
        "cómo hablar con un paciente a solas y con seguridad, y cómo referir con su "
        "consentimiento.",
        "audiences": [Audience.HEALTH_CARE],
        "learning_objectives": "Name five indicators of trafficking in a health care setting.\n"
        "Screen a patient privately, with an interpreter when needed.\n"
        "Refer to a victim-service agency with the patient's informed consent.",
        "length_minutes": 120,
        "language": TrainingLanguage.ENGLISH,
    },
    {
        "title": "Labor trafficking indicators",
        "title_es": "Indicadores de trata laboral",
        "summary": "Wage theft, document confiscation and debt bondage in restaurants, "
        "hotels, cleaning services and agriculture: what inspectors see first.",
        "summary_es": "Robo de salarios, retención de documentos y servidumbre por deudas en "
        "restaurantes, hoteles, limpieza y agricultura: lo que los inspectores ven primero.",
        "audiences": [Audience.LABOR_INSPECTORS, Audience.HOSPITALITY],
        "learning_objectives": "Tell labor trafficking from other labor violations.\n"
        "Know the SB 1193 hotline notice and where it must be posted.",
        "length_minutes": 90,
        "language": TrainingLanguage.ENGLISH,
    },
    {
        "title": "Serving survivors: trauma-informed care",
        "title_es": "Atención a sobrevivientes: un enfoque informado por el trauma",
        "summary": "A victim-centered, trauma-informed, culturally responsive approach for "
        "anyone who meets survivors, given in Spanish and English.",
        "summary_es": "Un enfoque centrado en la víctima, informado por el trauma y "
        "culturalmente sensible, para quien atiende a sobrevivientes; en español e inglés.",
        "audiences": [Audience.SERVICE_PROVIDERS, Audience.FAITH_COMMUNITIES],
        "learning_objectives": "Recognize trauma responses.\nAvoid re-traumatizing questions.",
        "length_minutes": 180,
        "language": TrainingLanguage.BOTH,
    },
]
ADDRESS = "Contra Costa County Administration Building, 1025 Escobar St, Martinez"


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(ZONE))


def _session(
    training: Training, day: datetime.date, *, capacity: int, online: bool = False
) -> TrainingSession:
    starts = _moment(day, 9)
    return TrainingSession.objects.create(
        training=training,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=training.length_minutes),
        time_zone=ZONE,
        delivery=Delivery.ONLINE if online else Delivery.IN_PERSON,
        location="" if online else ADDRESS,
        online_url="https://meet.example.org/coalition-training" if online else "",
        capacity=capacity,
        registration_deadline=starts - datetime.timedelta(days=1),
    )


def _register(
    session: TrainingSession, count: int, status: str, start: int, now: datetime.datetime
) -> None:
    rows = [
        Registration(
            session=session,
            name=f"Demo trainee {start + index}",
            email=f"trainee{start + index}@example.org",
            affiliation="Demo affiliation",
            sector=[Sector.HEALTH_CARE, Sector.LAW_ENFORCEMENT, Sector.COMMUNITY_BASED][index % 3],
            language="en",
            status=status,
            queued_at=now + datetime.timedelta(seconds=start + index),
        )
        for index in range(count)
    ]
    Registration.objects.bulk_create(rows)


def seed(*, scale: int, rng: random.Random) -> list[str]:
    if Training.objects.exists():
        return []
    trainings = [Training.objects.create(**values) for values in TRAININGS]
    trainers = list(User.objects.filter(is_active=True, agency__isnull=False).order_by("pk")[:2])
    agencies = list(Agency.objects.order_by("pk")[:1])
    for training in trainings:
        training.trainers.set(trainers[:1])
        training.trainer_agencies.set(agencies)
    today = timezone.localdate()
    now = timezone.now()
    health, labor, survivors = trainings
    # Upcoming public sessions: the first nearly full, with a waitlist.
    nearly_full = _session(health, today + datetime.timedelta(days=21), capacity=20)
    _register(nearly_full, 19, RegistrationStatus.REGISTERED, 1, now)
    _register(nearly_full, 3, RegistrationStatus.WAITLISTED, 100, now)
    _session(health, today + datetime.timedelta(days=84), capacity=40)
    _session(labor, today + datetime.timedelta(days=35), capacity=30)
    _session(survivors, today + datetime.timedelta(days=49), capacity=25, online=True)
    _session(survivors, today + datetime.timedelta(days=105), capacity=25)
    # A past session, with registrations whose attendance is recorded elsewhere.
    past = _session(labor, today - datetime.timedelta(days=30), capacity=25)
    _register(past, min(12 * scale, 25), RegistrationStatus.REGISTERED, 200, now)
    return [f"Trainings: {len(trainings)} trainings, {TrainingSession.objects.count()} sessions."]
