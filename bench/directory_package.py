"""A synthetic HSDS tabular package for the directory benchmark (issue 5): N services,
1.5 x N locations, their organizations, addresses, phones, schedules, languages, cost
options, service areas, and attributes that link services to the default taxonomy's terms.

Deterministic: the same N and seed give the same files. Pure Python (no Django): the CSV
columns are the fields of HSDS's datapackage.json, which is also written, trimmed to the
tables the package has, as ``export_hsds`` trims it to the tables Concord keeps.
"""

import copy
import csv
import json
import random
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DIRECTORY_DIR = BASE_DIR / "concord" / "directory"
HSDS_DATAPACKAGE = DIRECTORY_DIR / "hsds" / "datapackage.json"
DEFAULT_TAXONOMY = DIRECTORY_DIR / "data" / "default_taxonomy.json"

# Tables in dependency order: a row only points at rows of earlier tables (or the
# taxonomy terms already in the database).
TABLE_ORDER = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "phone",
    "schedule",
    "language",
    "cost_option",
    "service_area",
    "attribute",
)
CITIES = ("Concord", "Martinez", "Walnut Creek", "Pittsburg", "Antioch", "Richmond")
LANGUAGES = (("en", "English"), ("es", "Spanish"), ("zh", "Chinese"), ("vi", "Vietnamese"))
KINDS = (
    ("Emergency shelter", "Safe shelter beds and hotel vouchers for tonight."),
    ("Legal help", "Free legal advice on immigration, T visas and criminal record relief."),
    ("Case management", "A case manager who helps with safety planning and benefits."),
    ("Counseling", "Trauma-informed counseling, one to one and in groups."),
    ("Food pantry", "Groceries and hot meals, no questions asked."),
    ("Job training", "Job readiness classes, résumés and placement with employers."),
    ("Medical care", "Primary care, dental care and help with health insurance."),
    ("Transitional housing", "Housing for up to two years with support services."),
)
WORDS = (
    "survivors",
    "families",
    "youth",
    "confidential",
    "bilingual",
    "walk-in",
    "referral",
    "advocacy",
    "transportation",
    "childcare",
)
DAYS = ("MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "SA,SU", "MO,TU,WE,TH,FR,SA")


def columns_by_table(datapackage: Path = HSDS_DATAPACKAGE) -> dict[str, list[str]]:
    """Each HSDS table's CSV columns, in the order of HSDS's datapackage.json."""
    package = json.loads(datapackage.read_text(encoding="utf-8"))
    return {
        resource["name"]: [field["name"] for field in resource["schema"]["fields"]]
        for resource in package["resources"]
    }


def file_names(datapackage: Path = HSDS_DATAPACKAGE) -> dict[str, str]:
    package = json.loads(datapackage.read_text(encoding="utf-8"))
    return {resource["name"]: resource["path"] for resource in package["resources"]}


def taxonomy_term_ids(path: Path = DEFAULT_TAXONOMY, language: str = "en") -> list[str]:
    """The ids of the default taxonomy's terms in ``language`` (one per category)."""
    terms = json.loads(path.read_text(encoding="utf-8"))
    return [term["id"] for term in terms if term.get("language", "en") == language]


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def generate_rows(
    services: int = 10_000, *, seed: int = 5, term_ids: list[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The package's rows by table name; every reference points at a row of an earlier
    table, or at one of ``term_ids`` (default: the default taxonomy's English terms)."""
    if services < 1:
        raise ValueError("services must be 1 or more")
    rng = random.Random(seed)
    new_id = _Ids(rng)
    terms = term_ids if term_ids is not None else taxonomy_term_ids()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_ORDER}

    organizations = [new_id() for _ in range(max(1, services // 10))]
    for number, org_id in enumerate(organizations, start=1):
        rows["organization"].append(
            {
                "id": org_id,
                "name": f"Bench Organization {number}",
                "description": f"Community organization {number} serving {rng.choice(WORDS)}.",
                "email": f"info{number}@org.example.org",
                "website": f"https://org{number}.example.org",
            }
        )

    service_ids: list[str] = []
    service_org: list[str] = []
    for number in range(1, services + 1):
        service_id, org_id = new_id(), organizations[(number - 1) // 10 % len(organizations)]
        kind, blurb = KINDS[number % len(KINDS)]
        words = " ".join(rng.sample(WORDS, 3))
        service_ids.append(service_id)
        service_org.append(org_id)
        rows["service"].append(
            {
                "id": service_id,
                "organization_id": org_id,
                "name": f"{kind} {number}",
                "description": f"{blurb} For {words}.",
                "email": f"service{number}@org.example.org",
                "status": "active",
                "minimum_age": rng.choice(("", "0", "12", "18")),
                "maximum_age": rng.choice(("", "", "24", "120")),
            }
        )

    # 1.5 x N locations: every service has its own, every other service a second one.
    location_count = services + services // 2
    for number in range(1, location_count + 1):
        location_id = new_id()
        owner = (number - 1) % services
        rows["location"].append(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": service_org[owner],
                "name": f"Bench Site {number}",
                "latitude": f"{37.9 + rng.uniform(-0.2, 0.2):.6f}",
                "longitude": f"{-122.0 + rng.uniform(-0.2, 0.2):.6f}",
            }
        )
        rows["service_at_location"].append(
            {"id": new_id(), "service_id": service_ids[owner], "location_id": location_id}
        )
        rows["address"].append(
            {
                "id": new_id(),
                "location_id": location_id,
                "address_1": f"{rng.randint(1, 9999)} Main Street",
                "city": CITIES[number % len(CITIES)],
                "state_province": "CA",
                "postal_code": f"945{rng.randint(10, 99)}",
                "country": "US",
                "address_type": "physical",
            }
        )

    for index, service_id in enumerate(service_ids):
        rows["phone"].append(
            {
                "id": new_id(),
                "service_id": service_id,
                "number": f"925-555-{index % 10_000:04d}",
                "type": "voice",
            }
        )
        rows["schedule"].append(
            {
                "id": new_id(),
                "service_id": service_id,
                "freq": "WEEKLY",
                "byday": rng.choice(DAYS),
                "opens_at": "09:00",
                "closes_at": rng.choice(("17:00", "18:00", "20:00")),
            }
        )
        for code, name in rng.sample(LANGUAGES, rng.randint(1, 2)):
            rows["language"].append(
                {"id": new_id(), "service_id": service_id, "code": code, "name": name}
            )
        free = rng.random() < 0.6
        rows["cost_option"].append(
            {
                "id": new_id(),
                "service_id": service_id,
                "option": "Free" if free else "Sliding scale",
                "currency": "USD",
                "amount": "0" if free else str(rng.randint(5, 50)),
            }
        )
        rows["service_area"].append(
            {"id": new_id(), "service_id": service_id, "name": rng.choice(CITIES)}
        )
        for term_id in rng.sample(terms, min(len(terms), rng.randint(1, 2))):
            rows["attribute"].append(
                {
                    "id": new_id(),
                    "link_id": service_id,
                    "taxonomy_term_id": term_id,
                    "link_type": "service_category",
                    "link_entity": "service",
                }
            )
    return rows


def write_package(
    directory: Path,
    services: int = 10_000,
    *,
    seed: int = 5,
    term_ids: list[str] | None = None,
) -> dict[str, int]:
    """Write the package (CSV files and datapackage.json) into ``directory``; returns the
    row count of each table."""
    rows = generate_rows(services, seed=seed, term_ids=term_ids)
    columns, names = columns_by_table(), file_names()
    directory.mkdir(parents=True, exist_ok=True)
    for table, table_rows in rows.items():
        write_csv(directory / names[table], columns[table], table_rows)
    _write_datapackage(directory, rows.keys())
    return {table: len(table_rows) for table, table_rows in rows.items()}


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    unknown = {key for row in rows for key in row} - set(columns)
    if unknown:
        raise ValueError(f"{path.name}: columns not in HSDS: {sorted(unknown)}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])


def _write_datapackage(directory: Path, tables: Iterable[str]) -> None:
    package = json.loads(HSDS_DATAPACKAGE.read_text(encoding="utf-8"))
    wanted = set(tables)
    package["resources"] = [
        copy.deepcopy(resource) for resource in package["resources"] if resource["name"] in wanted
    ]
    with (directory / "datapackage.json").open("w", encoding="utf-8") as handle:
        json.dump(package, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
