from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.agencies.queries import agency_directory
from concord.agencies.tests.factories import AgencyFactory


def test_agency_directory_counts_active_people_only(
    agency_a: Agency, member: User, representative: User, deactivated: User
) -> None:
    empty = AgencyFactory(name="Empty Agency")

    counts = {agency.pk: agency.people_count for agency in agency_directory()}

    assert counts == {agency_a.pk: 2, empty.pk: 0}


def test_agency_directory_is_ordered_by_name_and_filters(
    agency_a: Agency, agency_b: Agency
) -> None:
    assert [agency.name for agency in agency_directory()] == ["Agency A", "Agency B"]
    assert [agency.name for agency in agency_directory(search="agency b")] == ["Agency B"]
