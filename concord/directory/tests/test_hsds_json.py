import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concord.directory.hsds_json import (
    organizations_json,
    page_json,
    service_at_locations_json,
    service_json,
    services_json,
    taxonomy_json,
    taxonomy_term_json,
)
from concord.directory.models import (
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)
from concord.directory.queries import (
    organizations_for_hsds,
    service_at_locations_for_hsds,
    services_for_hsds,
)
from concord.directory.schemas import page_validator, validator
from concord.directory.services.importing import import_hsds
from concord.directory.tests.factories import AddressFactory, full_service
from concord.directory.tests.helpers import EXAMPLES

pytestmark = pytest.mark.django_db


def _errors(kind: str, document: Any) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(document)]


@pytest.mark.parametrize("public", [True, False])
def test_examples_reserialized_validate_against_compiled_schemas(public: bool) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        assert import_hsds(path=path, actor=None).ok, path.name

    for service in services_for_hsds(public=public):
        assert _errors("service", service_json(service, public=public)) == []
    for organization in organizations_json(organizations_for_hsds(public=public), public=public):
        assert _errors("organization", organization) == []
    for link in service_at_locations_json(
        service_at_locations_for_hsds(public=public), public=public
    ):
        assert _errors("service_at_location", link) == []
    for taxonomy in Taxonomy.objects.all():
        assert _errors("taxonomy", taxonomy_json(taxonomy)) == []
    for term in TaxonomyTerm.objects.select_related("taxonomy_detail"):
        assert _errors("taxonomy_term", taxonomy_term_json(term)) == []


def test_service_json_round_trips_the_example() -> None:
    import_hsds(path=EXAMPLES / "service_full.json", actor=None)
    original = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))

    serialized = service_json(services_for_hsds(public=False).get(), public=False)

    assert serialized["name"] == original["name"]
    assert serialized["organization"]["id"] == original["organization"]["id"]
    assert serialized["last_modified"] == "2023-03-15T10:30:45.123000Z"
    assert {phone["id"] for phone in serialized["phones"]} == {
        phone["id"] for phone in original["phones"]
    }
    assert (
        serialized["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"]
        == (original["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"])
    )


def test_factory_service_validates_against_compiled_schema() -> None:
    full_service()

    document = services_json(services_for_hsds(public=False), public=False)[0]

    assert _errors("service", document) == []
    assert document["attributes"][0]["taxonomy_term"]["name"].startswith("Term")


def test_public_json_never_shows_a_confidential_address() -> None:
    service = full_service()
    location = service.service_at_locations.get().location
    location.is_confidential = True
    location.save()
    AddressFactory(location=location, address_1="77 Hidden Shelter Lane")

    public = json.dumps(services_json(services_for_hsds(public=True), public=True))
    internal = json.dumps(services_json(services_for_hsds(public=False), public=False))
    organization = json.dumps(organizations_json(organizations_for_hsds(public=True), public=True))
    link = json.dumps(
        service_at_locations_json(service_at_locations_for_hsds(public=True), public=True)
    )

    for text in (public, organization, link):
        assert "Hidden Shelter Lane" not in text
        assert "Willow Pass" not in text
        assert "37.978" not in text
    assert "Hidden Shelter Lane" in internal
    assert "37.978" in internal


def test_public_json_leaves_out_contacts_own_details() -> None:
    full_service()

    public = json.dumps(services_json(services_for_hsds(public=True), public=True))

    assert "Intake coordinator" in public
    assert "Dana Advocate" not in public
    assert "dana@example.org" not in public
    assert "555 0199" not in public
    assert "555 0100" in public


def test_partners_only_services_absent_from_public_lists() -> None:
    full_service(name="Open clinic")
    hidden = full_service(name="Partners safe house", visibility=Visibility.PARTNERS)

    public = page_json(
        services_for_hsds(public=True),
        page=1,
        per_page=10,
        serialize=lambda services: services_json(services, public=True),
    )
    internal = services_json(services_for_hsds(public=False), public=False)
    organizations = json.dumps(organizations_json(organizations_for_hsds(public=True), public=True))

    assert [item["name"] for item in public["contents"]] == ["Open clinic"]
    assert public["total_items"] == 1
    assert {item["name"] for item in internal} == {"Open clinic", "Partners safe house"}
    assert str(hidden.id) not in organizations
    assert services_json([hidden], public=True) == []


def test_page_json_is_an_openapi_page_of_service_list_items() -> None:
    for _number in range(3):
        full_service()

    page = page_json(
        services_for_hsds(public=True, full=False),
        page=2,
        per_page=2,
        serialize=lambda services: services_json(services, public=True, full=False),
    )

    assert list(page_validator().iter_errors(page)) == []
    assert (page["total_items"], page["total_pages"], page["page_number"], page["size"]) == (
        3,
        2,
        2,
        1,
    )
    assert (page["first_page"], page["last_page"], page["empty"]) == (False, True, False)
    assert _errors("service_list", page["contents"][0]) == []


def _first_page() -> dict[str, Any]:
    return page_json(
        services_for_hsds(public=True),
        page=1,
        per_page=50,
        serialize=lambda services: services_json(services, public=True),
    )


def test_page_of_services_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    for _number in range(3):
        full_service()
    with CaptureQueriesContext(connection) as queries:
        assert _first_page()["size"] == 3
    for _number in range(27):
        full_service()

    with django_assert_max_num_queries(len(queries)):
        page = _first_page()

    assert page["size"] == 30
