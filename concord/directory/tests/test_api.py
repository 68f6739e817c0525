import datetime
import json
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from concord.directory.models import Service, ServiceStatus, Visibility
from concord.directory.schemas import page_validator, validator
from concord.directory.tests.factories import (
    AddressFactory,
    AttributeFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    full_service,
)

pytestmark = pytest.mark.django_db

API = "/api/hsds"
CONFIDENTIAL_STREET = "77 Hidden Shelter Lane"
# Each list path, the schema kind of its items, and that of its items with full=true.
LISTS = {
    "/services": ("service_list", "service"),
    "/organizations": ("organization_list", "organization"),
    "/service_at_locations": ("service_at_location_list", "service_at_location"),
    "/taxonomies": ("taxonomy", "taxonomy"),
    "/taxonomy_terms": ("taxonomy_term", "taxonomy_term"),
}


def _get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    return response.json()


def _errors(kind: str, document: Any) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(document)]


def _names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["contents"]]


@pytest.fixture
def directory() -> dict[str, Any]:
    """A public service at a confidential location, a partners-only one and an inactive one."""
    service = full_service(
        name="Shelter intake", last_modified=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    link = service.service_at_locations.get()
    link.location.is_confidential = True
    link.location.save()
    AddressFactory(location=link.location, address_1=CONFIDENTIAL_STREET, postal_code="94999")
    partners = full_service(name="Partners only line")
    partners.visibility = Visibility.PARTNERS
    partners.save()
    inactive = ServiceFactory(name="Closed clinic", status=ServiceStatus.DEFUNCT)
    return {"service": service, "link": link, "partners": partners, "inactive": inactive}


def test_api_root_names_version_and_openapi_document(client: Client) -> None:
    root = _get(client, "/")

    assert root["version"] == "3.0"
    assert root["openapi_url"] == settings.SITE_URL + "/api/hsds/openapi.json"
    assert root["profile"].startswith("https://")


def test_openapi_document_points_at_this_site(client: Client) -> None:
    document = _get(client, "/openapi.json")

    assert document["servers"] == [{"url": settings.SITE_URL + "/api/hsds"}]
    assert "/services/{id}" in document["paths"]
    assert "service" in document["components"]["schemas"]


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("path", sorted(LISTS))
def test_lists_validate_against_the_page_and_item_schemas(
    path: str, full: bool, client: Client, directory: dict[str, Any]
) -> None:
    TaxonomyTermFactory()
    page = _get(client, path, full="true" if full else "false")

    assert list(page_validator().iter_errors(page)) == []
    assert page["contents"] != []
    kind = LISTS[path][1 if full else 0]
    assert [_errors(kind, item) for item in page["contents"]] == [[] for _ in page["contents"]]


def test_details_validate_against_their_schemas(client: Client, directory: dict[str, Any]) -> None:
    service = directory["service"]
    term = TaxonomyTermFactory()
    details = {
        f"/services/{service.id}": "service",
        f"/organizations/{service.organization_id}": "organization",
        f"/service_at_locations/{directory['link'].id}": "service_at_location",
        f"/taxonomies/{term.taxonomy_detail_id}": "taxonomy",
        f"/taxonomy_terms/{term.id}": "taxonomy_term",
    }

    for path, kind in details.items():
        assert _errors(kind, _get(client, path)) == [], path


def test_paging_splits_the_list(client: Client) -> None:
    for number in range(3):
        ServiceFactory(name=f"Service {number}")

    first = _get(client, "/services", per_page=2)
    second = _get(client, "/services", per_page=2, page=2)

    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert (first["first_page"], first["last_page"]) == (True, False)
    assert _names(second) == ["Service 2"]
    assert (second["page_number"], second["last_page"]) == (2, True)


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "x"}, {"page": ""}, {"per_page": "101"}, {"per_page": "-1"}],
)
def test_bad_paging_is_a_400_with_a_json_error(params: dict[str, str], client: Client) -> None:
    response = client.get(f"{API}/services", params)

    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    "params",
    [
        {"taxonomy_term_id": "not-a-uuid"},
        {"modified_after": "yesterday"},
        {"modified_after": "2026-01-01T00:00:00"},
        {"full": "yes"},
        {"format": "xml"},
    ],
)
def test_bad_filters_are_a_400(params: dict[str, str], client: Client) -> None:
    assert client.get(f"{API}/services", params).status_code == 400


