"""The public pages: who sees what, what never leaves, the stale tag, Spanish, and a
fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from concord.directory import models as directory
from concord.directory.services.importing import import_hsds
from concord.directory.tests.factories import (
    AddressFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    full_service,
)
from concord.directory.tests.helpers import EXAMPLES

pytestmark = pytest.mark.django_db
STREET = "4821 Hidden Refuge Lane"
SEARCH = reverse("directory:service-search")


@pytest.fixture
def shelter() -> directory.Service:
    """A public service at a confidential location: its city is public, its street never."""
    link = ServiceAtLocationFactory(
        service__name="Safe Harbor Shelter",
        location__name="Safe Harbor House",
        location__is_confidential=True,
    )
    AddressFactory(location=link.location, address_1=STREET, city="Martinez", postal_code="94553")
    return link.service


@pytest.fixture
def partners_only() -> directory.Service:
    return ServiceFactory(name="Partners Line", visibility=directory.Visibility.PARTNERS)


def _public_responses(client: Client, service: directory.Service) -> list[bytes]:
    detail = reverse("directory:service-detail", args=[service.pk])
    sheet = reverse("directory:resource-sheet")
    urls = [
        SEARCH,
        f"{SEARCH}?q=harbor",
        f"{SEARCH}?city=Martinez",
        detail,
        f"/es{detail}",
        f"{sheet}?id={service.pk}",
        f"/es{sheet}?id={service.pk}",
    ]
    responses = [client.get(url) for url in urls]
    assert [response.status_code for response in responses] == [200] * len(urls)
    return [response.content for response in responses]


def test_confidential_street_never_appears_in_public_pages(
    client: Client, shelter: directory.Service
) -> None:
    for content in _public_responses(client, shelter):
        assert STREET.encode() not in content
        assert b"94553" not in content
    # The Spanish pages above leave Spanish active: ask for the English page by name.
    with translation.override("en"):
        english = client.get(reverse("directory:service-detail", args=[shelter.pk])).content
    assert b"Confidential location: call for the address." in english


def test_confidential_street_stays_off_the_sheet_even_for_members(
    member_client: Client, shelter: directory.Service
) -> None:
    response = member_client.get(f"{reverse('directory:resource-sheet')}?id={shelter.pk}")

    assert STREET.encode() not in response.content


def test_members_see_the_confidential_street_on_the_service_page(
    member_client: Client, shelter: directory.Service
) -> None:
    response = member_client.get(reverse("directory:service-detail", args=[shelter.pk]))

    assert STREET.encode() in response.content
    assert STREET.encode() not in member_client.get(SEARCH).content


def test_partners_only_services_are_hidden_from_anonymous_visitors(
    client: Client, partners_only: directory.Service
) -> None:
    detail = reverse("directory:service-detail", args=[partners_only.pk])

    assert b"Partners Line" not in client.get(SEARCH).content
    assert client.get(detail).status_code == 404


def test_partners_only_services_are_shown_to_members(
    member_client: Client, outsider_client: Client, partners_only: directory.Service
) -> None:
    detail = reverse("directory:service-detail", args=[partners_only.pk])

    for client in (member_client, outsider_client):
        assert b"Partners Line" in client.get(SEARCH).content
        assert client.get(detail).status_code == 200


def test_partners_only_services_are_hidden_from_people_of_lapsed_agencies(
    member_client: Client, member: object, partners_only: directory.Service
) -> None:
    member.agency.status = "lapsed"  # type: ignore[attr-defined]
    member.agency.save()  # type: ignore[attr-defined]

    assert b"Partners Line" not in member_client.get(SEARCH).content


def test_partners_only_services_never_reach_the_resource_sheet(
    member_client: Client, partners_only: directory.Service
) -> None:
    response = member_client.get(f"{reverse('directory:resource-sheet')}?id={partners_only.pk}")

    assert b"Partners Line" not in response.content


def test_results_show_what_a_card_promises(client: Client) -> None:
    service = full_service(name="Advocacy", assured_date=datetime.date(2020, 1, 1))
    directory.CostOption.objects.create(service=service, option="Free", amount=0)

    content = client.get(SEARCH).content.decode()

    assert "Advocacy" in content
    assert service.organization.name in content
    assert "Concord" in content
    assert "Free" in content
    assert "May be out of date" in content
    assert "Willow Pass Road" not in content  # streets are for the service page


def test_recently_verified_services_have_no_stale_tag(client: Client) -> None:
    ServiceFactory(assured_date=timezone.localdate() - datetime.timedelta(days=30))

    assert b"May be out of date" not in client.get(SEARCH).content


def test_spanish_search_page_renders_in_spanish(client: Client) -> None:
    ServiceFactory(name="Refugio", description="refugio de emergencia")

    response = client.get("/es/services/?q=refugio")

    assert response.status_code == 200
    assert b'lang="es"' in response.content
    assert b"Refugio" in response.content


def test_invalid_filters_are_ignored(client: Client) -> None:
    ServiceFactory(name="Anything")

    response = client.get(f"{SEARCH}?age=old&category=nope&page=99&id=x")

    assert response.status_code == 200
    assert b"Anything" in response.content


def test_results_are_paginated_by_twenty(client: Client) -> None:
    ServiceFactory.create_batch(25)

    first, second = client.get(SEARCH), client.get(f"{SEARCH}?page=2")

    assert first.content.count(b"usa-card__heading") == 20
    assert second.content.count(b"usa-card__heading") == 5


def test_narrowed_results_are_paginated_in_name_order(client: Client) -> None:
    for index in range(25):
        ServiceFactory(name=f"Legal clinic {index:02d}", description="legal")
    ServiceFactory(name="Food bank", description="groceries")

    first = client.get(f"{SEARCH}?q=legal").content.decode()
    second = client.get(f"{SEARCH}?q=legal&page=2").content.decode()

    assert "25 services" in first
    assert first.count("usa-card__heading") == 20
    assert second.count("usa-card__heading") == 5
    assert first.index("Legal clinic 00") < first.index("Legal clinic 19")
    assert "Legal clinic 20" in second
    assert "Legal clinic 19" not in second
    assert "Food bank" not in first + second


def test_city_and_language_choices_follow_the_directory(client: Client) -> None:
    ServiceFactory(name="Early")
    before = client.get(SEARCH).content.decode()
    link = ServiceAtLocationFactory(service__name="Later")
    AddressFactory(location=link.location, city="Pittsburg")
    directory.Language.objects.create(service=link.service, code="tl", name="Tagalog")

    after = client.get(SEARCH).content.decode()

    assert 'value="Pittsburg"' not in before
    assert 'value="tl"' not in before
    assert 'value="Pittsburg"' in after
    assert 'value="tl"' in after


def test_choices_follow_an_import(client: Client) -> None:
    assert 'value="MyCity"' not in client.get(SEARCH).content.decode()

    # The importer writes in bulk, which sends no signals.
    assert import_hsds(path=EXAMPLES / "service_full.json", actor=None).ok

    assert 'value="MyCity"' in client.get(SEARCH).content.decode()


def test_choices_offer_only_what_the_visitor_may_see(client: Client) -> None:
    link = ServiceAtLocationFactory(service__visibility=directory.Visibility.PARTNERS)
    AddressFactory(location=link.location, city="Brentwood")

    assert 'value="Brentwood"' not in client.get(SEARCH).content.decode()


def test_resource_sheet_lists_the_chosen_public_services_in_order(client: Client) -> None:
    first, second = ServiceFactory(name="First"), ServiceFactory(name="Second")
    ServiceFactory(name="Not chosen")
    url = reverse("directory:resource-sheet")

    content = client.get(f"{url}?id={second.pk}&id=nonsense&id={first.pk}&id={second.pk}").content

    assert content.index(b"Second") < content.index(b"First")
    assert b"Not chosen" not in content


def test_resource_sheet_keeps_at_most_thirty_services(client: Client) -> None:
    services = ServiceFactory.create_batch(31)
    query = "&".join(f"id={service.pk}" for service in services)

    content = client.get(f"{reverse('directory:resource-sheet')}?{query}").content

    assert content.count(b"concord-sheet__item") == 30


def test_resource_sheet_in_spanish(client: Client) -> None:
    service = ServiceFactory()

    response = client.get(f"/es/services/sheet/?id={service.pk}")

    assert response.status_code == 200
    assert b'lang="es"' in response.content


def test_search_checkboxes_carry_earlier_choices(client: Client) -> None:
    chosen = ServiceFactory(name="Chosen")
    ServiceFactory.create_batch(21, name="Zz")

    content = client.get(f"{SEARCH}?page=2&id={chosen.pk}").content.decode()

    assert f'type="hidden" name="id" value="{chosen.pk}"' in content


def test_pages_refuse_post(client: Client) -> None:
    assert client.post(SEARCH).status_code == 405


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url", [SEARCH, f"{SEARCH}?q=case&free=on&open_now=on&age=30"])
def test_search_makes_a_fixed_number_of_queries(client: Client, url: str) -> None:
    for _ in range(3):
        full_service(description="Case management")
    few = _queries(client, url)
    for _ in range(27):
        full_service(description="Case management")

    assert _queries(client, url) == few


def test_resource_sheet_makes_a_fixed_number_of_queries(client: Client) -> None:
    services = [full_service() for _ in range(30)]
    url = reverse("directory:resource-sheet")

    few = _queries(client, f"{url}?" + "&".join(f"id={s.pk}" for s in services[:3]))
    many = _queries(client, f"{url}?" + "&".join(f"id={s.pk}" for s in services))

    assert many == few


# Result cards are cached per service, language and day (concord.directory.cards).


def test_a_changed_service_shows_its_new_card(client: Client) -> None:
    service = ServiceFactory(name="Old name", description="legal aid")
    assert "Old name" in client.get(f"{SEARCH}?q=legal").content.decode()

    service.name = "New name"
    service.save()

    content = client.get(f"{SEARCH}?q=legal").content.decode()
    assert "New name" in content
    assert "Old name" not in content


def test_a_new_phone_shows_on_the_card(client: Client) -> None:
    service = ServiceFactory(description="legal aid")
    client.get(f"{SEARCH}?q=legal")

    directory.Phone.objects.create(service=service, number="925-555-0199")

    assert "925-555-0199" in client.get(f"{SEARCH}?q=legal").content.decode()


def test_cards_are_cached_per_language(client: Client) -> None:
    ServiceFactory(name="Clinic", description="legal", assured_date=None)

    english = client.get(f"{SEARCH}?q=legal").content.decode()
    spanish = client.get(f"/es{SEARCH}?q=legal").content.decode()

    assert "Not verified yet" in english
    with translation.override("en"):
        detail = reverse("directory:service-detail", args=[directory.Service.objects.get().pk])
    assert "Sin verificar todavía" in spanish
    assert f'href="/es{detail}"' in spanish


def test_a_card_turns_stale_when_its_day_comes(client: Client) -> None:
    verified = timezone.localdate() - datetime.timedelta(days=360)
    ServiceFactory(name="Clinic", description="legal", assured_date=verified)
    assert b"May be out of date" not in client.get(f"{SEARCH}?q=legal").content

    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        assert b"May be out of date" in client.get(f"{SEARCH}?q=legal").content


def test_cached_cards_need_no_card_queries(client: Client) -> None:
    for _ in range(25):
        full_service(description="Case management")
    url = f"{SEARCH}?q=case"
    cold = _queries(client, url)

    warm = _queries(client, url)

    assert 25 > cold - warm >= 6  # languages, costs, phones, locations, addresses, categories


def test_a_repeated_search_finds_a_new_service(client: Client) -> None:
    ServiceFactory(name="First clinic", description="legal")
    assert "1 service" in client.get(f"{SEARCH}?q=legal").content.decode()

    ServiceFactory(name="Second clinic", description="legal")

    content = client.get(f"{SEARCH}?q=legal").content.decode()
    assert "2 services" in content
    assert "Second clinic" in content


def test_a_repeated_search_reads_no_services(client: Client) -> None:
    for _ in range(3):
        full_service(description="Case management")
    url = f"{SEARCH}?q=case"
    client.get(url)

    with CaptureQueriesContext(connection) as context:
        client.get(url)

    assert not [query for query in context if "directory_service" in query["sql"]]
