"""Demo directory: the default categories (English and Spanish) and about forty services
per scale across them, in Contra Costa cities, some at confidential shelters, some for
coalition partners only, some not verified for over a year.

Every row has an id derived from its place in the demo, so a second run adds only what is
missing, and each service's details come from its own seeded generator, so the demo is the
same on every machine whatever ran before it.
"""

import datetime
import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.db import models
from django.utils import timezone

from concord.agencies.models import Agency
from concord.directory import facets
from concord.directory import models as directory
from concord.directory.services.importing import import_hsds

DEFAULT_TAXONOMY = Path(__file__).parent / "data" / "default_taxonomy.json"
SERVICES_PER_SCALE = 40
_NAMESPACE = uuid.UUID("0b5e3f4a-9d1c-4e55-8a7b-3c2d1e0f9a88")
_TAXONOMY_NAMESPACE = uuid.UUID("6f1c1a2e-4d43-4f0e-9a57-2b8f3c6d9e10")

# Organization, the demo agency that runs it (or None), its home city.
ORGANIZATIONS = [
    ("Harbor Light Survivor Services", "Harbor Light Survivor Services", "Concord"),
    ("East Bay Community Health Clinic", "East Bay Community Health Clinic", "Richmond"),
    ("Delta Youth and Family Services", "Delta Youth and Family Services", "Antioch"),
    ("Bay Point Immigrant Legal Center", "Bay Point Immigrant Legal Center", "Pittsburg"),
    ("Workers' Rights Project", "Workers' Rights Project of Contra Costa", "Pittsburg"),
    ("Survivor Voices Collective", "Survivor Voices Collective", "Richmond"),
    ("County Behavioral Health Access", "County Behavioral Health Access Line (demo)", "Martinez"),
    ("Interfaith Hospitality Network", "Interfaith Hospitality Network (demo)", "Walnut Creek"),
    ("Contra Costa Legal Aid (demo)", None, "Martinez"),
    ("Brentwood Community Pantry (demo)", None, "Brentwood"),
]
CITIES = [
    ("Concord", "94520"),
    ("Richmond", "94801"),
    ("Antioch", "94509"),
    ("Pittsburg", "94565"),
    ("Martinez", "94553"),
    ("Walnut Creek", "94596"),
    ("San Pablo", "94806"),
    ("Brentwood", "94513"),
]
STREETS = ["Willow Pass Rd", "Macdonald Ave", "A St", "Railroad Ave", "Ward St", "Main St"]
# Category code, English name and description, Spanish words a search should also find.
SERVICES = [
    (
        "emergency-shelter",
        "Emergency shelter",
        "A safe bed tonight for survivors and their children.",
        "Refugio de emergencia seguro.",
    ),
    (
        "housing",
        "Transitional housing",
        "Up to two years of housing with an advocate.",
        "Vivienda de transición.",
    ),
    (
        "legal-immigration",
        "T and U visa clinic",
        "Immigration lawyers help with T visas, U visas and continued presence.",
        "Ayuda legal de inmigración y visas.",
    ),
    (
        "legal-criminal-civil",
        "Record clearing and restraining orders",
        "Help vacating convictions tied to trafficking and filing restraining orders.",
        "Ayuda legal penal y civil.",
    ),
    (
        "medical-care",
        "Survivor health clinic",
        "Medical exams and care without questions about status.",
        "Atención médica gratuita.",
    ),
    (
        "mental-health",
        "Trauma counseling",
        "Individual counseling and support groups.",
        "Consejería y apoyo emocional.",
    ),
    (
        "substance-use",
        "Recovery support",
        "Outpatient treatment and recovery coaching.",
        "Tratamiento y recuperación.",
    ),
    (
        "case-management",
        "Survivor advocacy",
        "An advocate who plans services with you.",
        "Gestión de casos con una persona de apoyo.",
    ),
    (
        "interpretation",
        "Interpreter bank",
        "Trained interpreters for appointments and court.",
        "Intérpretes para citas y tribunales.",
    ),
    (
        "employment",
        "Job readiness program",
        "Job training, resumes and work permits.",
        "Capacitación laboral y empleo.",
    ),
    (
        "education",
        "English and GED classes",
        "English classes and adult education.",
        "Clases de inglés y educación.",
    ),
    (
        "basic-needs",
        "Food and clothing closet",
        "Food, clothing, hygiene kits and phones.",
        "Comida, ropa y artículos de higiene.",
    ),
    (
        "transportation",
        "Rides to appointments",
        "Rides and transit passes to appointments.",
        "Transporte a citas.",
    ),
    (
        "children-youth",
        "Youth drop-in center",
        "A drop-in center for young people under 25.",
        "Centro para niños y jóvenes.",
    ),
    (
        "labor-rights",
        "Wage theft clinic",
        "Help recovering unpaid wages and reporting labor exploitation.",
        "Derechos laborales y salarios no pagados.",
    ),
    (
        "hotlines",
        "Crisis line",
        "A 24-hour line for help and safety planning.",
        "Línea de ayuda las 24 horas.",
    ),
]
EXTRA_LANGUAGES = [
    ("es", "Spanish"),
    ("vi", "Vietnamese"),
    ("tl", "Tagalog"),
    ("zh", "Chinese"),
    ("fa", "Persian"),
    ("pa", "Punjabi"),
]
# Days, opens, closes: office hours, every hour, evenings, Saturdays, overnight.
SCHEDULES = [
    ("MO,TU,WE,TH,FR", "09:00", "17:00"),
    ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59"),
    ("MO,WE", "17:00", "21:00"),
    ("SA", "10:00", "14:00"),
    ("MO,TU,WE,TH,FR,SA,SU", "20:00", "08:00"),
]


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in parts))


