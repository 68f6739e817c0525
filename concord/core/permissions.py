"""Every authorization rule in Concord, as plain predicates.

Views and templates ask these functions; nothing else decides who may do what. Views
fetch agency-owned objects through scoped queries first (out of scope is a 404), then ask
a predicate here (in scope without the right is a 403). Later features add their rules
here, next to the ones they build on.
"""

from typing import Any

from concord.accounts.models import AgencyRole, User
from concord.agencies.models import Agency


def is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_coordinator(user: Any) -> bool:
    return is_active_user(user) and bool(user.is_staff)


def requires_mfa(user: Any) -> bool:
    """Coordinators and anyone who can see referral data must use a second factor."""
    return is_coordinator(user)


# Agencies


def can_view_agency(user: Any, agency: Agency) -> bool:
    return is_coordinator(user) or (is_active_user(user) and user.agency_id == agency.pk)


def can_manage_agencies(user: Any) -> bool:
    return is_coordinator(user)


def can_edit_agency(user: Any, agency: Agency) -> bool:
    """Coordinators edit any agency; a primary representative edits their own."""
    if is_coordinator(user):
        return True
    return (
        is_active_user(user)
        and user.agency_id == agency.pk
        and user.agency_role == AgencyRole.PRIMARY
    )


def can_change_agency_status(user: Any, agency: Agency) -> bool:
    return is_coordinator(user)


# People


def can_manage_people(user: Any) -> bool:
    return is_coordinator(user)


def can_view_person(user: Any, person: User) -> bool:
    if is_coordinator(user):
        return True
    return (
        is_active_user(user) and person.agency_id is not None and user.agency_id == person.agency_id
    )


def can_edit_person(user: Any, person: User) -> bool:
    return is_coordinator(user)


def can_deactivate_person(user: Any, person: User) -> bool:
    # A coordinator cannot lock themself out by accident.
    return is_coordinator(user) and person.pk != user.pk


# Coalition settings


def can_edit_coalition(user: Any) -> bool:
    return is_coordinator(user)


# Meetings and committees (issue 3). Committee chairs come with committees.


def is_committee_chair(user: Any, committee_id: int | None) -> bool:
    from concord.meetings.models import CommitteeMembership, CommitteeRole, MembershipStatus

    if committee_id is None or not is_active_user(user):
        return False
    return CommitteeMembership.objects.filter(
        committee_id=committee_id,
        person=user,
        role=CommitteeRole.CHAIR,
        status=MembershipStatus.ACTIVE,
    ).exists()


def is_committee_member(user: Any, committee_id: int | None) -> bool:
    from concord.meetings.models import CommitteeMembership, MembershipStatus

    if committee_id is None or not is_active_user(user):
        return False
    return CommitteeMembership.objects.filter(
        committee_id=committee_id, person=user, status=MembershipStatus.ACTIVE
    ).exists()


def can_manage_committee(user: Any, committee: Any) -> bool:
    """Coordinators, and the committee's own chairs, while it is not archived."""
    if committee.is_archived:
        return False
    return is_coordinator(user) or is_committee_chair(user, committee.pk)


def can_create_committee(user: Any) -> bool:
    return is_coordinator(user)


def can_manage_meeting(user: Any, meeting: Any) -> bool:
    """Coalition meetings: coordinators. A committee's meetings: also its chairs."""
    if is_coordinator(user):
        return True
    return meeting.committee_id is not None and is_committee_chair(user, meeting.committee_id)


def can_see_online_link(user: Any, meeting: Any) -> bool:
    """The online link is for invitees and coordinators, never for the public."""
    if not is_active_user(user):
        return False
    if meeting.committee_id is None or is_coordinator(user):
        return True
    return is_committee_member(user, meeting.committee_id)


def can_see_participation(user: Any) -> bool:
    return is_coordinator(user)
