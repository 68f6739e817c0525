"""Reads of membership reused across pages: the queue, duplicates, figures."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Lower
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency, Sector
from concord.core.permissions import can_review_applications
from concord.membership.models import (
    Application,
    ApplicationStatus,
)
from concord.membership.services.upkeep import WARN_DAYS

# Addresses at these domains say nothing about the agency behind them.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "live.com",
        "msn.com",
        "comcast.net",
        "sbcglobal.net",
        "att.net",
        "protonmail.com",
        "proton.me",
    }
)


def review_queue(*, status: str = "", today: datetime.date | None = None) -> QuerySet[Application]:
    """Undecided applications (or those of ``status``), the soonest decide-by first, each
    with ``same_name`` (an agency or another open application of the same name) and
    ``due_soon``. The flags are subqueries: the page runs the same queries for any size."""
    today = today or timezone.localdate()
    applications = Application.objects.select_related("agency", "meeting")
    applications = applications.filter(status=status) if status else applications.undecided()
    same_name = Exists(
        Agency.objects.annotate(lower=Lower("name")).filter(lower=Lower(OuterRef("legal_name")))
    ) | Exists(
        Application.objects.open()
        .exclude(pk=OuterRef("pk"))
        .exclude(status=ApplicationStatus.DRAFT)
        .annotate(lower=Lower("legal_name"))
        .filter(lower=Lower(OuterRef("legal_name")))
    )
    return applications.annotate(
        same_name=same_name & ~Q(kind="renewal"),
        due_soon=Q(decide_by__lte=today + datetime.timedelta(days=WARN_DAYS)),
    ).order_by("decide_by", "confirmed_at", "pk")


def due_soon(today: datetime.date | None = None) -> QuerySet[Application]:
    """Undecided applications to decide within a week: the dashboard shows them first."""
    today = today or timezone.localdate()
    return (
        Application.objects.undecided()
        .filter(decide_by__lte=today + datetime.timedelta(days=WARN_DAYS))
        .order_by("decide_by", "pk")
    )


@dataclass(frozen=True)
class Duplicates:
    agencies: list[Agency]
    applications: list[Application]
    domains: list[str]

    def __bool__(self) -> bool:
        return bool(self.agencies or self.applications or self.domains)


def _domains(application: Application) -> set[str]:
    return {d for d in application.email_domains.split() if d not in PUBLIC_EMAIL_DOMAINS}


def possible_duplicates(application: Application) -> Duplicates:
    """Agencies and open applications with the same name, and member agencies or open
    applications using the same email domain. A flag for the reviewer, never a verdict."""
    if application.is_erased:
        return Duplicates([], [], [])
    name = application.legal_name.strip()
    domains = _domains(application)
    own_agency = Q(pk=application.agency_id) if application.agency_id else Q(pk__in=[])
    agencies = Agency.objects.filter(name__iexact=name).exclude(own_agency) if name else []
    others = (
        Application.objects.open()
        .exclude(pk=application.pk)
        .exclude(status=ApplicationStatus.DRAFT)
    )
    domain_match = Q()
    for domain in domains:
        # Whole words of the space-separated list: "a.org" must not match "data.org".
        domain_match |= (
            Q(email_domains=domain)
            | Q(email_domains__startswith=f"{domain} ")
            | Q(email_domains__endswith=f" {domain}")
            | Q(email_domains__contains=f" {domain} ")
        )
    same_applications = others.filter(
        (Q(legal_name__iexact=name) if name else Q(pk__in=[]))
        | (domain_match if domains else Q(pk__in=[]))
    )
    shared = []
    for domain in sorted(domains):
        people = User.objects.filter(
            agency__isnull=False, is_active=True, email__iendswith="@" + domain
        ).exclude(agency__in=Agency.objects.filter(own_agency))
        if people.exists():
            shared.append(domain)
    return Duplicates(list(agencies), list(same_applications[:20]), shared)


@dataclass(frozen=True)
class Figures:
    by_sector: list[tuple[str, int, int]]  # label, applications, accepted
    decided: int
    accepted: int
    median_days_to_decision: float | None
    mean_days_to_decision: float | None

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def figures(*, since: datetime.date | None = None) -> Figures:
    """Applications by sector, time from confirmation to decision, acceptance rate.

    Counted from every application that reached review, erased ones included (their
    sector, status and dates stay)."""
    reached = Application.objects.filter(confirmed_at__isnull=False)
    if since is not None:
        reached = reached.filter(confirmed_at__date__gte=since)
    counts = {
        row["sector"]: row
        for row in reached.values("sector").annotate(
            total=Count("pk"), accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED))
        )
    }
    labels = dict(Sector.choices)
    by_sector = [
        (str(labels.get(sector, sector)), row["total"], row["accepted"])
        for sector, row in sorted(counts.items(), key=lambda item: -item[1]["total"])
    ]
    decided = reached.filter(
        status__in=(ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED),
        decided_at__isnull=False,
    ).annotate(
        taken=ExpressionWrapper(F("decided_at") - F("confirmed_at"), output_field=DurationField())
    )
    # The database averages and sorts the durations: the page reads two rows, not all.
    summary = decided.aggregate(
        count=Count("pk"),
        accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)),
        mean=Avg("taken"),
    )
    count = summary["count"]
    middle = (
        list(
            decided.order_by("taken").values_list("taken", flat=True)[
                (count - 1) // 2 : count // 2 + 1
            ]
        )
        if count
        else []
    )
    median = sum(middle, datetime.timedelta()) / len(middle) if middle else None
    return Figures(
        by_sector=by_sector,
        decided=count,
        accepted=summary["accepted"],
        median_days_to_decision=_days(median),
        mean_days_to_decision=_days(summary["mean"]),
    )


def _days(duration: datetime.timedelta | None) -> float | None:
    return duration.total_seconds() / 86400 if duration is not None else None


def applications_visible_to(user: User) -> QuerySet[Application]:
    """The applications a person may open from the review pages: every application that
    reached review, for reviewers and coordinators; none for anyone else."""
    if not can_review_applications(user):
        return Application.objects.none()
    return Application.objects.exclude(
        status__in=(ApplicationStatus.DRAFT, ApplicationStatus.UNCONFIRMED)
    ).select_related("agency", "meeting")


def linkable_agencies(application: Application) -> QuerySet[Agency]:
    """Agencies a new application may be linked to when accepted: those of the same name."""
    name = application.legal_name.strip()
    if application.agency_id is not None or not name:
        return Agency.objects.none()
    return Agency.objects.filter(name__iexact=name)


def applications_for_export() -> QuerySet[Application]:
    """Every application that reached review, oldest confirmation first."""
    return (
        Application.objects.filter(confirmed_at__isnull=False)
        .select_related("agency")
        .order_by("confirmed_at", "pk")
    )
