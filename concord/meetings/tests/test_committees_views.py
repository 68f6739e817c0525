import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.meetings.models import (
    ActionItem,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    CommitteeRole,
    CommitteeStatus,
    MembershipStatus,
)
from tests.tasks import run_queued_tasks


def test_the_list_separates_active_and_archived_committees(
    member_client: Client, committee: Committee
) -> None:
    Committee.objects.create(name="Old task force", status=CommitteeStatus.ARCHIVED)

    response = member_client.get(reverse("meetings:committee-list"))

    assert [c.name for c in response.context["committees"]] == ["Committee A"]
    assert [c.name for c in response.context["archived"]] == ["Old task force"]
    assert response.context["results"] is None


def test_the_search_covers_name_and_purpose_including_archived(
    member_client: Client, committee: Committee
) -> None:
    Committee.objects.create(
        name="Old task force", purpose="Labor trafficking data", status=CommitteeStatus.ARCHIVED
    )
    Committee.objects.create(name="Labor committee")
    Committee.objects.create(name="Unrelated")

    response = member_client.get(reverse("meetings:committee-list"), {"q": "labor"})

    assert [c.name for c in response.context["results"]] == ["Labor committee", "Old task force"]


def test_the_list_runs_a_fixed_number_of_queries(
    member_client: Client, agency_a: Agency, django_assert_max_num_queries: Any
) -> None:
    parent = Committee.objects.create(name="Parent")
    for number in range(30):
        sub = Committee.objects.create(
            name=f"Sub {number}",
            kind=CommitteeKind.SUBCOMMITTEE,
            parent=parent,
            sunset_on=datetime.date(2030, 1, 1),
            status=CommitteeStatus.ARCHIVED if number % 3 == 0 else CommitteeStatus.ACTIVE,
        )
        CommitteeMembership.objects.create(
            committee=sub,
            person=UserFactory(agency=agency_a),
            status=MembershipStatus.ACTIVE,
        )

    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("meetings:committee-list"), {"q": "sub"})

    assert response.status_code == 200
    assert len(response.context["results"]) == 30


def test_the_detail_shows_chairs_members_and_open_items(
    member_client: Client, committee: Committee, action_item: ActionItem
) -> None:
    ActionItem.objects.create(
        committee=committee,
        title="Already done",
        owner=action_item.owner,
        due_on=timezone.localdate(),
        status=ActionItem.Status.DONE,
    )

    response = member_client.get(reverse("meetings:committee-detail", args=[committee.pk]))

    assert [m.person.full_name for m in response.context["chairs"]] == ["Rosa A"]
    assert [m.person.full_name for m in response.context["members"]] == ["Marco A"]
    assert [i.title for i in response.context["open_items"]] == ["Send the training calendar"]
    assert response.context["requests"] == []


def test_a_coordinator_creates_a_subcommittee(coordinator_client: Client) -> None:
    data = {
        "name": "Youth outreach",
        "kind": CommitteeKind.SUBCOMMITTEE,
        "starts_on": "2027-01-01",
        "sunset_on": "2027-06-30",
        "submission_token": "6f0b7d7e-5a6b-4c1e-9d35-3c2a8e4f1a01",
    }

    first = coordinator_client.post(reverse("meetings:committee-create"), data)
    second = coordinator_client.post(reverse("meetings:committee-create"), data)

    committee = Committee.objects.get()
    assert first["Location"] == second["Location"] == committee.get_absolute_url()
    assert committee.sunset_on == datetime.date(2027, 6, 30)


