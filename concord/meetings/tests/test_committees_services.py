import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.meetings.models import (
    Committee,
    CommitteeKind,
    CommitteeMembership,
    CommitteeRole,
    CommitteeStatus,
    MembershipStatus,
)
from concord.meetings.services import committees as services

TODAY = datetime.date(2027, 3, 1)


def subcommittee(name: str = "Sub", sunset_on: datetime.date = TODAY) -> Committee:
    return Committee.objects.create(
        name=name,
        kind=CommitteeKind.SUBCOMMITTEE,
        starts_on=datetime.date(2026, 1, 1),
        sunset_on=sunset_on,
    )


def test_a_subcommittee_needs_a_sunset_date(coordinator: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_committee(
            actor=coordinator, values={"name": "Sub", "kind": CommitteeKind.SUBCOMMITTEE}
        )

    assert list(caught.value.message_dict) == ["sunset_on"]
    assert Committee.objects.count() == 0


def test_a_sunset_before_or_on_the_start_is_refused(coordinator: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_committee(
            actor=coordinator,
            values={
                "name": "Sub",
                "kind": CommitteeKind.SUBCOMMITTEE,
                "starts_on": datetime.date(2027, 5, 1),
                "sunset_on": datetime.date(2027, 5, 1),
            },
        )

    assert list(caught.value.message_dict) == ["sunset_on"]


def test_creating_a_subcommittee_records_an_audit_event(coordinator: User) -> None:
    committee = services.create_committee(
        actor=coordinator,
        values={
            "name": "Youth outreach",
            "kind": CommitteeKind.SUBCOMMITTEE,
            "starts_on": datetime.date(2027, 1, 1),
            "sunset_on": datetime.date(2027, 6, 30),
        },
    )

    assert committee.status == CommitteeStatus.ACTIVE
    assert (
        AuditEvent.objects.filter(
            action="concord.committee.created", object_id=str(committee.pk)
        ).count()
        == 1
    )


def test_expired_subcommittees_are_archived_once(db: None) -> None:
    expired = subcommittee("Expired", sunset_on=TODAY - datetime.timedelta(days=1))
    last_day = subcommittee("Last day", sunset_on=TODAY)
    standing = Committee.objects.create(name="Standing")

    first = services.archive_expired_committees(today=TODAY)
    second = services.archive_expired_committees(today=TODAY)

    assert first == [expired.pk]
    assert second == []
    statuses = dict(Committee.objects.values_list("name", "status"))
    assert statuses == {
        "Expired": CommitteeStatus.ARCHIVED,
        "Last day": CommitteeStatus.ACTIVE,
        "Standing": CommitteeStatus.ACTIVE,
    }
    assert last_day.pk != expired.pk != standing.pk


def test_extending_moves_the_sunset_later(coordinator: User) -> None:
    sub = subcommittee(sunset_on=timezone.localdate() + datetime.timedelta(days=10))
    new_sunset = timezone.localdate() + datetime.timedelta(days=100)

    services.extend_subcommittee(actor=coordinator, committee=sub, sunset_on=new_sunset)

    sub.refresh_from_db()
    assert sub.sunset_on == new_sunset


def test_extending_to_an_earlier_date_is_refused(coordinator: User) -> None:
    sunset = timezone.localdate() + datetime.timedelta(days=10)
    sub = subcommittee(sunset_on=sunset)

    with pytest.raises(ValidationError):
        services.extend_subcommittee(
            actor=coordinator, committee=sub, sunset_on=sunset - datetime.timedelta(days=1)
        )

    sub.refresh_from_db()
    assert sub.sunset_on == sunset


def test_a_closed_committee_cannot_be_edited_or_joined(
    coordinator: User, committee: Committee, outsider: User
) -> None:
    services.close_committee(actor=coordinator, committee=committee)

    with pytest.raises(ValidationError):
        services.update_committee(actor=coordinator, committee=committee, values={"name": "X"})
    with pytest.raises(ValidationError):
        services.request_membership(actor=outsider, committee=committee)
    committee.refresh_from_db()
    assert committee.status == CommitteeStatus.ARCHIVED
    assert committee.name == "Committee A"


def test_asking_twice_keeps_one_request(committee: Committee, outsider: User) -> None:
    first = services.request_membership(actor=outsider, committee=committee)
    second = services.request_membership(actor=outsider, committee=committee)

    assert first.pk == second.pk
    assert CommitteeMembership.objects.filter(committee=committee, person=outsider).count() == 1
    assert second.status == MembershipStatus.REQUESTED


def test_a_member_asking_again_stays_a_member(committee: Committee, member: User) -> None:
    membership = services.request_membership(actor=member, committee=committee)

    assert membership.status == MembershipStatus.ACTIVE


def test_approving_and_declining_requests(
    committee: Committee, representative: User, outsider: User, deactivated: User
) -> None:
    asked = services.request_membership(actor=outsider, committee=committee)

    services.decide_membership(actor=representative, membership=asked, decision="approve")

    asked.refresh_from_db()
    assert asked.status == MembershipStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.decide_membership(actor=representative, membership=asked, decision="decline")


def test_a_person_can_leave_and_ask_again(committee: Committee, member: User) -> None:
    services.leave_committee(actor=member, committee=committee)
    again = services.request_membership(actor=member, committee=committee)

    assert again.status == MembershipStatus.REQUESTED


def test_only_people_of_member_agencies_can_be_added(
    committee: Committee, coordinator: User
) -> None:
    with pytest.raises(ValidationError):
        services.add_member(actor=coordinator, committee=committee, person=coordinator)

    assert not CommitteeMembership.objects.filter(person=coordinator).exists()


def test_appointing_and_removing_a_chair(committee: Committee, coordinator: User) -> None:
    membership = committee.memberships.get(role=CommitteeRole.MEMBER)

    services.set_chair(actor=coordinator, membership=membership, chair=True)
    membership.refresh_from_db()
    appointed = membership.role
    services.set_chair(actor=coordinator, membership=membership, chair=False)
    membership.refresh_from_db()

    assert (appointed, membership.role) == (CommitteeRole.CHAIR, CommitteeRole.MEMBER)


def test_only_a_subcommittee_has_a_parent(coordinator: User, committee: Committee) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_committee(
            actor=coordinator,
            values={"name": "Nested", "kind": CommitteeKind.COMMITTEE, "parent": committee},
        )

    assert list(caught.value.message_dict) == ["parent"]
