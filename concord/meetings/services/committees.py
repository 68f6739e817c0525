"""Committees and sub-committees: creating, editing, membership, extending, closing."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.meetings.models import (
    Committee,
    CommitteeKind,
    CommitteeMembership,
    CommitteeRole,
    CommitteeStatus,
    MembershipStatus,
)

COMMITTEE_FIELDS = (
    "name",
    "name_es",
    "purpose",
    "purpose_es",
    "kind",
    "parent",
    "charge",
    "starts_on",
    "sunset_on",
)
# A membership's next status once a chair or coordinator decides on a request.
DECISIONS = {"approve": MembershipStatus.ACTIVE, "decline": MembershipStatus.DECLINED}


def _refuse_archived(committee: Committee) -> None:
    if committee.is_archived:
        raise ValidationError(
            _("This committee is archived and can no longer be changed."), code="archived"
        )


def validate_dates(
    *, kind: str, starts_on: datetime.date | None, sunset_on: datetime.date | None
) -> None:
    """A sub-committee needs a sunset date, after its start when it has one."""
    if kind == CommitteeKind.SUBCOMMITTEE and sunset_on is None:
        raise ValidationError(
            {"sunset_on": _("A sub-committee needs a sunset date.")}, code="required"
        )
    if sunset_on is not None and starts_on is not None and sunset_on <= starts_on:
        raise ValidationError(
            {"sunset_on": _("The sunset date must be after the start date.")}, code="order"
        )


def _check(committee: Committee) -> None:
    validate_dates(
        kind=committee.kind, starts_on=committee.starts_on, sunset_on=committee.sunset_on
    )
    if committee.kind == CommitteeKind.COMMITTEE and committee.parent_id is not None:
        raise ValidationError({"parent": _("Only a sub-committee is part of another committee.")})
    if committee.parent_id is not None and committee.parent_id == committee.pk:
        raise ValidationError({"parent": _("A committee cannot be part of itself.")})
    committee.full_clean()


@transaction.atomic
def create_committee(*, actor: User, values: Mapping[str, Any]) -> Committee:
    committee = Committee(**{field: values[field] for field in COMMITTEE_FIELDS if field in values})
    _check(committee)
    committee.save()
    record_event(actor=actor, action="concord.committee.created", target=committee)
    return committee


@transaction.atomic
def update_committee(*, actor: User, committee: Committee, values: Mapping[str, Any]) -> Committee:
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _refuse_archived(committee)
    changed = [
        field
        for field in COMMITTEE_FIELDS
        if field in values and getattr(committee, field) != values[field]
    ]
    if not changed:
        return committee
    for field in changed:
        setattr(committee, field, values[field])
    _check(committee)
    committee.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action="concord.committee.updated",
        target=committee,
        data={"fields": changed},
    )
    return committee


@transaction.atomic
def extend_subcommittee(
    *, actor: User, committee: Committee, sunset_on: datetime.date
) -> Committee:
    """Move a sub-committee's sunset later; it must stay after its start and be in the future."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _refuse_archived(committee)
    if committee.kind != CommitteeKind.SUBCOMMITTEE:
        raise ValidationError(_("Only a sub-committee has a sunset date."), code="not_sub")
    if sunset_on <= timezone.localdate():
        raise ValidationError({"sunset_on": _("The new sunset date must be in the future.")})
    if committee.sunset_on is not None and sunset_on <= committee.sunset_on:
        raise ValidationError(
            {"sunset_on": _("The new sunset date must be later than the current one.")}
        )
    validate_dates(kind=committee.kind, starts_on=committee.starts_on, sunset_on=sunset_on)
    committee.sunset_on = sunset_on
    committee.save(update_fields=["sunset_on", "updated_at"])
    record_event(actor=actor, action="concord.committee.extended", target=committee)
    return committee


def _archive(committee: Committee, actor: User | None, action: str) -> None:
    committee.status = CommitteeStatus.ARCHIVED
    committee.save(update_fields=["status", "updated_at"])
    record_event(actor=actor, action=action, target=committee)


