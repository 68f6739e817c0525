"""Directory editing (issue 5): languages, phones and hours of a service; locations of an
organization; coordinators working for any organization; agencies linked to theirs."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.models import AuditEvent
from concord.directory.models import (
    Address,
    ChangeKind,
    ChangeStatus,
    Language,
    ListingChange,
    Location,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from concord.directory.search import schedules_open_at
from concord.directory.services.agency_links import (
    create_organization,
    link_organization,
    unlink_organization,
)
from concord.directory.services.listing_locations import (
    location_values,
    propose_location_change,
)
from concord.directory.services.listings import current_values, propose_change, publish_change
from concord.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
)
from conftest import sign_in

TOKEN = "6c1f3a52-2d3a-4a8e-9d7f-0f3a9e0c1b2a"
SERVICE_FORM = {
    "name": "Advocacy line",
    "description": "Advocacy by phone.",
    "status": "active",
    "visibility": "public",
    "languages": ["en", "es"],
    "phone_0_number": "925-555-0100",
    "phone_0_description": "Hotline",
    "hours_MO_opens": "09:00",
    "hours_MO_closes": "17:00",
    "hours_TU_opens": "09:00",
    "hours_TU_closes": "17:00",
    "hours_SA_opens": "10:00",
    "hours_SA_closes": "14:00",
    "submission_token": TOKEN,
}
LOCATION_FORM = {
    "name": "Downtown office",
    "address_1": "1 Main Street",
    "city": "Concord",
    "state_province": "CA",
    "postal_code": "94520",
    "country": "US",
    "phone_0_number": "925-555-0111",
    "hours_WE_opens": "20:00",
    "hours_WE_closes": "08:00",
    "submission_token": TOKEN,
}


def _page(response: Any) -> str:
    return str(response.content.decode())


# Languages, phones and weekly hours of a service.


def test_a_service_change_publishes_languages_phones_and_hours(
    agency_listing: Service, representative_client: Client, coordinator: User
) -> None:
    url = reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk})

    response = representative_client.post(url, SERVICE_FORM)

    assert response.status_code == 302
    change = ListingChange.objects.get()
    assert change.values["hours"] == {
        "MO": ["09:00", "17:00"],
        "TU": ["09:00", "17:00"],
        "SA": ["10:00", "14:00"],
    }
    publish_change(actor=coordinator, change=change)
    languages = Language.objects.filter(service=agency_listing).values_list("code", "name")
    assert sorted(languages) == [("en", "English"), ("es", "Spanish")]
    assert list(
        Phone.objects.filter(service=agency_listing).values_list("number", "description")
    ) == [("925-555-0100", "Hotline")]
    schedules = Schedule.objects.filter(service=agency_listing).order_by("byday")
    assert [(s.freq, s.byday, s.opens_at, s.closes_at) for s in schedules] == [
        ("WEEKLY", "MO,TU", "09:00", "17:00"),
        ("WEEKLY", "SA", "10:00", "14:00"),
    ]
    history = set(
        Metadata.objects.filter(resource_id=agency_listing.pk).values_list("field_name", flat=True)
    )
    assert {"languages", "phones", "hours"} <= history


def test_published_hours_answer_the_open_now_search(
    agency_listing: Service, representative: User, coordinator: User
) -> None:
    values = {**current_values(agency_listing), "hours": {"MO": ["09:00", "17:00"]}}
    change = propose_change(
        actor=representative,
        organization=agency_listing.organization,
        service=agency_listing,
        values=values,
    )
    publish_change(actor=coordinator, change=change)
    monday_noon = datetime.datetime(2026, 11, 30, 12, 0)  # noqa: DTZ001 (local wall time)
    tuesday_noon = monday_noon + datetime.timedelta(days=1)

    assert agency_listing.pk in set(
        schedules_open_at(monday_noon).values_list("service_id", flat=True)
    )
    assert not schedules_open_at(tuesday_noon).filter(service=agency_listing).exists()


def test_publishing_hours_keeps_schedules_that_are_not_weekly_hours(
    agency_listing: Service, representative: User, coordinator: User
) -> None:
    by_appointment = Schedule.objects.create(
        service=agency_listing, description="By appointment on weekends."
    )
    monthly = Schedule.objects.create(
        service=agency_listing, freq="MONTHLY", bymonthday="1", opens_at="10:00", closes_at="12:00"
    )
    Schedule.objects.create(
        service=agency_listing, freq="WEEKLY", byday="FR", opens_at="08:00", closes_at="12:00"
    )
    values = {**current_values(agency_listing), "hours": {"MO": ["09:00", "17:00"]}}
    assert current_values(agency_listing)["hours"] == {"FR": ["08:00", "12:00"]}
    change = propose_change(
        actor=representative,
        organization=agency_listing.organization,
        service=agency_listing,
        values=values,
    )

    publish_change(actor=coordinator, change=change)

    kept = set(Schedule.objects.filter(service=agency_listing).values_list("pk", flat=True))
    assert {by_appointment.pk, monthly.pk} <= kept
    assert current_values(agency_listing)["hours"] == {"MO": ["09:00", "17:00"]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_MO_closes", "5pm", "Enter the time as HH:MM"),
        ("hours_MO_closes", "", "Enter when it closes too."),
        ("phone_0_number", "call us", "Enter a phone number"),
    ],
)
def test_bad_details_are_refused_and_what_was_typed_is_kept(
    agency_listing: Service, representative_client: Client, field: str, value: str, message: str
) -> None:
    url = reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk})

    response = representative_client.post(url, {**SERVICE_FORM, field: value})

    assert response.status_code == 200
    page = _page(response)
    assert message in page
    assert 'value="Advocacy line"' in page
    assert 'value="10:00"' in page
    assert ListingChange.objects.count() == 0


def test_the_review_page_compares_hours_phones_and_languages(
    agency_listing: Service, representative_client: Client, coordinator_client: Client
) -> None:
    Phone.objects.create(service=agency_listing, number="925-555-0199")
    representative_client.post(
        reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk}), SERVICE_FORM
    )
    change = ListingChange.objects.get()

    page = _page(
        coordinator_client.get(reverse("directory:change-detail", kwargs={"pk": change.pk}))
    )

    assert "<td>925-555-0199</td>" in page
    assert "925-555-0100 (Hotline)" in page
    assert "Monday 09:00-17:00" in page
    assert "English, Spanish" in page


# Locations.


def test_a_new_location_is_reviewed_and_published(
    agency_listing: Service, representative_client: Client, coordinator: User
) -> None:
    organization = agency_listing.organization
    url = reverse("directory:location-create", kwargs={"pk": organization.pk})

    response = representative_client.post(
        url, {**LOCATION_FORM, "services": [str(agency_listing.pk)]}
    )

    assert response.status_code == 302
    change = ListingChange.objects.get()
    assert (change.kind, change.location, change.status) == (
        ChangeKind.LOCATION,
        None,
        ChangeStatus.PENDING,
    )
    assert not Location.objects.exists()
    location = publish_change(actor=coordinator, change=change)
    assert isinstance(location, Location)
    assert location.organization == organization
    address = Address.objects.get(location=location)
    assert (address.address_1, address.city, address.country) == ("1 Main Street", "Concord", "US")
    assert ServiceAtLocation.objects.filter(location=location, service=agency_listing).exists()
    assert Phone.objects.get(location=location).number == "925-555-0111"
    assert Schedule.objects.get(location=location).byday == "WE"
    created = Metadata.objects.filter(resource_id=location.pk, resource_type="location")
    assert set(created.values_list("last_action_type", flat=True)) == {"create"}
    assert "address_1" in set(created.values_list("field_name", flat=True))
    assert AuditEvent.objects.filter(action="concord.listing.location_published").count() == 1


def test_a_location_change_updates_it_and_its_services(
    agency_location: Location, agency_listing: Service, representative: User, coordinator: User
) -> None:
    values = {**location_values(agency_location), "name": "Renamed shelter", "services": []}
    change = propose_location_change(
        actor=representative,
        organization=agency_listing.organization,
        location=agency_location,
        values=values,
    )

    publish_change(actor=coordinator, change=change)

    agency_location.refresh_from_db()
    assert agency_location.name == "Renamed shelter"
    assert agency_location.is_confidential
    assert not ServiceAtLocation.objects.filter(location=agency_location).exists()
    fields = set(
        Metadata.objects.filter(resource_id=agency_location.pk).values_list("field_name", flat=True)
    )
    assert fields == {"name", "services"}


def test_a_city_is_needed_unless_the_location_is_confidential(
    agency_listing: Service, representative_client: Client
) -> None:
    url = reverse("directory:location-create", kwargs={"pk": agency_listing.organization_id})
    blank = {**LOCATION_FORM, "address_1": "", "city": "", "state_province": "", "postal_code": ""}

    refused = representative_client.post(url, blank)
    accepted = representative_client.post(url, {**blank, "is_confidential": "on"})

    assert refused.status_code == 200
    assert "Required unless the location is confidential." in _page(refused)
    assert 'value="Downtown office"' in _page(refused)
    assert accepted.status_code == 302
    assert ListingChange.objects.get().values["is_confidential"] is True


def test_another_organizations_service_cannot_be_offered_at_a_location(
    agency_listing: Service, representative_client: Client, representative: User
) -> None:
    other = ServiceFactory()
    url = reverse("directory:location-create", kwargs={"pk": agency_listing.organization_id})

    response = representative_client.post(url, {**LOCATION_FORM, "services": [str(other.pk)]})

    assert response.status_code == 200
    assert "Select a valid choice" in _page(response)
    assert ListingChange.objects.count() == 0
    with pytest.raises(ValidationError):
        propose_location_change(
            actor=representative,
            organization=agency_listing.organization,
            location=None,
            values={**LOCATION_FORM, "services": [str(other.pk)]},
        )


def test_another_organizations_location_is_404_and_refused_by_the_service(
    agency_listing: Service, representative_client: Client, representative: User
) -> None:
    elsewhere = LocationFactory(organization=OrganizationFactory())

    response = representative_client.get(
        reverse("directory:location-edit", kwargs={"pk": elsewhere.pk})
    )

    assert response.status_code == 404
    with pytest.raises(ValidationError):
        propose_location_change(
            actor=representative,
            organization=agency_listing.organization,
            location=elsewhere,
            values=location_values(elsewhere),
        )


def test_a_post_naming_other_ids_changes_only_the_url_organization(
    agency_listing: Service, representative_client: Client
) -> None:
    other = ServiceFactory()
    elsewhere = LocationFactory(organization=other.organization)
    organization = agency_listing.organization

    representative_client.post(
        reverse("directory:location-create", kwargs={"pk": organization.pk}),
        {**LOCATION_FORM, "organization": str(other.organization_id), "location": elsewhere.pk},
    )
    representative_client.post(
        reverse("directory:organization-service-create", kwargs={"pk": organization.pk}),
        {
            **SERVICE_FORM,
            "submission_token": "7d2f3a52-2d3a-4a8e-9d7f-0f3a9e0c1b2a",
            "service": str(other.pk),
            "organization": str(other.organization_id),
            "status": "active",
        },
    )

    changes = ListingChange.objects.order_by("id")
    assert [(c.kind, c.organization_id, c.service_id, c.location_id) for c in changes] == [
        (ChangeKind.LOCATION, organization.pk, None, None),
        (ChangeKind.SERVICE, organization.pk, None, None),
    ]


def test_double_submit_of_a_location_makes_one_change(
    agency_listing: Service, representative_client: Client
) -> None:
    url = reverse("directory:location-create", kwargs={"pk": agency_listing.organization_id})

    representative_client.post(url, LOCATION_FORM)
    second = representative_client.post(url, LOCATION_FORM)

    assert second.status_code == 302
    assert ListingChange.objects.count() == 1


def test_a_confidential_address_stays_off_public_and_listing_pages(
    agency_location: Location,
    agency_listing: Service,
    representative_client: Client,
    client: Client,
) -> None:
    public = _page(
        client.get(reverse("directory:service-detail", kwargs={"pk": agency_listing.pk}))
    )
    listings = _page(representative_client.get(reverse("directory:listing-list")))

    assert "Agency A shelter" in listings
    assert "77 Hidden Lane" not in listings
    assert "77 Hidden Lane" not in public


def test_a_rejected_location_change_leaves_the_location(
    agency_location: Location,
    agency_listing: Service,
    representative: User,
    coordinator_client: Client,
) -> None:
    change = propose_location_change(
        actor=representative,
        organization=agency_listing.organization,
        location=agency_location,
        values={**location_values(agency_location), "name": "Somewhere else"},
    )

    page = _page(
        coordinator_client.get(reverse("directory:change-detail", kwargs={"pk": change.pk}))
    )
    response = coordinator_client.post(
        reverse("directory:change-reject", kwargs={"pk": change.pk}), {"reason": "Not yet."}
    )

    assert "Somewhere else" in page
    assert "Agency A shelter" in page
    assert response.status_code == 302
    agency_location.refresh_from_db()
    assert agency_location.name == "Agency A shelter"


# Coordinators work for any organization.


def test_a_coordinator_proposes_and_publishes_a_service_for_any_organization(
    coordinator_client: Client, coordinator: User
) -> None:
    organization = OrganizationFactory()  # run by no member agency
    url = reverse("directory:organization-service-create", kwargs={"pk": organization.pk})

    response = coordinator_client.post(url, SERVICE_FORM)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "directory:organization-listings", kwargs={"pk": organization.pk}
    )
    change = ListingChange.objects.get()
    assert change.author == coordinator
    service = publish_change(actor=coordinator, change=change)
    assert service.organization == organization


def test_the_organization_list_counts_pending_and_stale_listings(
    agency_listing: Service, listing_change: ListingChange, coordinator_client: Client
) -> None:
    Service.objects.filter(pk=agency_listing.pk).update(assured_date=datetime.date(2020, 1, 1))
    ServiceFactory(organization=agency_listing.organization)  # verified recently

    response = coordinator_client.get(reverse("directory:organization-list"))

    page = _page(response)
    organization = agency_listing.organization
    assert organization.name in page
    assert "Agency A" in page
    assert response.context["page"][0].pending_count == 1
    assert response.context["page"][0].stale_count == 1


def test_the_organization_list_is_for_coordinators_only(representative_client: Client) -> None:
    assert representative_client.get(reverse("directory:organization-list")).status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listing_pages_query_counts_do_not_grow(
    agency_listing: Service, coordinator: User, representative: User
) -> None:
    organization = agency_listing.organization
    # One of each first, so the prefetches that run only for rows run in both counts.
    AddressFactory(location=LocationFactory(organization=organization))
    client = sign_in(Client(), coordinator)
    urls = [
        reverse("directory:organization-list"),
        reverse("directory:organization-listings", kwargs={"pk": organization.pk}),
        reverse("directory:location-create", kwargs={"pk": organization.pk}),
    ]
    _queries(client, urls[0])  # the first request also writes the session
    few = [_queries(client, url) for url in urls]
    for index in range(12):
        location = LocationFactory(organization=organization, name=f"Place {index}")
        AddressFactory(location=location)
        ServiceFactory(organization=organization)
        ServiceFactory(organization=OrganizationFactory())
        propose_location_change(
            actor=representative,
            organization=organization,
            location=location,
            values=location_values(location),
        )

    assert [_queries(client, url) for url in urls] == few


# Agencies linked to their organization.


def test_a_coordinator_links_an_existing_organization_and_unlinks_it(
    agency_b: Agency, coordinator_client: Client
) -> None:
    organization = OrganizationFactory(name="Agency B services")
    url = reverse("directory:agency-organization", kwargs={"pk": agency_b.pk})

    linked = coordinator_client.post(url, {"link-organization": str(organization.pk), "link": ""})
    organization.refresh_from_db()
    assert linked.status_code == 302
    assert organization.agency == agency_b

    unlinked = coordinator_client.post(
        reverse("directory:agency-organization-unlink", kwargs={"pk": agency_b.pk})
    )

    organization.refresh_from_db()
    assert unlinked.status_code == 302
    assert organization.agency is None
    actions = list(
        AuditEvent.objects.filter(action__startswith="concord.listing.organization")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "concord.listing.organization_linked",
        "concord.listing.organization_unlinked",
    ]


def test_a_coordinator_creates_the_organization_of_an_agency(
    agency_b: Agency, coordinator_client: Client
) -> None:
    url = reverse("directory:agency-organization", kwargs={"pk": agency_b.pk})
    form = coordinator_client.get(url)
    assert agency_b.name in _page(form)

    response = coordinator_client.post(
        url,
        {
            "create-name": agency_b.name,
            "create-website": "https://b.example.org",
            "create-description": "Legal services.",
            "create": "",
        },
    )

    assert response.status_code == 302
    organization = Organization.objects.get(agency=agency_b)
    assert (organization.name, organization.website) == (agency_b.name, "https://b.example.org")


def test_an_organization_of_another_agency_cannot_be_linked(
    agency_a: Agency, agency_b: Agency, coordinator: User, coordinator_client: Client
) -> None:
    taken = OrganizationFactory(agency=agency_a)
    url = reverse("directory:agency-organization", kwargs={"pk": agency_b.pk})

    response = coordinator_client.post(url, {"link-organization": str(taken.pk), "link": ""})

    assert response.status_code == 200
    assert "Select a valid choice" in _page(response)
    with pytest.raises(ValidationError):
        link_organization(actor=coordinator, agency=agency_b, organization=taken)
    with pytest.raises(ValidationError):
        create_organization(
            actor=coordinator, agency=agency_a, name="Twice", website="", description="Again."
        )
    with pytest.raises(ValidationError):
        unlink_organization(actor=coordinator, agency=agency_b)
    taken.refresh_from_db()
    assert taken.agency == agency_a
