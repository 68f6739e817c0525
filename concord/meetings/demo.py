"""Demo meetings: the coalition's quarterly series, committees meeting monthly, a
sub-committee with a sunset, memberships, and a year of attendance to measure."""

import datetime
import random

from django.utils import timezone

from concord.accounts.models import AgencyRole, User
from concord.meetings.models import (
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    CommitteeRole,
    Meeting,
    MeetingSeries,
    MembershipStatus,
)
from concord.meetings.services.schedule import generate_meetings, horizon

COMMITTEES = [
    (
        "Training and Technical Assistance",
        "Capacitación y Asistencia Técnica",
        "FREQ=MONTHLY;BYDAY=2WE",
    ),
    ("Public Awareness", "Concienciación Pública", "FREQ=MONTHLY;BYDAY=1TH"),
    ("Policies and Protocols", "Políticas y Protocolos", "FREQ=MONTHLY;BYDAY=3MO"),
    ("Coordinated System of Care", "Sistema de Atención Coordinado", "FREQ=MONTHLY;BYDAY=2TU"),
]
SUBCOMMITTEE = "January Awareness Month Planning"
COALITION_RULE = "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=4TU"


def _years_of_history(scale: int) -> int:
    # Ten years of meetings at the benchmark's 100x, one year in the demo.
    return 10 if scale >= 100 else 1


def _committee_names(scale: int) -> list[tuple[str, str, str]]:
    extra = max(0, 50 - len(COMMITTEES)) if scale >= 100 else 0
    rules = ["FREQ=MONTHLY;BYDAY=1WE", "FREQ=MONTHLY;BYDAY=4TH", "FREQ=MONTHLY;BYDAY=2FR"]
    return COMMITTEES + [
        (f"Working Group {number:02d}", "", rules[number % len(rules)])
        for number in range(1, extra + 1)
    ]


def seed(*, scale: int, rng: random.Random) -> list[str]:
    if MeetingSeries.objects.exists():
        return []
    today = timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=365 * _years_of_history(scale))
    until = horizon(today)
    coalition = MeetingSeries.objects.create(
        title="Coalition meeting",
        title_es="Reunión de la Coalición",
        rule=COALITION_RULE,
        starts_on=first,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
        location="Contra Costa County Administration Building, 1025 Escobar St, Martinez",
        online_url="https://meet.example.org/zero-tolerance-coalition",
    )
    generate_meetings(series=coalition, until=until)
    people = list(User.objects.filter(is_active=True, agency__isnull=False).order_by("pk"))
    committees = []
    for index, (name, name_es, rule) in enumerate(_committee_names(scale)):
        committee = Committee.objects.create(
            name=name, name_es=name_es, purpose=f"The coalition's work on {name.lower()}."
        )
        committees.append(committee)
        series = MeetingSeries.objects.create(
            committee=committee,
            title=f"{name} committee",
            rule=rule,
            starts_on=first,
            start_time=datetime.time(13, 0),
            end_time=datetime.time(14, 0),
            online_url=f"https://meet.example.org/committee-{index + 1}",
        )
        generate_meetings(series=series, until=until)
        members = rng.sample(people, k=min(len(people), 8))
        CommitteeMembership.objects.bulk_create(
            [
                CommitteeMembership(
                    committee=committee,
                    person=person,
                    role=CommitteeRole.CHAIR if position == 0 else CommitteeRole.MEMBER,
                    status=MembershipStatus.ACTIVE,
                )
                for position, person in enumerate(members)
            ]
        )
    sub = Committee.objects.create(
        name=SUBCOMMITTEE,
        name_es="Planificación del Mes de Concienciación de Enero",
        kind=CommitteeKind.SUBCOMMITTEE,
        parent=committees[1],
        charge="Plan January's Human Trafficking Awareness Month events and proclamations.",
        starts_on=today - datetime.timedelta(days=60),
        sunset_on=today + datetime.timedelta(days=75),
    )
    _seed_attendance(rng, today)
    return [
        f"Created {len(committees) + 1} committees and {Meeting.objects.count()} meetings ({sub})."
    ]


def _seed_attendance(rng: random.Random, today: datetime.date) -> None:
    """A year of coalition attendance by primary representatives, most but not all."""
    start = today - datetime.timedelta(days=365)
    meetings = list(
        Meeting.objects.filter(
            committee__isnull=True, starts_at__date__gte=start, starts_at__date__lt=today
        )
    )
    representatives = list(User.objects.filter(agency_role=AgencyRole.PRIMARY, is_active=True))
    rows = []
    for meeting in meetings:
        for person in representatives:
            status = rng.choices(
                [Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED],
                weights=[7, 2, 1],
            )[0]
            rows.append(Attendance(meeting=meeting, person=person, status=status))
    Attendance.objects.bulk_create(rows, batch_size=1000)
