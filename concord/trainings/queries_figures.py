"""Training figures and evaluation results, aggregated in the database.

Each function makes a fixed number of queries, whatever the number of rows, and returns
plain dicts and lists (no model instances), so other pages (issue 9's dashboard) can reuse
them. No function here returns a name next to a comment.
"""

import datetime
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from concord.agencies.models import Sector
from concord.trainings.models import (
    Evaluation,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

RATINGS = ("overall", "content", "trainer", "usefulness")
SCALE = range(1, 6)


def _averages(evaluations: QuerySet[Evaluation]) -> dict[str, Any]:
    """Count, average per rating, and how many gave each value: one query."""
    aggregates: dict[str, Any] = {"count": Count("pk")}
    for rating in RATINGS:
        aggregates[f"{rating}_average"] = Avg(rating)
        for value in SCALE:
            aggregates[f"{rating}_{value}"] = Count("pk", filter=Q(**{rating: value}))
    row = evaluations.aggregate(**aggregates)
    return {
        "count": row["count"],
        "averages": {
            rating: None
            if row[f"{rating}_average"] is None
            else round(float(row[f"{rating}_average"]), 2)
            for rating in RATINGS
        },
        "distribution": {
            rating: {value: row[f"{rating}_{value}"] for value in SCALE} for rating in RATINGS
        },
    }


def evaluation_results(*, session_id: int | None = None, training_id: int | None = None) -> dict:
    """The evaluations of one session or of every session of one training: count,
    averages, distribution per rating, and the comments without any name, in the order
    of their text so the order says nothing about who wrote which. Two queries."""
    if (session_id is None) == (training_id is None):
        raise ValueError("Give a session or a training, not both.")
    evaluations = Evaluation.objects.filter(
        Q(registration__session_id=session_id)
        if session_id is not None
        else Q(registration__session__training_id=training_id)
    )
    results = _averages(evaluations)
    results["comments"] = sorted(
        evaluations.exclude(comments="").values_list("comments", flat=True)
    )
    return results


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 months, today included."""
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + datetime.timedelta(days=1), today


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def training_figures(
    start: datetime.date, end: datetime.date, *, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """Sessions held, people trained (attendances) by sector and by training, and the
    evaluation averages, for sessions that started from ``start`` to ``end`` (both days
    included) and have ended by ``now``. Three queries.

    "People trained" counts attendances: someone who attended two sessions counts twice,
    as funders' "trained by discipline" figures do.
    """
    first, after = _bounds(start, end)
    now = now or timezone.now()
    held = TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gte=first, starts_at__lt=after, ends_at__lte=now
    )
    trained = Registration.objects.filter(
        session__in=held, status=RegistrationStatus.REGISTERED, attended=True
    )
    attended = Q(registrations__status=RegistrationStatus.REGISTERED, registrations__attended=True)
    by_training = list(
        held.values("training_id", "training__title")
        .annotate(
            sessions=Count("pk", distinct=True),
            people=Count("registrations", filter=attended),
            evaluations=Count("registrations__evaluation", filter=attended),
            overall_average=Avg("registrations__evaluation__overall", filter=attended),
        )
        .order_by("training__title", "training_id")
    )
    sectors = dict(Sector.choices)
    by_sector = [
        {"sector": row["sector"], "label": str(sectors.get(row["sector"], row["sector"])), **row}
        for row in trained.values("sector")
        .annotate(people=Count("pk"))
        .order_by("-people", "sector")
    ]
    evaluations = _averages(Evaluation.objects.filter(registration__in=trained))
    return {
        "start": start,
        "end": end,
        "sessions_held": sum(row["sessions"] for row in by_training),
        "people_trained": sum(row["people"] for row in by_training),
        "by_sector": by_sector,
        "by_training": [
            {
                "training_id": row["training_id"],
                "title": row["training__title"],
                "sessions": row["sessions"],
                "people": row["people"],
                "evaluations": row["evaluations"],
                "overall_average": None
                if row["overall_average"] is None
                else round(float(row["overall_average"]), 2),
            }
            for row in by_training
        ],
        "evaluations": evaluations,
    }
