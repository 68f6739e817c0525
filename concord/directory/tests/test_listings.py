"""Directory editing (issue 5): propose, publish, reject, verify."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.audit.models import AuditEvent
from concord.directory.models import ChangeStatus, ListingChange, Metadata, Service
from concord.directory.services.listings import (
    current_values,
    propose_change,
    publish_change,
)
from concord.directory.tests.factories import OrganizationFactory, ServiceFactory
from conftest import sign_in

FORM = {
    "name": "Advocacy line, renamed",
    "description": "Advocacy by phone.",
    "status": "active",
    "visibility": "partners",
    "eligibility_description": "Adults",
    "fees_description": "Free",
    "application_process": "Call us",
    "minimum_age": "18",
    "maximum_age": "",
}


def _post(client: Client, url: str, **extra: str) -> object:
    token = "0b7e9a52-2d3a-4a8e-9d7f-0f3a9e0c1b2a"
    return client.post(url, {**FORM, "submission_token": token, **extra})


def test_edit_creates_a_pending_change_and_publishing_applies_it(
    agency_listing: Service, representative_client: Client, coordinator: User
) -> None:
    original = agency_listing.name

    response = _post(
        representative_client, reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk})
    )

    assert response.status_code == 302  # type: ignore[attr-defined]
    change = ListingChange.objects.get()
    assert change.status == ChangeStatus.PENDING
    agency_listing.refresh_from_db()
    assert agency_listing.name == original

    publish_change(actor=coordinator, change=change)

    agency_listing.refresh_from_db()
    assert agency_listing.name == "Advocacy line, renamed"
    assert agency_listing.visibility == "partners"
    assert agency_listing.minimum_age == 18
    assert agency_listing.assured_date == timezone.localdate()
    assert agency_listing.last_modified is not None
    history = dict(
        Metadata.objects.filter(resource_id=agency_listing.pk).values_list(
            "field_name", "replacement_value"
        )
    )
    assert history["name"] == "Advocacy line, renamed"
    assert "status" not in history  # unchanged fields write no history
    change.refresh_from_db()
    assert change.status == ChangeStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="concord.listing.published").count() == 1


def test_a_new_service_is_created_on_publish(
    agency_listing: Service, representative_client: Client, coordinator: User
) -> None:
    _post(representative_client, reverse("directory:listing-create"), name="Night shelter")
    change = ListingChange.objects.get()
    assert change.service is None

    service = publish_change(actor=coordinator, change=change)

    assert service.organization == agency_listing.organization
    assert service.name == "Night shelter"
    assert Metadata.objects.filter(resource_id=service.pk, last_action_type="create").exists()


def test_double_submit_creates_one_change(
    agency_listing: Service, representative_client: Client
) -> None:
    url = reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk})

    _post(representative_client, url)
    second = _post(representative_client, url)

    assert second.status_code == 302  # type: ignore[attr-defined]
    assert ListingChange.objects.count() == 1


def test_reject_keeps_the_service_unchanged_and_needs_a_reason(
    listing_change: ListingChange, coordinator: User, coordinator_client: Client
) -> None:
    service = listing_change.service
    assert service is not None
    url = reverse("directory:change-reject", kwargs={"pk": listing_change.pk})

    empty = coordinator_client.post(url, {"reason": ""})
    done = coordinator_client.post(url, {"reason": "Please check the hours."})

    assert (empty.status_code, done.status_code) == (400, 302)
    listing_change.refresh_from_db()
    assert listing_change.status == ChangeStatus.REJECTED
    service.refresh_from_db()
    assert service.name == "Agency A advocacy line"
    assert not Metadata.objects.filter(resource_id=service.pk).exists()
    with pytest.raises(ValidationError):
        publish_change(actor=coordinator, change=listing_change)


def test_a_post_cannot_move_a_change_to_another_organization(
    agency_listing: Service, representative: User
) -> None:
    other = ServiceFactory()

    with pytest.raises(ValidationError):
        propose_change(
            actor=representative,
            organization=agency_listing.organization,
            service=other,
            values=current_values(other),
        )


def test_outsider_gets_404_member_403_representative_and_coordinator_200(
    agency_listing: Service,
    outsider_client: Client,
    member_client: Client,
    representative_client: Client,
    coordinator_client: Client,
) -> None:
    url = reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk})

    statuses = [
        client.get(url).status_code
        for client in (outsider_client, member_client, representative_client, coordinator_client)
    ]

    assert statuses == [404, 403, 200, 200]


def test_alternate_representative_may_edit(agency_listing: Service, agency_a: Agency) -> None:
    alternate = UserFactory(agency=agency_a, agency_role="alternate")
    client = sign_in(Client(), alternate)

    response = client.get(reverse("directory:listing-edit", kwargs={"pk": agency_listing.pk}))

    assert response.status_code == 200


def test_verify_sets_the_last_verified_date(
    agency_listing: Service, representative_client: Client
) -> None:
    response = representative_client.post(
        reverse("directory:listing-verify", kwargs={"pk": agency_listing.pk})
    )

    assert response.status_code == 302
    agency_listing.refresh_from_db()
    assert agency_listing.assured_date == timezone.localdate()
    assert AuditEvent.objects.filter(action="concord.listing.verified").count() == 1


def test_the_listing_list_tags_stale_listings(
    agency_listing: Service, representative_client: Client
) -> None:
    Service.objects.filter(pk=agency_listing.pk).update(assured_date=datetime.date(2020, 1, 1))

    response = representative_client.get(reverse("directory:listing-list"))

    assert "Stale" in response.content.decode()


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("directory:listing-list")).status_code == 200
    return len(queries)


def test_the_listing_list_query_count_does_not_grow(
    agency_a: Agency, representative: User, coordinator: User
) -> None:
    organization = OrganizationFactory(agency=agency_a)
    services = ServiceFactory.create_batch(3, organization=organization)
    for service in services:
        propose_change(
            actor=representative,
            organization=organization,
            service=service,
            values=current_values(service),
        )
    client = sign_in(Client(), representative)
    _list_queries(client)  # the first request also writes the session
    few = _list_queries(client)
    for service in ServiceFactory.create_batch(27, organization=organization):
        propose_change(
            actor=representative,
            organization=organization,
            service=service,
            values=current_values(service),
        )

    assert _list_queries(client) == few


def test_the_review_page_shows_current_and_proposed_values(
    listing_change: ListingChange, coordinator_client: Client
) -> None:
    response = coordinator_client.get(
        reverse("directory:change-detail", kwargs={"pk": listing_change.pk})
    )

    page = response.content.decode()
    assert "Agency A advocacy line, renamed" in page
    assert "Agency A advocacy line</td>" in page


def test_publishing_replaces_the_categories(
    agency_listing: Service, representative: User, coordinator: User
) -> None:
    from concord.directory.tests.factories import TaxonomyTermFactory

    term = TaxonomyTermFactory(code="shelter", name="Shelter")
    values = {**current_values(agency_listing), "categories": [str(term.pk)]}
    change = propose_change(
        actor=representative,
        organization=agency_listing.organization,
        service=agency_listing,
        values=values,
    )

    publish_change(actor=coordinator, change=change)

    assert current_values(agency_listing)["categories"] == [str(term.pk)]
    assert Metadata.objects.filter(field_name="categories").count() == 1
