import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from concord.awareness.models import ActivityStatus, MaterialDistribution
from concord.awareness.queries import awareness_figures
from concord.awareness.tests.factories import ActivityFactory, CampaignFactory

ZONE = datetime.timezone(datetime.timedelta(hours=-8))  # Pacific standard time


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2027, 1, day, hour, tzinfo=ZONE)


def _distribute(activity: object, *rows: tuple[str, int]) -> None:
    MaterialDistribution.objects.bulk_create(
        MaterialDistribution(activity=activity, language=language, quantity=quantity)
        for language, quantity in rows
    )


def test_awareness_figures_add_up_by_campaign_and_by_language(db: None) -> None:
    month = CampaignFactory(title="Awareness Month")
    day = ActivityFactory(campaign=month, starts_at=_at(11), people_reached=120, language="en")
    outreach = ActivityFactory(
        campaign=month, starts_at=_at(15), businesses_contacted=40, people_reached=5, language="es"
    )
    alone = ActivityFactory(starts_at=_at(31, 20), people_reached=30, language="es")
    _distribute(day, ("en", 100), ("es", 50))
    _distribute(outreach, ("es", 40), ("vi", 6))
    _distribute(alone, ("es", 10))
    # Left out: cancelled, and outside the period (the day after, in the coalition's zone).
    cancelled = ActivityFactory(
        campaign=month, starts_at=_at(20), people_reached=999, status=ActivityStatus.CANCELLED
    )
    _distribute(cancelled, ("en", 999))
    ActivityFactory(starts_at=datetime.datetime(2027, 2, 1, 0, 30, tzinfo=ZONE), people_reached=7)

    with CaptureQueriesContext(connection) as queries:
        figures = awareness_figures(datetime.date(2027, 1, 1), datetime.date(2027, 1, 31))

    assert len(queries) == 3
    assert (figures.activities, figures.people_reached, figures.businesses_contacted) == (
        3,
        155,
        40,
    )
    assert figures.materials_distributed == 206
    assert [
        (row.title, row.activities, row.people_reached, row.businesses_contacted)
        for row in figures.by_campaign
    ] == [("", 1, 30, 0), ("Awareness Month", 2, 125, 40)]
    assert [
        (row.language, row.activities, row.people_reached, row.materials_distributed)
        for row in figures.by_language
    ] == [("en", 1, 120, 100), ("es", 2, 35, 100), ("vi", 0, 0, 6)]


def test_awareness_figures_of_an_empty_period_are_zero(db: None) -> None:
    figures = awareness_figures(datetime.date(2030, 1, 1), datetime.date(2030, 1, 31))

    assert (figures.activities, figures.people_reached, figures.by_campaign) == (0, 0, [])
