import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, AgencyStatus
from concord.agencies.tests.factories import AgencyFactory
from concord.meetings.models import (
    Attendance,
    Committee,
    CommitteeMembership,
    Meeting,
    MeetingStatus,
    MembershipStatus,
)
from concord.meetings.queries_participation import (
    DEFAULT_COALITION_MEETINGS,
    DEFAULT_COMMITTEES,
    Commitment,
    commitment_of,
    participation,
)

PAGE = reverse("meetings:participation-list")
CSV = reverse("meetings:participation-csv")


def _meeting(days_ago: int, committee: Committee | None = None, **values: object) -> Meeting:
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return Meeting.objects.create(
        committee=committee,
        title="Meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        **values,
    )


def _present(meeting: Meeting, *people: User) -> None:
    for person in people:
        Attendance.objects.create(meeting=meeting, person=person, status="present")


@pytest.fixture
def year(representative: User, member: User, outsider: User, committee: Committee) -> list[Meeting]:
    """Four coalition meetings held; agency A at three (twice with two people), agency B at
    two; plus a cancelled one, a future one and one older than a year, all attended."""
    held = [_meeting(days) for days in (330, 240, 150, 60)]
    _present(held[0], representative, member)
    _present(held[1], representative)
    _present(held[2], member, representative)
    _present(held[3], outsider)
    _present(held[2], outsider)
    Attendance.objects.create(meeting=held[0], person=outsider, status="excused")
    for extra in (
        _meeting(20, status=MeetingStatus.CANCELLED),
        _meeting(-20),
        _meeting(400),
    ):
        _present(extra, representative, member, outsider)
    _present(_meeting(30, committee), member, representative)
    _present(_meeting(400, committee), member)
    return held


def _rows(client: Client, url: str = PAGE) -> dict[str, Agency]:
    return {agency.name: agency for agency in client.get(url).context["page"]}


def test_figures_count_held_meetings_of_the_last_twelve_months(
    coordinator_client: Client, year: list[Meeting]
) -> None:
    rows = _rows(coordinator_client)

    a, b = rows["Agency A"], rows["Agency B"]
    assert (a.coalition_attended, a.committee_attended, a.committees_joined) == (3, 1, 1)
    assert (b.coalition_attended, b.committee_attended, b.committees_joined) == (2, 0, 0)
    assert (a.below_commitment, b.below_commitment) == (False, True)


def test_page_says_how_many_were_held_and_flags_in_words(
    coordinator_client: Client, year: list[Meeting]
) -> None:
    response = coordinator_client.get(PAGE)

    assert response.context["held"] == 4
    assert response.content.count(b"Below commitment</span>") == 1
    assert b"3 of 4" in response.content


def test_an_agency_needs_a_committee(
    coordinator_client: Client, year: list[Meeting], member: User
) -> None:
    CommitteeMembership.objects.filter(person__agency__name="Agency A").update(
        status=MembershipStatus.LEFT
    )

    assert _rows(coordinator_client)["Agency A"].below_commitment is True


def test_requested_memberships_do_not_count(
    coordinator_client: Client, year: list[Meeting], outsider: User, committee: Committee
) -> None:
    CommitteeMembership.objects.create(committee=committee, person=outsider)

    assert _rows(coordinator_client)["Agency B"].committees_joined == 0


def test_fewer_meetings_held_expect_fewer(
    coordinator_client: Client, outsider: User, agency_a: Agency
) -> None:
    _present(_meeting(100), outsider)
    _present(_meeting(50), outsider)

    response = coordinator_client.get(PAGE)

    rows = {agency.name: agency for agency in response.context["page"]}
    assert rows["Agency B"].coalition_expected == 2
    assert rows["Agency A"].coalition_expected == 2


def test_only_active_agencies_are_listed(coordinator_client: Client, year: list[Meeting]) -> None:
    AgencyFactory(name="Lapsed agency", status=AgencyStatus.LAPSED)

    assert sorted(_rows(coordinator_client)) == ["Agency A", "Agency B"]


def test_below_commitment_first(coordinator_client: Client, year: list[Meeting]) -> None:
    AgencyFactory(name="Aardvark Agency")

    by_name = list(_rows(coordinator_client))
    below_first = list(_rows(coordinator_client, PAGE + "?sort=below"))

    assert by_name == ["Aardvark Agency", "Agency A", "Agency B"]
    assert below_first == ["Aardvark Agency", "Agency B", "Agency A"]


def test_an_unknown_sort_falls_back_to_names(coordinator_client: Client) -> None:
    response = coordinator_client.get(PAGE + "?sort=password")

    assert response.status_code == 200
    assert response.context["sort"] == "name"


def test_commitment_defaults_until_the_membership_application(agency_a: Agency) -> None:
    row = participation().get(pk=agency_a.pk)

    assert commitment_of(agency_a) == Commitment(coalition_meetings=3, committees=1)
    assert commitment_of(row) == Commitment(DEFAULT_COALITION_MEETINGS, DEFAULT_COMMITTEES)


@pytest.mark.parametrize(
    "client_name", ["member_client", "representative_client", "outsider_client"]
)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_only_coordinators_see_participation(
    client_name: str, url: str, request: pytest.FixtureRequest, year: list[Meeting]
) -> None:
    client = request.getfixturevalue(client_name)

    response = client.get(url)

    assert response.status_code == 403
    assert b"Agency B" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(CSV)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _csv(client: Client) -> list[list[str]]:
    response = client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_lists_the_figures(coordinator_client: Client, year: list[Meeting]) -> None:
    rows = _csv(coordinator_client)

    assert rows[0][0] == "Agency"
    assert rows[1:] == [
        ["Agency A", "3", "4", "3", "1", "1", "1", "no"],
        ["Agency B", "2", "4", "3", "0", "0", "1", "yes"],
    ]


def test_csv_neutralises_formulas(coordinator_client: Client) -> None:
    for name in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "Plain"):
        AgencyFactory(name=name)

    names = [row[0] for row in _csv(coordinator_client)[1:]]

    assert sorted(names) == sorted(
        ['\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)", "Plain"]
    )


@pytest.fixture
def many(committee: Committee) -> None:
    """45 agencies of two people, 12 coalition and 20 committee meetings, attendance."""
    people = [UserFactory(agency=AgencyFactory()) for _ in range(45)]
    people += [UserFactory(agency=person.agency) for person in people]
    meetings = [_meeting(days) for days in range(10, 370, 30)]
    meetings += [_meeting(days, committee) for days in range(5, 365, 18)]
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, status="present")
        for meeting in meetings
        for person in people[::3]
    )
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(committee=committee, person=person, status=MembershipStatus.ACTIVE)
        for person in people[::4]
    )


@pytest.mark.parametrize("query", ["", "?sort=below", "?sort=below&page=2"])
def test_the_page_runs_a_fixed_number_of_queries(
    query: str, coordinator_client: Client, many: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = coordinator_client.get(PAGE + query)

    assert response.status_code == 200
    # The 45 agencies and agency A, whose people are in the committee.
    assert response.context["page"].paginator.count == 46
    assert len(response.context["page"].object_list) == (21 if "page=2" in query else 25)


def test_the_csv_runs_a_fixed_number_of_queries(
    coordinator_client: Client, many: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        rows = _csv(coordinator_client)

    assert len(rows) == 47


def test_the_coordinators_dashboard_links_to_the_page(
    coordinator_client: Client, member_client: Client
) -> None:
    link = f'href="{PAGE}"'.encode()

    assert link in coordinator_client.get(reverse("accounts:dashboard")).content
    assert link not in member_client.get(reverse("accounts:dashboard")).content
