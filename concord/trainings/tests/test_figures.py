import csv
import datetime
import io

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.agencies.models import Sector
from concord.audit.models import AuditEvent
from concord.trainings.models import SessionStatus, Training
from concord.trainings.queries_figures import default_range, training_figures
from concord.trainings.tests.factories import (
    EvaluationFactory,
    PastSessionFactory,
    SeatFactory,
    TrainingFactory,
)


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _session(training: Training, days_ago: int, **options: object) -> object:
    start = _days_ago(days_ago)
    return PastSessionFactory(
        training=training, starts_at=start, ends_at=start + datetime.timedelta(hours=2), **options
    )


def _seed(training: Training, session: object, attended: dict[str, int], absent: int = 0) -> None:
    for sector, count in attended.items():
        for _ in range(count):
            SeatFactory(session=session, sector=sector, attended=True)
    for _ in range(absent):
        SeatFactory(session=session, attended=False)


def test_figures_count_sessions_held_and_people_trained_by_sector_and_training(
    db: None,
) -> None:
    clinics = TrainingFactory(title="Clinics")
    police = TrainingFactory(title="Police")
    first = _session(clinics, 10)
    second = _session(clinics, 40)
    third = _session(police, 100)
    _seed(clinics, first, {Sector.HEALTH_CARE: 3, Sector.EDUCATION: 1}, absent=2)
    _seed(clinics, second, {Sector.HEALTH_CARE: 1})
    _seed(police, third, {Sector.LAW_ENFORCEMENT: 2})
    # Outside: cancelled, not yet held, before the range.
    _seed(clinics, _session(clinics, 5, status=SessionStatus.CANCELLED), {Sector.OTHER: 4})
    upcoming = PastSessionFactory(
        training=police,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
    )
    _seed(police, upcoming, {Sector.OTHER: 4})
    _seed(police, _session(police, 500), {Sector.OTHER: 4})
    for overall, content in ((5, 4), (3, 2)):
        EvaluationFactory(
            registration__session=first, overall=overall, content=content, trainer=4, usefulness=4
        )

    figures = training_figures(*default_range())

    assert figures["sessions_held"] == 3
    assert figures["people_trained"] == 9  # 3 + 1 + 1 + 2, plus the two evaluators
    assert [(row["sector"], row["people"]) for row in figures["by_sector"]] == [
        (Sector.HEALTH_CARE, 6),
        (Sector.LAW_ENFORCEMENT, 2),
        (Sector.EDUCATION, 1),
    ]
    assert [
        (row["title"], row["sessions"], row["people"], row["evaluations"])
        for row in figures["by_training"]
    ] == [("Clinics", 2, 7, 2), ("Police", 1, 2, 0)]
    assert figures["by_training"][0]["overall_average"] == 4.0
    assert figures["evaluations"]["count"] == 2
    assert figures["evaluations"]["averages"] == {
        "overall": 4.0,
        "content": 3.0,
        "trainer": 4.0,
        "usefulness": 4.0,
    }


def test_a_range_keeps_only_its_sessions(db: None) -> None:
    training = TrainingFactory()
    _seed(training, _session(training, 10), {Sector.HEALTH_CARE: 2})
    _seed(training, _session(training, 60), {Sector.EDUCATION: 5})
    today = timezone.localdate()

    recent = training_figures(today - datetime.timedelta(days=20), today)
    older = training_figures(
        today - datetime.timedelta(days=90), today - datetime.timedelta(days=30)
    )

    assert (recent["sessions_held"], recent["people_trained"]) == (1, 2)
    assert (older["sessions_held"], older["people_trained"]) == (1, 5)
    assert older["evaluations"]["averages"]["overall"] is None


def _figure_queries(client: Client, sessions: int) -> int:
    for number in range(sessions):
        training = TrainingFactory()
        session = _session(training, 5 + number)
        _seed(training, session, {Sector.HEALTH_CARE: 2, Sector.GOVERNMENT: 1})
        EvaluationFactory(registration__session=session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("trainings:figures"))
    assert response.status_code == 200
    return len(queries)


def test_the_figures_page_takes_the_same_queries_for_few_and_many_rows(
    coordinator_client: Client,
) -> None:
    _figure_queries(coordinator_client, 0)  # the session's first request loads more

    assert _figure_queries(coordinator_client, 1) == _figure_queries(coordinator_client, 15)


def test_the_page_uses_the_range_asked_for_and_says_when_it_is_wrong(
    coordinator_client: Client,
) -> None:
    training = TrainingFactory(title="Hotel staff")
    _seed(training, _session(training, 400), {Sector.BUSINESS: 2})
    today = timezone.localdate()
    url = reverse("trainings:figures")

    default = coordinator_client.get(url)
    wide = coordinator_client.get(url, {"start": f"{today.year - 2}-01-01", "end": str(today)})
    wrong = coordinator_client.get(url, {"start": str(today), "end": f"{today.year - 1}-01-01"})

    assert default.context["figures"]["people_trained"] == 0
    assert default.context["form"]["start"].value() == default_range()[0]
    assert wide.context["figures"]["people_trained"] == 2
    assert "Hotel staff" in wide.content.decode()
    assert wrong.status_code == 400


def test_the_csv_export_has_the_figures_and_neutralises_formulas(
    coordinator_client: Client,
) -> None:
    training = TrainingFactory(title='=HYPERLINK("http://evil.example")')
    _seed(training, _session(training, 3), {Sector.HEALTH_CARE: 2})

    response = coordinator_client.get(reverse("trainings:figures-export"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert ["Totals", "Sessions held", "1", "", ""] in rows
    assert ["Totals", "People trained", "", "2", ""] in rows
    assert ["People trained by sector", "Health care", "", "2", ""] in rows
    assert ["By training", '\'=HYPERLINK("http://evil.example")', "1", "2", ""] in rows
    assert AuditEvent.objects.filter(action="concord.training.figures_exported").count() == 1


def test_figures_are_for_coordinators_only(
    member_client: Client, representative_client: Client
) -> None:
    for client in (member_client, representative_client):
        assert client.get(reverse("trainings:figures")).status_code == 403
        assert client.get(reverse("trainings:figures-export")).status_code == 403
