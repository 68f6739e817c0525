"""Demo membership: a term for every active agency (a few ending within a month, so the
renewal notices have something to send) and applications in every status, dated to the
demo's coalition meetings.

Rows are written directly, not through the services, so seeding queues no email.
"""

import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency, Sector
from concord.coalition.queries import current_coalition
from concord.membership.models import (
    REFERENCE_ALPHABET,
    Application,
    ApplicationStatus,
    MembershipTerm,
    Recommendation,
    ReviewComment,
    StatusChange,
    Step,
    ValueStatement,
    new_access_key,
)
from concord.membership.services.applicant import REQUIRED_STEPS
from concord.membership.services.schedule import target_meeting

# Days until each of the first terms ends: these agencies are invited to renew first.
ENDING_SOON = (6, 17, 28)
PRACTICES = (
    "Every intake is voluntary and explained in the survivor's language.",
    "Survivors choose which services they use and can stop at any time.",
    "We share leads and referrals with partners and attend case conferences.",
    "Our advocates explain each option, including not reporting, before any report.",
    "We send someone to every coalition meeting and chair a working group.",
)


@dataclass(frozen=True)
class DemoApplication:
    name: str
    sector: str
    status: str
    days_ago: int  # confirmed (or started, for a draft) this many days ago
    domain: str


def _applications(scale: int) -> list[DemoApplication]:
    base = [
        ("Lighthouse Harbor Shelter", Sector.VICTIM_SERVICES, ApplicationStatus.IN_REVIEW, 3),
        ("Pittsburg Family Justice Hub", Sector.IMMIGRATION_LEGAL, ApplicationStatus.IN_REVIEW, 12),
        ("Delta Street Outreach", Sector.COMMUNITY_BASED, ApplicationStatus.IN_REVIEW, 25),
        ("Richmond Youth Mentors", Sector.CHILD_WELFARE, ApplicationStatus.INFO_REQUESTED, 20),
        ("Walnut Creek Nurses Network", Sector.HEALTH_CARE, ApplicationStatus.ACCEPTED, 200),
        ("San Ramon Interpreters Guild", Sector.OTHER, ApplicationStatus.ACCEPTED, 120),
        ("Example Modeling Agency", Sector.BUSINESS, ApplicationStatus.DECLINED, 150),
        ("Antioch Wellness Spa (demo)", Sector.BUSINESS, ApplicationStatus.DECLINED, 90),
        ("Brentwood Farmworker Aid", Sector.LABOR_WORKFORCE, ApplicationStatus.WITHDRAWN, 60),
        ("Concord Tenants Union", Sector.COMMUNITY_BASED, ApplicationStatus.UNCONFIRMED, 1),
        ("Hercules Community Church", Sector.FAITH_BASED, ApplicationStatus.DRAFT, 2),
    ]
    rows = []
    for copy in range(scale):
        suffix = f" {copy + 1:03d}" if copy else ""
        for name, sector, status, days_ago in base:
            slug = name.split()[0].lower()
            rows.append(
                DemoApplication(
                    name=name + suffix,
                    sector=sector,
                    status=status,
                    days_ago=days_ago + copy,
                    domain=f"{slug}{copy or ''}.example.net",
                )
            )
        # A possible duplicate: someone at a member agency's email domain applies again.
        rows.append(
            DemoApplication(
                "Harbor Light Outreach Program" + suffix,
                Sector.VICTIM_SERVICES,
                ApplicationStatus.IN_REVIEW,
                5 + copy,
                "example.org",
            )
        )
    return rows


def _seed_terms(today: datetime.date) -> int:
    without_term = Agency.objects.active().exclude(membership_terms__isnull=False).order_by("pk")
    terms = []
    for index, agency in enumerate(without_term):
        days = ENDING_SOON[index] if index < len(ENDING_SOON) else 31 + (index * 47) % 330
        ends_on = today + datetime.timedelta(days=days)
        terms.append(
            MembershipTerm(
                agency=agency,
                starts_on=ends_on - relativedelta(years=1) + datetime.timedelta(days=1),
                ends_on=ends_on,
                hours_per_month=4 + index % 6,
            )
        )
    MembershipTerm.objects.bulk_create(terms, batch_size=500)
    return len(terms)


