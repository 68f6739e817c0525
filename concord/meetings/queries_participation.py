"""Each agency's participation over the last 12 months, against its commitment.

Every figure is a correlated subquery on the agency row, so the page and the CSV run a
fixed number of queries whatever the number of agencies, people or meetings; sorted by
name, the database computes the figures for the rows of one page only.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from concord.agencies.models import Agency
from concord.meetings.models import (
    Attendance,
    CommitteeMembership,
    Meeting,
    MeetingStatus,
    MembershipStatus,
)

# The commitment of an agency that has no membership term on record (one set up by hand
# before it applied): the seed's, at least 3 coalition meetings a year (of the 4) and at
# least one committee. An accepted application records each agency's own.
DEFAULT_COALITION_MEETINGS = 3
DEFAULT_COMMITTEES = 1
PERIOD = datetime.timedelta(days=365)
SORTS = ("name", "below")


@dataclass(frozen=True)
class Commitment:
    coalition_meetings: int
    committees: int


def commitment_expressions() -> dict[str, Expression]:
    """What each agency committed to, as expressions on the agency row: the figures of
    its latest membership term, else the defaults. The page, its sorting and the CSV
    follow from here."""
    from concord.membership.models import MembershipTerm

    latest = MembershipTerm.objects.filter(agency=OuterRef("pk")).order_by("-ends_on", "-pk")
    return {
        "committed_coalition_meetings": Coalesce(
            Subquery(latest.values("coalition_meetings")[:1]),
            Value(DEFAULT_COALITION_MEETINGS),
            output_field=IntegerField(),
        ),
        "committed_committees": Coalesce(
            Subquery(latest.values("committees")[:1]),
            Value(DEFAULT_COMMITTEES),
            output_field=IntegerField(),
        ),
    }


def commitment_of(agency: Agency) -> Commitment:
    """An agency's commitment: read from a row of ``participation``, else one query."""
    names = list(commitment_expressions())
    if all(hasattr(agency, name) for name in names):
        values = {name: getattr(agency, name) for name in names}
    else:
        values = (
            Agency.objects.filter(pk=agency.pk)
            .annotate(**commitment_expressions())
            .values(*names)
            .get()
        )
    return Commitment(
        coalition_meetings=values["committed_coalition_meetings"],
        committees=values["committed_committees"],
    )


def held_meetings(*, now: datetime.datetime, coalition: bool) -> QuerySet[Meeting]:
    """Meetings that took place in the last 12 months: started, not cancelled."""
    return Meeting.objects.filter(
        committee__isnull=coalition,
        starts_at__gte=now - PERIOD,
        starts_at__lt=now,
    ).exclude(status=MeetingStatus.CANCELLED)


def coalition_meetings_held(now: datetime.datetime | None = None) -> int:
    return held_meetings(now=now or timezone.now(), coalition=True).count()


def _count(queryset: QuerySet[Any], field: str) -> Coalesce:
    """A correlated count of distinct ``field`` values for the outer agency."""
    counted = (
        queryset.order_by()
        .values("person__agency")
        .annotate(count=Count(field, distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _attended(now: datetime.datetime, *, coalition: bool) -> Coalesce:
    return _count(
        Attendance.objects.filter(
            person__agency=OuterRef("pk"),
            status=Attendance.Status.PRESENT,
            meeting__in=held_meetings(now=now, coalition=coalition),
        ),
        "meeting",
    )


def participation(
    *, sort: str = "name", now: datetime.datetime | None = None, held: int | None = None
) -> QuerySet[Agency]:
    """Every active agency with its figures, its commitment and whether it falls below.

    ``held`` is the number of coalition meetings held in the period (one query; pass it
    when the caller already has it). An agency is expected at no more coalition meetings
    than were held: if two were cancelled, attending the two held is enough.
    """
    now = now or timezone.now()
    if held is None:
        held = coalition_meetings_held(now)
    committees = _count(
        CommitteeMembership.objects.filter(
            person__agency=OuterRef("pk"),
            person__is_active=True,
            status=MembershipStatus.ACTIVE,
        ),
        "committee",
    )
    agencies = (
        Agency.objects.active()
        .annotate(
            **commitment_expressions(),
            coalition_attended=_attended(now, coalition=True),
            committee_attended=_attended(now, coalition=False),
            committees_joined=committees,
        )
        .annotate(
            coalition_expected=Least(
                F("committed_coalition_meetings"), Value(held, output_field=IntegerField())
            ),
        )
        .annotate(
            below_commitment=Case(
                When(
                    Q(coalition_attended__lt=F("coalition_expected"))
                    | Q(committees_joined__lt=F("committed_committees")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if sort == "below":
        return agencies.order_by("-below_commitment", "name")
    return agencies.order_by("name")
