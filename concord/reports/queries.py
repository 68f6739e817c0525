"""The reads behind the dashboard, the annual report and the grant export.

Figures other apps already compute are read from their query modules (membership,
participation, referrals, trainings, assistance, awareness); this module adds only the
few lists the dashboard needs that no other page had: renewals due, lapsed agencies,
coalition attendance by meeting, committees' attendance, sub-committees near their
sunset, overdue action items, stale listings, referral outcomes and motions carried.
Every function aggregates in the database and runs a fixed number of queries whatever
the number of rows. None returns client information.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from concord.agencies.models import Agency, AgencyStatus
from concord.directory.models import Service, ServiceStatus
from concord.directory.queries import stale_before
from concord.meetings.models import (
    ActionItem,
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeStatus,
    Meeting,
    MeetingStatus,
    Motion,
)
from concord.meetings.queries_participation import participation
from concord.membership.models import MembershipTerm
from concord.membership.queries import review_queue
from concord.membership.services.upkeep import RENEWAL_NOTICE_DAYS
from concord.referrals.models import Referral

# How far ahead the dashboard looks for renewals and sunsets: two months gives time to act.
LOOK_AHEAD_DAYS = 60
# Lists on the page stop here; the exports carry every row.
PAGE_ROWS = 25


@dataclass(frozen=True)
class Period:
    """A range of days, both included, in the coalition's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def first(self) -> datetime.datetime:
        return _moment(self.start)

    @property
    def after(self) -> datetime.datetime:
        """The first moment after the range."""
        return _moment(self.end + datetime.timedelta(days=1))

    @property
    def now(self) -> datetime.datetime:
        """The end of the range, or now if the range has not ended: figures that look
        back from a moment (participation) look back from here."""
        return min(self.after, timezone.now())


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def default_period(today: datetime.date | None = None) -> Period:
    """The last 12 months, today included."""
    today = today or timezone.localdate()
    return Period(today - relativedelta(years=1) + datetime.timedelta(days=1), today)


def year_period(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


# Membership


def agencies_by_sector() -> dict[str, int]:
    """Active member agencies by sector, the largest first."""
    rows = (
        Agency.objects.active()
        .values("sector")
        .annotate(count=Count("pk"))
        .order_by("-count", "sector")
    )
    return {row["sector"]: row["count"] for row in rows}


def waiting_applications(
    today: datetime.date | None = None, limit: int | None = PAGE_ROWS
) -> list[dict[str, Any]]:
    """Applications waiting for a decision, overdue first (the soonest decide-by first)."""
    today = today or timezone.localdate()
    rows = review_queue(today=today).values("pk", "legal_name", "sector", "kind", "decide_by")
    return [
        {**row, "overdue": row["decide_by"] is not None and row["decide_by"] < today}
        for row in (rows[:limit] if limit else rows)
    ]


def waiting_application_count() -> int:
    return review_queue().count()


def renewals_due(
    today: datetime.date | None = None, limit: int | None = PAGE_ROWS
) -> list[dict[str, Any]]:
    """Active agencies whose membership term ends within ``LOOK_AHEAD_DAYS`` with no later
    term yet, the soonest first; ``notice_due`` when the renewal invitation has gone out."""
    today = today or timezone.localdate()
    later = MembershipTerm.objects.filter(
        agency=OuterRef("agency"), starts_on__gt=OuterRef("ends_on")
    )
    rows = (
        MembershipTerm.objects.filter(
            agency__status=AgencyStatus.ACTIVE,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=LOOK_AHEAD_DAYS),
        )
        .exclude(Exists(later))
        .order_by("ends_on", "agency__name")
        .values("agency_id", "agency__name", "ends_on", "renewal_notice_sent_at")
    )
    return [
        {
            "agency_id": row["agency_id"],
            "name": row["agency__name"],
            "ends_on": row["ends_on"],
            "invited": row["renewal_notice_sent_at"] is not None,
            "within_notice": row["ends_on"] <= today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS),
        }
        for row in (rows[:limit] if limit else rows)
    ]


def lapsed_agencies(limit: int | None = PAGE_ROWS) -> list[dict[str, Any]]:
    rows = (
        Agency.objects.filter(status=AgencyStatus.LAPSED)
        .order_by("name", "pk")
        .values("pk", "name", "sector")
    )
    return [dict(row) for row in (rows[:limit] if limit else rows)]


def agency_status_counts() -> dict[str, int]:
    return {
        row["status"]: row["count"]
        for row in Agency.objects.values("status").annotate(count=Count("pk")).order_by("status")
    }


# Participation