def test_partners_only_and_inactive_services_are_not_public(
    client: Client, directory: dict[str, Any]
) -> None:
    listed = _names(_get(client, "/services"))
    links = _get(client, "/service_at_locations")["contents"]
    organization = _get(client, f"/organizations/{directory['partners'].organization_id}")
    closed = _get(client, f"/organizations/{directory['inactive'].organization_id}")

    assert listed == ["Shelter intake"]
    assert [link["service"]["name"] for link in links] == ["Shelter intake"]
    assert organization["services"] == []
    assert closed["services"] == []
    for key in ("partners", "inactive"):
        response = client.get(f"{API}/services/{directory[key].id}")
        assert response.status_code == 404
        assert response.json() == {"error": "No public record has this id."}
    partners_link = directory["partners"].service_at_locations.get()
    assert client.get(f"{API}/service_at_locations/{partners_link.id}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/services/", "/organizations/", "/taxonomies/", "/taxonomy_terms/"]
)
@pytest.mark.parametrize("pk", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_a_json_404(path: str, pk: str, client: Client) -> None:
    response = client.get(API + path + pk)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_confidential_street_is_in_no_response(client: Client, directory: dict[str, Any]) -> None:
    service = directory["service"]
    paths = [
        *(f"{path}?full=true" for path in LISTS),
        "/services",
        "/service_at_locations",
        f"/services/{service.id}",
        f"/organizations/{service.organization_id}",
        f"/service_at_locations/{directory['link'].id}",
        "/organizations?full_service=true",
    ]

    for path in paths:
        response = client.get(API + path)
        assert response.status_code == 200, path
        assert CONFIDENTIAL_STREET not in response.content.decode(), path


def test_postcode_matches_only_published_addresses(
    client: Client, directory: dict[str, Any]
) -> None:
    public = full_service(name="Walk-in center")
    AddressFactory(location=public.service_at_locations.get().location, postal_code="94520")

    assert _get(client, "/service_at_locations", postcode="94999")["contents"] == []
    found = _get(client, "/service_at_locations", postcode="94520")["contents"]
    assert [link["service"]["name"] for link in found] == ["Walk-in center"]


def test_service_filters(client: Client, directory: dict[str, Any]) -> None:
    other = ServiceFactory(name="Legal clinic", description="Immigration help")
    term = TaxonomyTermFactory()
    AttributeFactory(link_id=other.id, taxonomy_term=term)
    since = "2026-02-01T00:00:00Z"

    assert _names(_get(client, "/services", search="IMMIGRATION")) == ["Legal clinic"]
    assert _names(_get(client, "/services", taxonomy_term_id=str(term.id))) == ["Legal clinic"]
    by_taxonomy = _get(client, "/services", taxonomy_id=str(term.taxonomy_detail_id))
    assert _names(by_taxonomy) == ["Legal clinic"]
    by_organization = _get(client, "/services", organization_id=str(other.organization_id))
    assert _names(by_organization) == ["Legal clinic"]
    assert _names(_get(client, "/services", modified_after=since)) == ["Shelter intake"]
    links = _get(client, "/service_at_locations", search="shelter", modified_after=since)
    assert [link["service"]["name"] for link in links["contents"]] == ["Shelter intake"]


def test_service_search_is_the_full_text_search_of_the_public_pages(
    client: Client, directory: dict[str, Any]
) -> None:
    ServiceAtLocationFactory(
        service__name="Asesoría legal", service__description="Visas T y U para sobrevivientes"
    )
    ServiceFactory(name="Legal aid", description="Civil matters")

    # Accents folded, every word must match, each as a prefix: not a substring search.
    assert _names(_get(client, "/services", search="asesoria sobreviv")) == ["Asesoría legal"]
    assert _names(_get(client, "/services", search="egal")) == []
    found = _get(client, "/service_at_locations", search="VISAS sobre")["contents"]
    assert [link["service"]["name"] for link in found] == ["Asesoría legal"]


def test_minimal_services_carry_id_and_modified_date(
    client: Client, directory: dict[str, Any]
) -> None:
    page = _get(client, "/services", minimal="true")

    assert page["contents"] == [
        {
            "id": str(directory["service"].id),
            "name": "Shelter intake",
            "status": "active",
            "last_modified": "2026-03-01T00:00:00Z",
        }
    ]


def test_organization_and_taxonomy_filters(client: Client) -> None:
    OrganizationFactory(name="Harbor House", description="Shelter")
    OrganizationFactory(name="Legal Aid")
    taxonomy = TaxonomyFactory(name="Local")
    parent = TaxonomyTermFactory(name="Housing", taxonomy_detail=taxonomy)
    TaxonomyTermFactory(name="Emergency shelter", parent=parent, taxonomy_detail=taxonomy)
    TaxonomyTermFactory(name="Other")

    assert _names(_get(client, "/organizations", search="shelter")) == ["Harbor House"]
    assert _names(_get(client, "/taxonomies", search="local")) == ["Local"]
    in_taxonomy = _get(client, "/taxonomy_terms", taxonomy_id=str(taxonomy.id))
    assert _names(in_taxonomy) == ["Emergency shelter", "Housing"]
    assert _names(_get(client, "/taxonomy_terms", parent_id=str(parent.id))) == [
        "Emergency shelter"
    ]
    assert _names(_get(client, "/taxonomy_terms", top_only="true")) == ["Housing", "Other"]


def test_only_get_and_head_are_allowed(client: Client) -> None:
    assert client.post(f"{API}/services").status_code == 405
    assert client.delete(f"{API}/services").status_code == 405
    assert client.head(f"{API}/services").status_code == 200


def test_answers_allow_any_origin_and_set_no_cookie(client: Client) -> None:
    response = client.get(f"{API}/services")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.cookies == {}


def _count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, path, full="true", per_page=100)
    return len(queries)


