"""The search itself: words in English and Spanish, each filter, and open now."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from concord.directory import models as directory
from concord.directory.search import SearchFilters, search_services
from concord.directory.services.importing import import_hsds
from concord.directory.tests.factories import (
    AddressFactory,
    AttributeFactory,
    LanguageFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from concord.directory.tests.helpers import EXAMPLES

pytestmark = pytest.mark.django_db
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def _names(filters: SearchFilters, user: object = None) -> list[str]:
    return [service.name for service in search_services(filters, user=user, now=timezone.now())]


def test_words_match_english_and_spanish_descriptions() -> None:
    ServiceFactory(name="Safe Night", description="Emergency shelter. Refugio de emergencia.")
    ServiceFactory(name="Wage Clinic", description="Unpaid wages and labor rights.")

    assert _names(SearchFilters(words="shelter")) == ["Safe Night"]
    assert _names(SearchFilters(words="refugio")) == ["Safe Night"]
    assert _names(SearchFilters(words="Refug emergencia")) == ["Safe Night"]
    assert _names(SearchFilters(words="wages")) == ["Wage Clinic"]


def test_words_must_all_match() -> None:
    ServiceFactory(name="Safe Night", description="Emergency shelter.")

    assert _names(SearchFilters(words="shelter lawyer")) == []


def test_words_with_search_syntax_are_taken_as_words() -> None:
    ServiceFactory(name="Safe Night", description="Emergency shelter.")

    assert _names(SearchFilters(words='"shelter" OR -* NEAR(x')) == []
    assert _names(SearchFilters(words='shelter"*')) == ["Safe Night"]


def test_words_follow_a_renamed_service() -> None:
    service = ServiceFactory(name="Old name", description="Nothing in particular.")
    service.name = "Clínica de salud"
    service.save()

    assert _names(SearchFilters(words="clinica")) == ["Clínica de salud"]
    assert _names(SearchFilters(words="old")) == []


def test_accents_do_not_matter() -> None:
    ServiceFactory(name="Niños", description="Servicios para niños y jóvenes.")

    assert _names(SearchFilters(words="ninos jovenes")) == ["Niños"]


def test_category_filter_uses_the_term_code() -> None:
    housing = ServiceFactory(name="Housing")
    ServiceFactory(name="Other")
    AttributeFactory(link_id=housing.pk, taxonomy_term=TaxonomyTermFactory(code="housing"))

    assert _names(SearchFilters(category="housing")) == ["Housing"]


def test_language_filter() -> None:
    spanish = ServiceFactory(name="Spanish")
    LanguageFactory(service=spanish, code="es")
    LanguageFactory(service=ServiceFactory(name="Vietnamese"), code="vi", name="Vietnamese")

    assert _names(SearchFilters(language="vi")) == ["Vietnamese"]


def test_city_filter_matches_addresses_and_service_areas() -> None:
    link = ServiceAtLocationFactory(service__name="In Richmond")
    AddressFactory(location=link.location, city="Richmond")
    area = ServiceFactory(name="Serves Richmond")
    directory.ServiceArea.objects.create(service=area, name="Richmond and San Pablo")
    elsewhere = ServiceAtLocationFactory(service__name="In Antioch")
    AddressFactory(location=elsewhere.location, city="Antioch")

    assert _names(SearchFilters(city="richmond")) == ["In Richmond", "Serves Richmond"]


def test_city_filter_counts_confidential_locations() -> None:
    link = ServiceAtLocationFactory(service__name="Shelter", location__is_confidential=True)
    AddressFactory(location=link.location, city="Martinez")

    assert _names(SearchFilters(city="Martinez")) == ["Shelter"]


def test_free_filter() -> None:
    free = ServiceFactory(name="Free")
    directory.CostOption.objects.create(service=free, option="Free", amount=Decimal(0))
    paid = ServiceFactory(name="Paid")
    directory.CostOption.objects.create(service=paid, option="Fee", amount=Decimal(25))
    ServiceFactory(name="Unknown")

    assert _names(SearchFilters(free=True)) == ["Free"]


def test_age_filter_keeps_services_whose_range_holds_the_age() -> None:
    ServiceFactory(name="Youth", minimum_age=12, maximum_age=24)
    ServiceFactory(name="Adults", minimum_age=18)
    ServiceFactory(name="Anyone")

    assert _names(SearchFilters(age=15)) == ["Anyone", "Youth"]
    assert _names(SearchFilters(age=18)) == ["Adults", "Anyone", "Youth"]
    assert _names(SearchFilters(age=40)) == ["Adults", "Anyone"]


@pytest.fixture
def schedules() -> None:
    ScheduleFactory(service=ServiceFactory(name="Office"))  # weekdays 09:00 to 17:00
    ScheduleFactory(
        service=ServiceFactory(name="Overnight"),
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at="20:00",
        closes_at="08:00",
    )
    link = ServiceAtLocationFactory(service__name="Saturday")
    ScheduleFactory(service_at_location=link, byday="SA", opens_at="10:00", closes_at="14:00")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        # Tuesday 2026-01-27 in Pacific time.
        (datetime.datetime(2026, 1, 27, 9, 0, tzinfo=PACIFIC), ["Office"]),
        (datetime.datetime(2026, 1, 27, 16, 59, tzinfo=PACIFIC), ["Office"]),
        (datetime.datetime(2026, 1, 27, 17, 0, tzinfo=PACIFIC), []),
        (datetime.datetime(2026, 1, 27, 22, 30, tzinfo=PACIFIC), ["Overnight"]),
        (datetime.datetime(2026, 1, 28, 7, 30, tzinfo=PACIFIC), ["Overnight"]),
        # Saturday: the office is closed, the Saturday hours are on the service's location.
        (datetime.datetime(2026, 1, 31, 11, 0, tzinfo=PACIFIC), ["Saturday"]),
        # 17:30 UTC is 09:30 in Concord: the coalition's zone decides, not UTC.
        (datetime.datetime(2026, 1, 27, 17, 30, tzinfo=datetime.UTC), ["Office"]),
    ],
)
def test_open_now_follows_weekly_schedules(
    schedules: None, when: datetime.datetime, expected: list[str]
) -> None:
    with time_machine.travel(when, tick=False):
        assert _names(SearchFilters(open_now=True)) == expected


def test_open_now_ignores_schedules_outside_their_dates(schedules: None) -> None:
    directory.Schedule.objects.update(valid_to=datetime.date(2025, 12, 31))

    with time_machine.travel(datetime.datetime(2026, 1, 27, 10, 0, tzinfo=PACIFIC), tick=False):
        assert _names(SearchFilters(open_now=True)) == []


def test_filters_combine() -> None:
    match = ServiceFactory(name="Match", description="Legal help", minimum_age=18)
    LanguageFactory(service=match, code="es")
    directory.CostOption.objects.create(service=match, amount=Decimal(0))
    other = ServiceFactory(name="Other", description="Legal help")
    LanguageFactory(service=other, code="vi")

    filters = SearchFilters(words="legal", language="es", free=True, age=30)
    assert _names(filters) == ["Match"]


def test_inactive_services_are_never_found() -> None:
    ServiceFactory(name="Closed", status=directory.ServiceStatus.DEFUNCT)

    assert _names(SearchFilters()) == []


def test_imported_services_are_found_and_stay_found_after_a_reimport() -> None:
    path = EXAMPLES / "service_full.json"
    assert import_hsds(path=path, actor=None).ok
    assert import_hsds(path=path, actor=None).ok

    assert _names(SearchFilters(words="counselling anxiety")) == ["Community Counselling"]
