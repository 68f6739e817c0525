"""Reads of campaigns, activities and materials, scoped to what a viewer may see, and the
awareness figures (issue 9's dashboard reuses ``awareness_figures``)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from concord.awareness.models import (
    Activity,
    ActivityStatus,
    Campaign,
    Language,
    Material,
    MaterialDistribution,
)
from concord.core.permissions import is_member


def _members(viewer: Any) -> bool:
    return viewer is not None and is_member(viewer)


def campaigns_visible_to(viewer: Any) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.all()
    return campaigns if _members(viewer) else campaigns.filter(is_public=True)


def activities_visible_to(viewer: Any) -> QuerySet[Activity]:
    activities = Activity.objects.select_related("campaign")
    return activities if _members(viewer) else activities.filter(is_public=True)


def materials_visible_to(viewer: Any) -> QuerySet[Material]:
    """Materials in the library: never retired ones, members-only ones to members."""
    materials = Material.objects.filter(retired_at__isnull=True)
    return materials if _members(viewer) else materials.filter(is_public=True)


def current_and_upcoming_campaigns(viewer: Any) -> QuerySet[Campaign]:
    today = timezone.localdate()
    return campaigns_visible_to(viewer).filter(ends_on__gte=today).order_by("starts_on", "pk")


def upcoming_activities(viewer: Any, *, limit: int | None = None) -> list[Activity]:
    """Scheduled activities that have not ended, soonest first."""
    activities = (
        activities_visible_to(viewer)
        .filter(ends_at__gte=timezone.now(), status=ActivityStatus.SCHEDULED)
        .order_by("starts_at", "pk")
    )
    return list(activities[:limit] if limit is not None else activities)


def campaign_activities(campaign: Campaign, viewer: Any) -> list[Activity]:
    return list(activities_visible_to(viewer).filter(campaign=campaign).order_by("starts_at"))


def campaign_materials(campaign: Campaign, viewer: Any) -> list[Material]:
    return list(materials_visible_to(viewer).filter(campaigns=campaign).order_by("title"))


def activity_distributions(activity: Activity) -> list[MaterialDistribution]:
    return list(activity.distributions.select_related("material").order_by("language", "pk"))


@dataclass
class CampaignFigures:
    campaign_id: int | None
    title: str
    activities: int
    people_reached: int
    businesses_contacted: int


@dataclass
class LanguageFigures:
    language: str
    label: str
    activities: int = 0
    people_reached: int = 0
    materials_distributed: int = 0


@dataclass
class AwarenessFigures:
    start: datetime.date
    end: datetime.date
    activities: int = 0
    people_reached: int = 0
    businesses_contacted: int = 0
    materials_distributed: int = 0
    by_campaign: list[CampaignFigures] = field(default_factory=list)
    by_language: list[LanguageFigures] = field(default_factory=list)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def awareness_figures(start: datetime.date, end: datetime.date) -> AwarenessFigures:
    """Activities that start from ``start`` to ``end`` (both days included, in the
    coalition's time zone), cancelled ones left out: how many, the people they reached and
    the businesses they contacted, by campaign and by language, and the materials handed
    out by language. Counts, never people; every sum is done by the database (3 queries)."""
    activities = Activity.objects.filter(
        starts_at__gte=_moment(start),
        starts_at__lt=_moment(end + datetime.timedelta(days=1)),
    ).exclude(status=ActivityStatus.CANCELLED)
    figures = AwarenessFigures(start=start, end=end)

    by_campaign = (
        activities.values("campaign_id", "campaign__title")
        .annotate(
            count=Count("pk"),
            people=Sum("people_reached"),
            businesses=Sum("businesses_contacted"),
        )
        # Activities outside any campaign first, on SQLite and PostgreSQL alike.
        .order_by(F("campaign__title").asc(nulls_first=True), "campaign_id")
    )
    for row in by_campaign:
        figures.by_campaign.append(
            CampaignFigures(
                campaign_id=row["campaign_id"],
                title=row["campaign__title"] or "",
                activities=row["count"],
                people_reached=row["people"] or 0,
                businesses_contacted=row["businesses"] or 0,
            )
        )
        figures.activities += row["count"]
        figures.people_reached += row["people"] or 0
        figures.businesses_contacted += row["businesses"] or 0

    labels = dict(Language.choices)
    languages: dict[str, LanguageFigures] = {}

    def language(code: str) -> LanguageFigures:
        if code not in languages:
            languages[code] = LanguageFigures(language=code, label=str(labels.get(code, code)))
        return languages[code]

    for row in activities.values("language").annotate(
        count=Count("pk"), people=Sum("people_reached")
    ):
        entry = language(row["language"])
        entry.activities = row["count"]
        entry.people_reached = row["people"] or 0

    distributed = (
        MaterialDistribution.objects.filter(activity__in=activities.values("pk"))
        .values("language")
        .annotate(copies=Sum("quantity"))
    )
    for row in distributed:
        language(row["language"]).materials_distributed = row["copies"] or 0
        figures.materials_distributed += row["copies"] or 0

    order = list(labels)
    figures.by_language = sorted(
        languages.values(),
        key=lambda entry: order.index(entry.language) if entry.language in order else len(order),
    )
    return figures


def material_filter(materials: QuerySet[Material], *, language: str, audience: str) -> Any:
    query = Q()
    if language:
        query &= Q(language=language)
    if audience:
        query &= Q(audience=audience)
    return materials.filter(query)