def test_a_subcommittee_without_a_sunset_gets_a_field_error(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("meetings:committee-create"),
        {
            "name": "Youth outreach",
            "kind": CommitteeKind.SUBCOMMITTEE,
            "starts_on": "2027-01-01",
            "submission_token": "6f0b7d7e-5a6b-4c1e-9d35-3c2a8e4f1a02",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sunset_on"]
    assert b'value="Youth outreach"' in response.content
    assert Committee.objects.count() == 0


def test_a_sunset_before_the_start_gets_a_field_error(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("meetings:committee-create"),
        {
            "name": "Youth outreach",
            "kind": CommitteeKind.SUBCOMMITTEE,
            "starts_on": "2027-06-01",
            "sunset_on": "2027-01-01",
            "submission_token": "6f0b7d7e-5a6b-4c1e-9d35-3c2a8e4f1a03",
        },
    )

    assert list(response.context["form"].errors) == ["sunset_on"]


def test_a_member_cannot_create_committees(member_client: Client) -> None:
    assert member_client.get(reverse("meetings:committee-create")).status_code == 403


def test_the_chair_edits_the_committee(representative_client: Client, committee: Committee) -> None:
    response = representative_client.post(
        reverse("meetings:committee-edit", args=[committee.pk]),
        {"name": "Committee A", "purpose": "New purpose", "kind": CommitteeKind.COMMITTEE},
    )

    committee.refresh_from_db()
    assert response.status_code == 302
    assert committee.purpose == "New purpose"


def test_an_archived_committee_cannot_be_edited(
    coordinator_client: Client, committee: Committee
) -> None:
    Committee.objects.filter(pk=committee.pk).update(status=CommitteeStatus.ARCHIVED)

    response = coordinator_client.get(reverse("meetings:committee-edit", args=[committee.pk]))
    join = coordinator_client.post(reverse("meetings:committee-join", args=[committee.pk]))

    assert (response.status_code, join.status_code) == (403, 403)


def test_the_outsider_cannot_edit_or_decide(
    outsider_client: Client, committee: Committee, join_request: CommitteeMembership
) -> None:
    edit = outsider_client.get(reverse("meetings:committee-edit", args=[committee.pk]))
    decide = outsider_client.post(
        reverse("meetings:committee-request-decide", args=[committee.pk, join_request.pk]),
        {"decision": "approve"},
    )

    join_request.refresh_from_db()
    assert (edit.status_code, decide.status_code) == (403, 403)
    assert join_request.status == MembershipStatus.REQUESTED


def test_asking_to_join_emails_the_chairs_once(
    outsider_client: Client,
    committee: Committee,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("meetings:committee-join", args=[committee.pk])
    with django_capture_on_commit_callbacks(execute=True):
        outsider_client.post(url)
        outsider_client.post(url)
    run_queued_tasks()

    assert CommitteeMembership.objects.get(person__email="rep-b@example.org").status == (
        MembershipStatus.REQUESTED
    )
    [message] = smtp_server.messages
    assert message["To"] == "rep-a@example.org"
    assert "Omar" not in message.get_body(("plain",)).get_content()


def test_the_chair_approves_and_the_person_is_emailed(
    representative_client: Client,
    committee: Committee,
    join_request: CommitteeMembership,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("meetings:committee-request-decide", args=[committee.pk, join_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = representative_client.post(url, {"decision": "approve"})
    run_queued_tasks()

    join_request.refresh_from_db()
    assert response["Location"] == committee.get_absolute_url()
    assert join_request.status == MembershipStatus.ACTIVE
    [message] = smtp_server.messages
    assert message["To"] == "asks-b@example.org"
    assert "approved" in message.get_body(("plain",)).get_content()


def test_a_request_of_another_committee_is_not_found(
    representative_client: Client, join_request: CommitteeMembership
) -> None:
    other = Committee.objects.create(name="Other")

    response = representative_client.post(
        reverse("meetings:committee-request-decide", args=[other.pk, join_request.pk]),
        {"decision": "approve"},
    )

    assert response.status_code == 404


def test_a_member_leaves(member_client: Client, committee: Committee, member: User) -> None:
    member_client.post(reverse("meetings:committee-leave", args=[committee.pk]))

    assert committee.memberships.get(person=member).status == MembershipStatus.LEFT


def test_a_coordinator_adds_a_person_as_chair(
    coordinator_client: Client, committee: Committee, outsider: User
) -> None:
    coordinator_client.post(
        reverse("meetings:committee-member-add", args=[committee.pk]),
        {"person": outsider.pk, "role": CommitteeRole.CHAIR},
    )

    membership = committee.memberships.get(person=outsider)
    assert (membership.status, membership.role) == (MembershipStatus.ACTIVE, CommitteeRole.CHAIR)


def test_a_chair_closes_a_subcommittee_and_it_stays_searchable(
    representative_client: Client, committee: Committee
) -> None:
    representative_client.post(reverse("meetings:committee-close", args=[committee.pk]))
    listed = representative_client.get(reverse("meetings:committee-list"), {"q": "Committee A"})

    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.ARCHIVED
    assert [c.name for c in listed.context["results"]] == ["Committee A"]


def test_extending_through_the_page_shows_a_bad_date_as_an_error(
    representative_client: Client, representative: User
) -> None:
    sub = Committee.objects.create(
        name="Sub",
        kind=CommitteeKind.SUBCOMMITTEE,
        sunset_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    CommitteeMembership.objects.create(
        committee=sub,
        person=representative,
        role=CommitteeRole.CHAIR,
        status=MembershipStatus.ACTIVE,
    )
    url = reverse("meetings:committee-extend", args=[sub.pk])

    bad = representative_client.post(url, {"sunset_on": "not a date"}, follow=True)
    representative_client.post(url, {"sunset_on": "2099-12-31"})

    sub.refresh_from_db()
    assert bad.status_code == 200
    assert sub.sunset_on == datetime.date(2099, 12, 31)