def _held(period: Period) -> Any:
    return (
        Meeting.objects.filter(starts_at__gte=period.first, starts_at__lt=period.after)
        .filter(starts_at__lt=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
    )


_PRESENT = Q(attendance__status=Attendance.Status.PRESENT)


def coalition_attendance(period: Period) -> list[dict[str, Any]]:
    """Each coalition meeting held in the range: people and agencies present."""
    rows = (
        _held(period)
        .filter(committee__isnull=True)
        .annotate(
            people=Count("attendance", filter=_PRESENT),
            agencies=Count("attendance__person__agency", filter=_PRESENT, distinct=True),
        )
        .order_by("starts_at", "pk")
        .values("pk", "title", "title_es", "starts_at", "people", "agencies")
    )
    return [dict(row) for row in rows]


def below_commitment(
    period: Period, limit: int | None = PAGE_ROWS
) -> tuple[list[dict[str, Any]], int]:
    """Active agencies below their commitment in the 12 months to the end of the range,
    by name, and how many there are: the first ``limit`` rows (the database stops
    computing figures once it has them) and a count, or every row. The query is built
    once: building it costs about as much as running the count."""
    # The figures are annotations the type checker cannot see.
    figures: Any = participation(now=period.now)
    agencies = figures.filter(below_commitment=True)
    rows = [
        dict(row)
        for row in agencies.values(
            "pk",
            "name",
            "coalition_attended",
            "coalition_expected",
            "committees_joined",
            "committed_committees",
        )[:limit]
    ]
    return rows, (len(rows) if limit is None else agencies.count())


def committee_attendance(period: Period) -> list[dict[str, Any]]:
    """Active committees and sub-committees: meetings held in the range, and attendance."""
    held = Q(
        meetings__starts_at__gte=period.first,
        meetings__starts_at__lt=min(period.after, timezone.now()),
    ) & ~Q(meetings__status=MeetingStatus.CANCELLED)
    rows = (
        Committee.objects.filter(status=CommitteeStatus.ACTIVE)
        .annotate(
            held=Count("meetings", filter=held, distinct=True),
            present=Count(
                "meetings__attendance",
                filter=held & Q(meetings__attendance__status=Attendance.Status.PRESENT),
            ),
        )
        .order_by("name", "pk")
        .values("pk", "name", "name_es", "kind", "held", "present")
    )
    return [dict(row) for row in rows]


def subcommittees_near_sunset(today: datetime.date | None = None) -> list[dict[str, Any]]:
    today = today or timezone.localdate()
    rows = (
        Committee.objects.filter(
            kind=CommitteeKind.SUBCOMMITTEE,
            status=CommitteeStatus.ACTIVE,
            sunset_on__lte=today + datetime.timedelta(days=LOOK_AHEAD_DAYS),
        )
        .order_by("sunset_on", "name")
        .values("pk", "name", "name_es", "sunset_on")
    )
    return [dict(row) for row in rows]


def overdue_action_items(
    today: datetime.date | None = None, limit: int | None = PAGE_ROWS
) -> list[dict[str, Any]]:
    """Open action items past their due date, the oldest first. No owner's name: the list
    behind it, for coordinators, has it."""
    today = today or timezone.localdate()
    rows = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=today)
        .order_by("due_on", "pk")
        .values("pk", "title", "committee_id", "committee__name", "due_on")
    )
    return [dict(row) for row in (rows[:limit] if limit else rows)]


def overdue_action_count(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=today).count()


def meetings_summary(period: Period) -> dict[str, int]:
    """Meetings held in the range, action items completed and motions carried: what the
    committees did towards the coalition's policies and protocols. One query each."""
    held = _held(period).aggregate(
        coalition=Count("pk", filter=Q(committee__isnull=True)),
        committee=Count("pk", filter=Q(committee__isnull=False)),
    )
    return {
        "coalition_meetings": held["coalition"],
        "committee_meetings": held["committee"],
        "motions_carried": Motion.objects.filter(
            result=Motion.Result.CARRIED,
            meeting__starts_at__gte=period.first,
            meeting__starts_at__lt=period.after,
        ).count(),
        "actions_completed": ActionItem.objects.filter(
            status=ActionItem.Status.DONE,
            completed_at__gte=period.first,
            completed_at__lt=period.after,
        ).count(),
    }


# The system of care


def listing_upkeep(today: datetime.date | None = None) -> dict[str, int]:
    """Active listings never verified, and those last verified over a year ago."""
    today = today or timezone.localdate()
    return Service.objects.filter(status=ServiceStatus.ACTIVE).aggregate(
        total=Count("pk"),
        unverified=Count("pk", filter=Q(assured_date__isnull=True)),
        stale=Count("pk", filter=Q(assured_date__lt=stale_before(today))),
    )


def referral_outcomes(period: Period) -> dict[str, int]:
    """Referrals sent in the range by their recorded outcome ("" when none yet)."""
    rows = (
        Referral.objects.sent_or_later()
        .filter(sent_at__gte=period.first, sent_at__lt=period.after)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by("outcome")
    )
    return {row["outcome"]: row["count"] for row in rows}