@transaction.atomic
def close_committee(*, actor: User, committee: Committee) -> Committee:
    """Archive a committee now: it stays listed and searchable, read-only."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _refuse_archived(committee)
    _archive(committee, actor, "concord.committee.closed")
    return committee


@transaction.atomic
def archive_expired_committees(*, today: datetime.date) -> list[int]:
    """Archive every active sub-committee whose sunset date has passed; returns their ids.

    Running it again the same day archives nothing more.
    """
    expired = list(
        Committee.objects.select_for_update()
        .filter(
            kind=CommitteeKind.SUBCOMMITTEE,
            status=CommitteeStatus.ACTIVE,
            sunset_on__lt=today,
        )
        .order_by("pk")
    )
    for committee in expired:
        _archive(committee, None, "concord.committee.archived")
    return [committee.pk for committee in expired]


def _membership_for_update(committee: Committee, person: User) -> CommitteeMembership | None:
    return (
        CommitteeMembership.objects.select_for_update()
        .filter(committee=committee, person=person)
        .first()
    )


def _refuse_non_member_person(person: User) -> None:
    if not person.is_active or person.agency_id is None:
        raise ValidationError(
            {"person": _("Only active people of member agencies can be committee members.")},
            code="not_member",
        )


@transaction.atomic
def request_membership(
    *, actor: User, committee: Committee, person: User | None = None
) -> CommitteeMembership:
    """The actor asks to join (or, accepting a membership application, asks on behalf of
    ``person``); asking again while asked, or while a member, changes nothing."""
    from concord.meetings.tasks_committees import send_membership_requested

    person = person or actor
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _refuse_archived(committee)
    _refuse_non_member_person(person)
    membership = _membership_for_update(committee, person)
    if membership is not None and membership.status in {
        MembershipStatus.REQUESTED,
        MembershipStatus.ACTIVE,
    }:
        return membership
    if membership is None:
        membership = CommitteeMembership.objects.create(
            committee=committee, person=person, status=MembershipStatus.REQUESTED
        )
    else:
        membership.status = MembershipStatus.REQUESTED
        membership.role = CommitteeRole.MEMBER
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.save(update_fields=["status", "role", "requested_at", "decided_at"])
    record_event(actor=actor, action="concord.committee_membership.requested", target=membership)
    membership_id = membership.pk
    transaction.on_commit(lambda: send_membership_requested.enqueue(membership_id))
    return membership


@transaction.atomic
def decide_membership(
    *, actor: User, membership: CommitteeMembership, decision: str
) -> CommitteeMembership:
    """Approve or decline a request to join."""
    from concord.meetings.tasks_committees import send_membership_decided

    membership = CommitteeMembership.objects.select_for_update().get(pk=membership.pk)
    _refuse_archived(membership.committee)
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose approve or decline.")}, code="decision")
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    membership.status = DECISIONS[decision]
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    record_event(
        actor=actor,
        action=f"concord.committee_membership.{'approved' if decision == 'approve' else 'declined'}",
        target=membership,
    )
    membership_id = membership.pk
    transaction.on_commit(lambda: send_membership_decided.enqueue(membership_id))
    return membership


@transaction.atomic
def leave_committee(*, actor: User, committee: Committee) -> CommitteeMembership | None:
    """The actor leaves (or withdraws a request); returns None when they were not in it."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _refuse_archived(committee)
    membership = _membership_for_update(committee, actor)
    if membership is None or membership.status not in {
        MembershipStatus.REQUESTED,
        MembershipStatus.ACTIVE,
    }:
        return None
    membership.status = MembershipStatus.LEFT
    membership.role = CommitteeRole.MEMBER
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "role", "decided_at"])
    record_event(actor=actor, action="concord.committee_membership.left", target=membership)
    return membership


@transaction.atomic
def add_member(
    *, actor: User, committee: Committee, person: User, role: str = CommitteeRole.MEMBER
) -> CommitteeMembership:
    """A coordinator adds a person directly, as a member or a chair."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _refuse_archived(committee)
    _refuse_non_member_person(person)
    if role not in CommitteeRole.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    membership = _membership_for_update(committee, person)
    if membership is None:
        membership = CommitteeMembership.objects.create(
            committee=committee,
            person=person,
            role=role,
            status=MembershipStatus.ACTIVE,
            decided_at=timezone.now(),
        )
    else:
        membership.status = MembershipStatus.ACTIVE
        membership.role = role
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "role", "decided_at"])
    record_event(
        actor=actor,
        action="concord.committee_membership.added",
        target=membership,
        data={"role": role},
    )
    return membership


@transaction.atomic
def set_chair(*, actor: User, membership: CommitteeMembership, chair: bool) -> CommitteeMembership:
    """Appoint an active member as a chair, or make a chair a plain member again."""
    membership = CommitteeMembership.objects.select_for_update().get(pk=membership.pk)
    _refuse_archived(membership.committee)
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only an active member can be a chair."), code="not_active")
    role = CommitteeRole.CHAIR if chair else CommitteeRole.MEMBER
    if membership.role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    record_event(
        actor=actor,
        action="concord.committee_membership.chair_" + ("appointed" if chair else "removed"),
        target=membership,
    )
    return membership


@transaction.atomic
def remove_member(*, actor: User, membership: CommitteeMembership) -> CommitteeMembership:
    membership = CommitteeMembership.objects.select_for_update().get(pk=membership.pk)
    _refuse_archived(membership.committee)
    if membership.status != MembershipStatus.ACTIVE:
        return membership
    membership.status = MembershipStatus.LEFT
    membership.role = CommitteeRole.MEMBER
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "role", "decided_at"])
    record_event(actor=actor, action="concord.committee_membership.removed", target=membership)
    return membership
