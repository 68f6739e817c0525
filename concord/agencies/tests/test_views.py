from typing import Any

from django.test import Client
from django.urls import reverse

from concord.accounts.models import User
from concord.agencies.models import Agency, AgencyStatus, Sector
from concord.agencies.tests.factories import AgencyFactory


def agency_data(**overrides: Any) -> dict[str, Any]:
    return {
        "submission_token": "5f1d2c3b-4a59-4e7e-9a8e-3f1f6b1c2d22",
        "name": "Fresh Start Center",
        "sector": Sector.VICTIM_SERVICES,
        "street_address": "1 Main St",
        "city": "Concord",
        "state": "ca",
        "postal_code": "94520",
        "service_area": "East County",
        "website": "https://fresh.example.org",
        "phone": "925-555-0100",
        **overrides,
    }


def test_coordinator_adds_an_agency(coordinator_client: Client) -> None:
    response = coordinator_client.post(reverse("agencies:agency-create"), agency_data())

    agency = Agency.objects.get(name="Fresh Start Center")
    assert response["Location"] == agency.get_absolute_url()
    assert agency.state == "CA"
    assert agency.status == AgencyStatus.ACTIVE


def test_a_double_submit_creates_one_agency(coordinator_client: Client) -> None:
    first = coordinator_client.post(reverse("agencies:agency-create"), agency_data())
    second = coordinator_client.post(reverse("agencies:agency-create"), agency_data())

    assert Agency.objects.filter(name="Fresh Start Center").count() == 1
    assert first["Location"] == second["Location"]


def test_bad_input_shows_field_errors_and_keeps_the_rest(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("agencies:agency-create"), agency_data(website="not a url", sector="pirates")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"website", "sector"}
    assert b'value="Fresh Start Center"' in response.content
    assert not Agency.objects.filter(name="Fresh Start Center").exists()


def test_status_cannot_be_set_through_the_edit_form(
    representative_client: Client, agency_a: Agency
) -> None:
    response = representative_client.post(
        reverse("agencies:agency-edit", args=[agency_a.pk]),
        agency_data(name="Agency A", status=AgencyStatus.WITHDRAWN, id=999),
    )

    agency_a.refresh_from_db()
    assert response.status_code == 302
    assert agency_a.status == AgencyStatus.ACTIVE
    assert agency_a.city == "Concord"


def test_representative_edits_own_agency_but_not_another(
    representative_client: Client, agency_a: Agency, agency_b: Agency
) -> None:
    own = representative_client.get(reverse("agencies:agency-edit", args=[agency_a.pk]))
    other = representative_client.get(reverse("agencies:agency-edit", args=[agency_b.pk]))

    assert own.status_code == 200
    assert other.status_code == 404


def test_coordinator_changes_status_and_bad_transitions_say_why(
    coordinator_client: Client, agency_a: Agency
) -> None:
    url = reverse("agencies:agency-status", args=[agency_a.pk])
    coordinator_client.post(url, {"status": AgencyStatus.WITHDRAWN})

    response = coordinator_client.post(url, {"status": AgencyStatus.LAPSED}, follow=True)

    agency_a.refresh_from_db()
    assert agency_a.status == AgencyStatus.WITHDRAWN
    assert "cannot go from Withdrawn to Lapsed" in response.content.decode()


def test_agency_detail_lists_its_active_people_only(
    member_client: Client, member: User, representative: User, deactivated: User, agency_a: Agency
) -> None:
    response = member_client.get(reverse("agencies:agency-detail", args=[agency_a.pk]))

    assert set(response.context["people"]) == {member, representative}


def test_agency_list_queries_do_not_grow_with_rows(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    AgencyFactory.create_batch(40)

    with django_assert_max_num_queries(8):
        response = coordinator_client.get(reverse("agencies:agency-list"))

    assert len(response.context["page"]) == 25


def test_agency_list_filters_by_status_and_search(
    coordinator_client: Client, agency_a: Agency
) -> None:
    lapsed = AgencyFactory(name="Quiet Partner", status=AgencyStatus.LAPSED)

    by_status = coordinator_client.get(reverse("agencies:agency-list"), {"status": "lapsed"})
    by_name = coordinator_client.get(reverse("agencies:agency-list"), {"q": "agency a"})

    assert list(by_status.context["page"]) == [lapsed]
    assert list(by_name.context["page"]) == [agency_a]


def test_a_bad_filter_value_is_ignored_not_an_error(coordinator_client: Client) -> None:
    response = coordinator_client.get(
        reverse("agencies:agency-list"), {"status": "nope", "page": "x"}
    )

    assert response.status_code == 200
