import random

from concord.agencies.models import Agency, AgencyStatus, Sector

# Fictional agencies: the demo must not suggest that a real organisation is a member.
DEMO_AGENCIES = [
    ("Harbor Light Survivor Services", Sector.VICTIM_SERVICES, "Concord"),
    ("Contra Costa Example District Attorney's Office", Sector.PROSECUTION, "Martinez"),
    ("Diablo Valley Police Department (demo)", Sector.LAW_ENFORCEMENT, "Walnut Creek"),
    ("East Bay Community Health Clinic", Sector.HEALTH_CARE, "Richmond"),
    ("Delta Youth and Family Services", Sector.CHILD_WELFARE, "Antioch"),
    ("Bay Point Immigrant Legal Center", Sector.IMMIGRATION_LEGAL, "Bay Point"),
    ("Mount Diablo Unified Schools Outreach", Sector.EDUCATION, "Concord"),
    ("Workers' Rights Project of Contra Costa", Sector.LABOR_WORKFORCE, "Pittsburg"),
    ("Interfaith Hospitality Network (demo)", Sector.FAITH_BASED, "Pleasant Hill"),
    ("Survivor Voices Collective", Sector.SURVIVOR_LED, "Richmond"),
    ("County Behavioral Health Access Line (demo)", Sector.BEHAVIORAL_HEALTH, "Martinez"),
    ("Hotel and Restaurant Alliance (demo)", Sector.BUSINESS, "San Ramon"),
]
CITIES = ["Antioch", "Brentwood", "Concord", "Martinez", "Pittsburg", "Richmond", "San Ramon"]


# Thirty agencies at 1x: more than a page of the agency list, as a real coalition has.
AGENCIES_PER_SCALE = 30


def demo_agency_names(scale: int) -> list[str]:
    names = [name for name, _, _ in DEMO_AGENCIES]
    partners = AGENCIES_PER_SCALE * scale - len(DEMO_AGENCIES)
    return names + [f"Partner Agency {number:04d}" for number in range(1, partners + 1)]


def seed(*, scale: int, rng: random.Random) -> list[str]:
    existing = set(Agency.objects.values_list("name", flat=True))
    sectors = list(Sector)
    new = []
    for index, name in enumerate(demo_agency_names(scale)):
        if name in existing:
            continue
        if index < len(DEMO_AGENCIES):
            _, sector, city = DEMO_AGENCIES[index]
        else:
            sector, city = rng.choice(sectors), rng.choice(CITIES)
        new.append(
            Agency(
                name=name,
                sector=sector,
                city=city,
                state="CA",
                service_area="Contra Costa County",
                phone=f"925-555-{1000 + index % 9000:04d}",
                status=AgencyStatus.LAPSED if index % 17 == 16 else AgencyStatus.ACTIVE,
            )
        )
    Agency.objects.bulk_create(new, batch_size=500)
    return [f"Created {len(new)} agencies."] if new else []
