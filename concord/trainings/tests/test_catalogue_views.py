import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.entries import calendar_entries
from concord.trainings.models import (
    Audience,
    SessionStatus,
    TrainingLanguage,
    Visibility,
)
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["trainings:training-list", "trainings:training-detail"])
def test_catalogue_pages_make_the_same_queries_for_2_and_20_sessions(
    client: Client, page: str
) -> None:
    training = TrainingFactory()
    url = reverse(page, **({"args": [training.pk]} if page.endswith("detail") else {}))
    for _index in range(2):
        RegistrationFactory(session=SessionFactory(training=training))
    with_two = _queries(client, url)
    for _index in range(18):
        RegistrationFactory(session=SessionFactory(training=training))
        TrainingFactory()

    assert _queries(client, url) == with_two


def test_the_catalogue_filters_by_audience_and_language(client: Client) -> None:
    TrainingFactory(title="For clinics", audiences=[Audience.HEALTH_CARE])
    TrainingFactory(
        title="Para inspectores",
        audiences=[Audience.LABOR_INSPECTORS],
        language=TrainingLanguage.SPANISH,
    )

    by_audience = client.get(reverse("trainings:training-list"), {"audience": "labor_inspectors"})
    by_language = client.get(reverse("trainings:training-list"), {"language": "en"})
    bad_value = client.get(reverse("trainings:training-list"), {"audience": "<script>"})

    assert "Para inspectores" in by_audience.content.decode()
    assert "For clinics" not in by_audience.content.decode()
    assert "For clinics" in by_language.content.decode()
    assert "Para inspectores" not in by_language.content.decode()
    assert "Para inspectores" in bad_value.content.decode()


def test_the_spanish_catalogue_shows_spanish_titles(client: Client) -> None:
    TrainingFactory(title="Labor trafficking", title_es="Trata laboral")

    response = client.get("/es/trainings/")

    assert "Trata laboral" in response.content.decode()


def test_members_only_sessions_are_listed_for_members_only(
    client: Client, member_client: Client
) -> None:
    training = TrainingFactory()
    members_only = SessionFactory(training=training, visibility=Visibility.MEMBERS)

    public_page = client.get(reverse("trainings:training-list")).content.decode()
    member_page = member_client.get(reverse("trainings:training-list")).content.decode()

    assert members_only.get_absolute_url() not in public_page
    assert members_only.get_absolute_url() in member_page


def test_the_session_page_shows_seats_left_and_the_time_in_its_zone(client: Client) -> None:
    starts = datetime.datetime(2031, 3, 4, 17, 0, tzinfo=datetime.UTC)  # 9:00 in Pacific time
    session = SessionFactory(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), capacity=3
    )
    RegistrationFactory(session=session)

    page = client.get(session.get_absolute_url()).content.decode()

    assert "2 seats left" in page
    assert "9:00" in page
    assert "PST" in page


def test_a_full_session_offers_the_waitlist(client: Client) -> None:
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)

    page = client.get(session.get_absolute_url()).content.decode()

    assert "Join the waitlist" in page


def test_an_inactive_training_is_404_to_the_public(client: Client) -> None:
    training = TrainingFactory(is_active=False)

    assert client.get(training.get_absolute_url()).status_code == 404


# The calendar provider.


def test_the_public_calendar_gets_public_sessions_cancelled_ones_too(
    member: User, django_assert_num_queries: Any
) -> None:
    public = SessionFactory()
    cancelled = SessionFactory(status=SessionStatus.CANCELLED)
    members_only = SessionFactory(visibility=Visibility.MEMBERS)
    start, end = timezone.now(), timezone.now() + datetime.timedelta(days=60)

    for_public = {entry.uid: entry for entry in calendar_entries(None, start=start, end=end)}
    for_member = {entry.uid for entry in calendar_entries(member, start=start, end=end)}

    assert f"training-session-{members_only.uid}" not in for_public
    assert f"training-session-{members_only.uid}" in for_member
    entry = for_public[f"training-session-{public.uid}"]
    assert entry.kind == "Training"
    assert entry.url == public.get_absolute_url()
    assert entry.title == public.training.title
    assert for_public[f"training-session-{cancelled.uid}"].cancelled is True


def test_the_calendar_provider_makes_one_query_whatever_the_count(
    django_assert_num_queries: Any,
) -> None:
    from concord.trainings.queries import calendar_entries as provider

    SessionFactory.create_batch(12)
    start, end = timezone.now(), timezone.now() + datetime.timedelta(days=60)

    with django_assert_num_queries(1):
        entries = list(provider(None, start, end))

    assert len(entries) == 12