def _reference(rng: random.Random, taken: set[str]) -> str:
    while (reference := "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(8))) in taken:
        continue
    taken.add(reference)
    return reference


def _create(demo: DemoApplication, number: int, rng: random.Random, taken: set[str]) -> Application:
    now = timezone.now()
    moment = now - datetime.timedelta(days=demo.days_ago, hours=rng.randrange(1, 9))
    draft = demo.status == ApplicationStatus.DRAFT
    application = Application(
        reference=_reference(rng, taken),
        access_key=new_access_key(),
        status=demo.status,
        language="es" if number % 4 == 3 else "en",
        contact_email=f"intake{number}@{demo.domain}",
        email_domains=demo.domain,
        legal_name=demo.name,
        sector=demo.sector,
        street_address=f"{100 + number} Main Street",
        city=rng.choice(["Antioch", "Concord", "Martinez", "Pittsburg", "Richmond"]),
        postal_code="94520",
        whole_county=number % 2 == 0,
        service_cities="" if number % 2 == 0 else "Concord, Martinez",
        phone=f"925-555-{2000 + number:04d}",
        description=f"{demo.name} works with survivors and partners across the county.",
        primary_name=f"Primary Applicant {number}",
        primary_title="Director",
        primary_email=f"director{number}@{demo.domain}",
        primary_language="en",
        alternate_name=f"Alternate Applicant {number}",
        alternate_title="Program manager",
        alternate_email=f"manager{number}@{demo.domain}",
        alternate_language="es",
        agrees_to_attend=not draft,
        agrees_to_committee=not draft,
        hours_per_month=None if draft else 2 + number % 8,
        agrees_to_confidentiality=not draft,
        signature_name="" if draft else f"Primary Applicant {number}",
        signature_title="" if draft else "Director",
        signature_date=None if draft else timezone.localdate(moment),
        completed_steps=[Step.AGENCY, Step.PEOPLE] if draft else list(REQUIRED_STEPS),
        submitted_at=None if draft else moment - datetime.timedelta(hours=1),
    )
    if demo.status not in (ApplicationStatus.DRAFT, ApplicationStatus.UNCONFIRMED):
        application.confirmed_at = moment
        application.meeting, application.decide_by = target_meeting(moment)
    if demo.status == ApplicationStatus.INFO_REQUESTED:
        application.info_request = "Which cities does your mentoring program serve?"
        application.info_due = timezone.localdate() + datetime.timedelta(days=14)
    if demo.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
        application.decided_at = moment + datetime.timedelta(days=rng.randrange(5, 30))
    if demo.status == ApplicationStatus.DECLINED:
        application.decision_reason = "The agency's work does not serve trafficking survivors."
    application.save()
    return application


def _history(application: Application, coordinator: User | None) -> None:
    """The status changes that led to the application's status, as the services log them."""
    path: list[str] = [ApplicationStatus.DRAFT, ApplicationStatus.UNCONFIRMED]
    path += [ApplicationStatus.IN_REVIEW, application.status]
    steps = path[: path.index(application.status) + 1]
    for previous, to in itertools.pairwise(steps):
        decided = to not in (ApplicationStatus.UNCONFIRMED, ApplicationStatus.IN_REVIEW)
        # The applicant (no account) confirms and withdraws; a coordinator decides.
        by_coordinator = decided and to != ApplicationStatus.WITHDRAWN
        StatusChange.objects.create(
            application=application,
            from_status=previous,
            to_status=to,
            actor=coordinator if by_coordinator else None,
            reason=(application.decision_reason or application.info_request) if decided else "",
        )


def _seed_applications(rng: random.Random, scale: int) -> int:
    coalition = current_coalition()
    values = coalition.value_list if coalition else []
    coordinator = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    members = list(Agency.objects.active().order_by("pk")[: scale * 2])
    taken: set[str] = set()
    accepted = 0
    created = 0
    for number, demo in enumerate(_applications(scale), start=1):
        application = _create(demo, number, rng, taken)
        created += 1
        ValueStatement.objects.bulk_create(
            ValueStatement(
                application=application,
                position=position,
                value=value,
                affirmed=application.status != ApplicationStatus.DRAFT,
                practice=PRACTICES[(position - 1) % len(PRACTICES)],
            )
            for position, value in enumerate(values, start=1)
        )
        _history(application, coordinator)
        if application.is_undecided and coordinator is not None and number % 3 == 1:
            ReviewComment.objects.create(
                application=application,
                author=coordinator,
                text="Spoke with their director: they already refer clients to two members.",
                recommendation=Recommendation.ACCEPT,
            )
        if application.status == ApplicationStatus.ACCEPTED and accepted < len(members):
            # The agency it made a member: its term came from this application.
            agency = members[accepted]
            accepted += 1
            Application.objects.filter(pk=application.pk).update(
                agency=agency, legal_name=agency.name, sector=agency.sector
            )
            agency.membership_terms.filter(application__isnull=True).update(application=application)
    return created


def seed(*, scale: int, rng: random.Random) -> Iterator[str]:
    terms = _seed_terms(timezone.localdate())
    if terms:
        yield f"Created {terms} membership terms."
    if Application.objects.exists():
        return
    yield f"Created {_seed_applications(rng, scale)} membership applications."