def _seed_taxonomy() -> int:
    term = uuid.uuid5(_TAXONOMY_NAMESPACE, "hotlines/es")
    if directory.TaxonomyTerm.objects.filter(pk=term).exists():
        return 0
    result = import_hsds(path=DEFAULT_TAXONOMY, actor=None, kind="taxonomy_term")
    return result.total("created")


def _seed_organizations(scale: int) -> list[uuid.UUID]:
    agencies = dict(Agency.objects.values_list("name", "pk"))
    linked = set(
        directory.Organization.objects.exclude(agency=None).values_list("agency_id", flat=True)
    )
    ids, new = [], []
    existing = set(directory.Organization.objects.values_list("pk", flat=True))
    for copy in range(scale):
        for index, (name, agency_name, _city) in enumerate(ORGANIZATIONS):
            pk = _id("organization", copy, index)
            ids.append(pk)
            if pk in existing:
                continue
            agency = agencies.get(agency_name) if agency_name and not copy else None
            new.append(
                directory.Organization(
                    pk=pk,
                    name=name + (f" {copy + 1:03d}" if copy else ""),
                    description="A demo organization serving survivors in Contra Costa County.",
                    website="https://example.org",
                    agency_id=None if agency in linked else agency,
                )
            )
    directory.Organization.objects.bulk_create(new, batch_size=500)
    return ids