@pytest.mark.parametrize("path", sorted(LISTS))
def test_query_count_does_not_grow_with_the_rows(
    path: str, client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        full_service()
        TaxonomyTermFactory()
    few = _count_queries(client, path)
    for _ in range(27):
        full_service()
        TaxonomyTermFactory()

    assert Service.objects.count() == 30
    with django_assert_max_num_queries(few):
        _get(client, path, full="true", per_page=100)


def _located(name: str, postcode: str, latitude: float, longitude: float, **location: Any) -> None:
    link = ServiceAtLocationFactory(
        service__name=name,
        location__latitude=latitude,
        location__longitude=longitude,
        **{f"location__{key}": value for key, value in location.items()},
    )
    AddressFactory(location=link.location, postal_code=postcode)


def test_proximity_finds_locations_near_the_postcodes_centroid(client: Client) -> None:
    # Concord's downtown (94520) and, 1.1 km and 14 km away, two other services.
    _located("Downtown", "94520", 37.9780, -122.0311)
    _located("Across town", "94518", 37.9680, -122.0311)
    _located("Walnut Creek", "94596", 37.9101, -122.0652 + 0.1)
    # A shelter 300 m away: never found by distance, which could place it on a map.
    _located("Shelter", "94520", 37.9807, -122.0311, is_confidential=True)

    def near(metres: str) -> list[str]:
        found = _get(client, "/service_at_locations", postcode="94520", proximity=metres)
        return sorted(link["service"]["name"] for link in found["contents"])

    assert near("500") == ["Downtown"]
    assert near("2000") == ["Across town", "Downtown"]
    assert near("20000") == ["Across town", "Downtown", "Walnut Creek"]
    assert _get(client, "/service_at_locations", postcode="00000", proximity="5000")["empty"]
    assert _get(client, "/service_at_locations", proximity="5000")["empty"]


@pytest.mark.parametrize("metres", ["0", "100001", "far"])
def test_bad_proximity_is_a_400(client: Client, metres: str) -> None:
    response = client.get(f"{API}/service_at_locations", {"postcode": "94520", "proximity": metres})

    assert response.status_code == 400


def test_ndjson_still_refuses_bad_paging(client: Client) -> None:
    response = client.get(f"{API}/taxonomies", {"format": "ndjson", "per_page": "-5"})

    assert response.status_code == 400


def test_ndjson_streams_every_result_one_a_line(client: Client, directory: dict[str, Any]) -> None:
    for index in range(3):
        ServiceFactory(name=f"Extra {index}")

    response = client.get(f"{API}/services", {"format": "ndjson", "per_page": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    names = [json.loads(line)["name"] for line in lines]
    assert names == _names(_get(client, "/services", per_page="100"))
    assert len(names) == 4  # the public, active services only, all of them