def _seed_services(scale: int, organizations: list[uuid.UUID]) -> int:
    total = SERVICES_PER_SCALE * scale
    wanted = [_id("service", index) for index in range(total)]
    existing = set(directory.Service.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    terms = {code: uuid.uuid5(_TAXONOMY_NAMESPACE, f"{code}/en") for code, *_rest in SERVICES}
    today = timezone.localdate()
    rows: dict[type[models.Model], list[models.Model]] = {model: [] for model in _ORDER}
    for index in range(total):
        if wanted[index] in existing:
            continue
        _service_rows(index, organizations, terms, today, rows)
    for model in _ORDER:
        model._default_manager.bulk_create(rows[model], batch_size=500)
    # Bulk writes send no signals.
    facets.bump_revision()
    return len(rows[directory.Service])


_ORDER: tuple[type[models.Model], ...] = (
    directory.Location,
    directory.Address,
    directory.Service,
    directory.ServiceAtLocation,
    directory.Phone,
    directory.Schedule,
    directory.Language,
    directory.CostOption,
    directory.ServiceArea,
    directory.Attribute,
)


def _service_rows(
    index: int,
    organizations: list[uuid.UUID],
    terms: dict[str, uuid.UUID],
    today: datetime.date,
    rows: dict[type[models.Model], list[models.Model]],
) -> None:
    rng = random.Random(index)
    code, name, description, spanish = SERVICES[index % len(SERVICES)]
    city, postal_code = CITIES[index % len(CITIES)]
    service_id = _id("service", index)
    copy = index // len(SERVICES)
    confidential = code == "emergency-shelter" and copy % 2 == 0
    location_id = _id("location", index)
    rows[directory.Location].append(
        directory.Location(
            pk=location_id,
            location_type=directory.LocationType.PHYSICAL,
            organization_id=organizations[index % len(organizations)],
            name=f"{name} - {city}",
            is_confidential=confidential,
        )
    )
    rows[directory.Address].append(
        directory.Address(
            pk=_id("address", index),
            location_id=location_id,
            address_1=f"{100 + rng.randrange(9000)} {rng.choice(STREETS)}",
            city=city,
            state_province="CA",
            postal_code=postal_code,
            country="US",
            address_type=directory.LocationType.PHYSICAL,
        )
    )
    youth = code == "children-youth"
    rows[directory.Service].append(
        directory.Service(
            pk=service_id,
            organization_id=organizations[index % len(organizations)],
            name=name + (f" {copy + 1:03d}" if copy else "") + f" ({city})",
            description=f"{description} {spanish}",
            status=directory.ServiceStatus.ACTIVE,
            visibility=(
                directory.Visibility.PARTNERS if index % 9 == 4 else directory.Visibility.PUBLIC
            ),
            eligibility_description="Survivors of human trafficking and their families.",
            application_process="Call to talk with an intake advocate.",
            minimum_age=0 if youth else (None if index % 3 == 0 else 18),
            maximum_age=24 if youth else None,
            # One in seven was last checked over a year ago: it shows "may be out of date".
            assured_date=today
            - datetime.timedelta(days=400 + index if index % 7 == 6 else index % 300),
        )
    )
    rows[directory.ServiceAtLocation].append(
        directory.ServiceAtLocation(
            pk=_id("service-at-location", index), service_id=service_id, location_id=location_id
        )
    )
    rows[directory.Phone].append(
        directory.Phone(
            pk=_id("phone", index),
            service_id=service_id,
            number=f"925-555-{2000 + index % 8000:04d}",
            type="voice",
        )
    )
    days, opens, closes = SCHEDULES[4 if confidential else (index if code != "hotlines" else 1) % 4]
    rows[directory.Schedule].append(
        directory.Schedule(
            pk=_id("schedule", index),
            service_id=service_id,
            freq=directory.Frequency.WEEKLY,
            byday=days,
            opens_at=opens,
            closes_at=closes,
        )
    )
    languages = [("en", "English"), *rng.sample(EXTRA_LANGUAGES, rng.randrange(1, 4))]
    rows[directory.Language].extend(
        directory.Language(
            pk=_id("language", index, code), service_id=service_id, code=code, name=language
        )
        for code, language in languages
    )
    paid = index % 5 == 3
    rows[directory.CostOption].append(
        directory.CostOption(
            pk=_id("cost", index),
            service_id=service_id,
            option="Sliding scale" if paid else "Free",
            currency="USD",
            amount=Decimal(25) if paid else Decimal(0),
        )
    )
    rows[directory.ServiceArea].append(
        directory.ServiceArea(
            pk=_id("area", index), service_id=service_id, name="Contra Costa County"
        )
    )
    categories = [code] + (
        ["case-management"] if index % 4 == 0 and code != "case-management" else []
    )
    rows[directory.Attribute].extend(
        directory.Attribute(
            pk=_id("attribute", index, category),
            link_id=service_id,
            link_type="service_category",
            link_entity="service",
            taxonomy_term_id=terms[category],
        )
        for category in categories
    )


def seed(*, scale: int, rng: random.Random) -> Iterator[str]:
    # Each service draws from its own generator (see the module's docstring), not ``rng``.
    terms = _seed_taxonomy()
    if terms:
        yield f"Created {terms} directory categories."
    organizations = _seed_organizations(scale)
    services = _seed_services(scale, organizations)
    if services:
        yield f"Created {services} directory services."
