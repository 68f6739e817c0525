"""Every authorization rule in Concord, as plain predicates.

Views and templates ask these functions; nothing else decides who may do what. Views
fetch agency-owned objects through scoped queries first (out of scope is a 404), then ask
a predicate here (in scope without the right is a 403). Later features add their rules
here, next to the ones they build on.
"""

from typing import Any

from concord.accounts.models import AgencyRole, User
from concord.agencies.models import Agency, AgencyStatus


def is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_coordinator(user: Any) -> bool:
    return is_active_user(user) and bool(user.is_staff)


def requires_mfa(user: Any) -> bool:
    """Coordinators and anyone who can see referral data must use a second factor."""
    return is_coordinator(user) or (is_active_user(user) and bool(user.handles_referrals))


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


# Committees, joining, agendas, minutes, motions and action items (issue 3, "com").


def can_view_committee(user: Any, committee: Any) -> bool:
    """Committees are open to every signed-in person; archived ones stay readable."""
    return is_active_user(user)


def can_join_committee(user: Any, committee: Any) -> bool:
    """People of member agencies ask to join an active committee."""
    return not committee.is_archived and is_active_user(user) and user.agency_id is not None


def can_add_committee_members(user: Any, committee: Any) -> bool:
    """Adding people directly and appointing or removing chairs: coordinators only."""
    return not committee.is_archived and is_coordinator(user)


def can_change_committee_lifecycle(user: Any, committee: Any) -> bool:
    """Extending or closing a sub-committee: its chairs and the coordinators."""
    return can_manage_committee(user, committee)


def can_edit_meeting_records(user: Any, meeting: Any) -> bool:
    """Agenda, minutes and motions: the meeting's managers, unless its committee is
    archived (everything of an archived committee is read-only)."""
    committee = meeting.committee
    if committee is not None and committee.is_archived:
        return False
    return can_manage_meeting(user, meeting)


def can_change_action_item(user: Any, item: Any) -> bool:
    """The owner, the coordinators, and the chairs of the item's committee."""
    if not is_active_user(user):
        return False
    if item.committee_id is not None and item.committee.is_archived:
        return False
    if user.pk == item.owner_id or is_coordinator(user):
        return True
    return is_committee_chair(user, item.committee_id)


# Scheduling (issue 3): meeting series, extra meetings, reminders.


def chaired_committee_ids(user: Any) -> list[int]:
    from concord.meetings.models import (
        CommitteeMembership,
        CommitteeRole,
        CommitteeStatus,
        MembershipStatus,
    )

    if not is_active_user(user):
        return []
    return list(
        CommitteeMembership.objects.filter(
            person=user,
            role=CommitteeRole.CHAIR,
            status=MembershipStatus.ACTIVE,
            committee__status=CommitteeStatus.ACTIVE,
        ).values_list("committee_id", flat=True)
    )


def can_schedule_meetings(user: Any) -> bool:
    """The scheduling pages: coordinators, and the chairs of any active committee."""
    return is_coordinator(user) or bool(chaired_committee_ids(user))


def can_manage_series(user: Any, series: Any) -> bool:
    """Coalition series: coordinators. A committee's series: also its chairs. Nobody
    changes the series of an archived committee: all of it is read-only."""
    if series.committee_id is not None and series.committee.is_archived:
        return False
    if is_coordinator(user):
        return True
    return series.committee_id is not None and is_committee_chair(user, series.committee_id)


# Calendars, meeting pages and RSVPs (issue 3).


def can_answer_rsvp(user: Any, meeting: Any) -> bool:
    """Only the meeting's invitees answer yes, no or maybe."""
    from concord.meetings.queries import invitees

    if not is_active_user(user):
        return False
    return invitees(meeting).filter(pk=user.pk).exists()


# Membership applications (issue 4). Applicants have no account: their signed link, not
# a predicate, opens their own application.


def is_application_reviewer(user: Any) -> bool:
    from concord.membership.models import Reviewer

    return is_active_user(user) and Reviewer.objects.filter(person=user).exists()


def can_review_applications(user: Any) -> bool:
    """The review queue and every application in it: coordinators and added reviewers."""
    return is_coordinator(user) or is_application_reviewer(user)


def can_comment_on_application(user: Any, application: Any) -> bool:
    return can_review_applications(user) and not application.is_erased


def can_decide_application(user: Any, application: Any) -> bool:
    """Accept, decline or ask for more: coordinators, while the application is undecided."""
    return is_coordinator(user) and application.is_undecided


def can_manage_reviewers(user: Any) -> bool:
    return is_coordinator(user)


def can_edit_decision_templates(user: Any) -> bool:
    return is_coordinator(user)


def can_export_applications(user: Any) -> bool:
    return is_coordinator(user)


def can_see_application_figures(user: Any) -> bool:
    return can_review_applications(user)


def can_renew_membership(user: Any, agency: Agency) -> bool:
    """The agency's primary representative starts its renewal (coordinators may too):
    the same people who may edit the agency."""
    return can_edit_agency(user, agency)


# The service directory (issue 5).


def sees_partner_services(user: Any) -> bool:
    """People of active member agencies (and coordinators) also see partners-only
    services and the addresses of confidential locations."""
    return is_member(user)


# Directory editing (issue 5).


def can_edit_listings(user: Any, organization: Any) -> bool:
    """An organization's listings: its agency's active primary or alternate
    representatives propose changes; coordinators too."""
    if is_coordinator(user):
        return True
    return (
        is_active_user(user)
        and organization.agency_id is not None
        and user.agency_id == organization.agency_id
        and user.agency_role in (AgencyRole.PRIMARY, AgencyRole.ALTERNATE)
    )


def can_publish_listings(user: Any) -> bool:
    return is_coordinator(user)


def can_edit_any_listings(user: Any) -> bool:
    """Choosing any organization of the directory to propose changes for."""
    return is_coordinator(user)


def can_link_organizations(user: Any) -> bool:
    """Linking an agency to its directory organization, or unlinking it."""
    return is_coordinator(user)


def can_import_directory(user: Any) -> bool:
    """Uploading HSDS data replaces listings wholesale: coordinators only."""
    return is_coordinator(user)


# Referrals (issue 6). Client information is seen only by people with the referral role
# at the two agencies of a referral, and by the receiver only while the consent holds.


def can_handle_referrals(user: Any) -> bool:
    """An active person of an active member agency who holds the referral role."""
    return (
        is_active_user(user)
        and bool(user.handles_referrals)
        and user.agency_id is not None
        and user.agency.status == AgencyStatus.ACTIVE
    )


def can_grant_referral_role(user: Any, person: User) -> bool:
    """Coordinators, and the primary representative for the people of their agency."""
    if person.agency_id is None or not person.is_active:
        return False
    if is_coordinator(user):
        return True
    return (
        is_active_user(user)
        and user.agency_id == person.agency_id
        and user.agency_role == AgencyRole.PRIMARY
    )


def can_manage_referral_roles(user: Any) -> bool:
    """Who opens the page of the referral role: coordinators (every agency's people) and
    each agency's primary representative (their own agency's)."""
    if is_coordinator(user):
        return True
    return (
        is_active_user(user)
        and user.agency_id is not None
        and user.agency_role == AgencyRole.PRIMARY
    )


def can_refer_to_service(user: Any, service: Any) -> bool:
    """A directory service takes referrals from people with the role at another agency,
    while it is active and its organization is a member agency."""
    agency_id = service.organization.agency_id
    return (
        can_handle_referrals(user)
        and service.status == "active"
        and agency_id is not None
        and agency_id != user.agency_id
    )


def is_referral_sender(user: Any, referral: Any) -> bool:
    return can_handle_referrals(user) and user.agency_id == referral.sending_agency_id


def is_referral_receiver(user: Any, referral: Any) -> bool:
    """The receiving agency sees a referral only once it has been sent."""
    from concord.referrals.models import ReferralStatus

    return (
        can_handle_referrals(user)
        and user.agency_id == referral.receiving_agency_id
        and referral.status != ReferralStatus.DRAFT
    )


def can_view_referral(user: Any, referral: Any) -> bool:
    return is_referral_sender(user, referral) or is_referral_receiver(user, referral)


def can_view_client_information(user: Any, referral: Any) -> bool:
    """The sender's agency collected it and keeps sight of it; the receiver sees it only
    while the consent is valid. Coordinators never see it, even one who also works at
    one of the two agencies."""
    if is_coordinator(user):
        return False
    if is_referral_sender(user, referral):
        return True
    if not is_referral_receiver(user, referral):
        return False
    consent = referral.consent
    return consent is not None and consent.is_valid()


def can_read_referral_messages(user: Any, referral: Any) -> bool:
    """A message may mention the client, so once a referral's consent is revoked or has
    expired the receiver no longer reads the bodies; the sender still does. A needs-only
    referral (no consent) carries no client information: both sides read its messages.
    Coordinators never read them, as they never see client information."""
    if is_coordinator(user):
        return False
    if is_referral_sender(user, referral):
        return True
    if not is_referral_receiver(user, referral):
        return False
    consent = referral.consent
    return consent is None or consent.is_valid()


def can_see_referral_figures(user: Any) -> bool:
    return is_coordinator(user)


def can_read_referral_access_log(user: Any, agency: Agency) -> bool:
    """Each agency's primary representative reads the access log of its own referrals."""
    return (
        is_active_user(user)
        and user.agency_id == agency.pk
        and user.agency_role == AgencyRole.PRIMARY
    )


# Trainings (issue 7). Coordinators run the catalogue; a training's trainers run its
# sessions (attendance, evaluation results).


def is_member(user: Any) -> bool:
    """A signed-in person of an active member agency, or a coordinator."""
    if is_coordinator(user):
        return True
    return (
        is_active_user(user)
        and user.agency_id is not None
        and user.agency.status == AgencyStatus.ACTIVE
    )


def can_manage_trainings(user: Any) -> bool:
    return is_coordinator(user)


def can_see_training_session(user: Any, session: Any) -> bool:
    from concord.trainings.models import Visibility

    return session.visibility == Visibility.PUBLIC or is_member(user)


def can_run_training_session(user: Any, session: Any) -> bool:
    """Coordinators and the training's trainers record attendance and read evaluations."""
    if is_coordinator(user):
        return True
    return is_active_user(user) and session.training.trainers.filter(pk=user.pk).exists()


def can_register_as_member(user: Any, session: Any) -> bool:
    return is_active_user(user) and can_see_training_session(user, session)


# Training completion (issue 7): attendance, certificates, evaluations and figures.


def can_run_training(user: Any, training: Any) -> bool:
    """Coordinators and the training's trainers read its evaluations across sessions."""
    if is_coordinator(user):
        return True
    return is_active_user(user) and training.trainers.filter(pk=user.pk).exists()


def can_download_certificate(user: Any, registration: Any) -> bool:
    """The holder, signed in, downloads their own certificate; coordinators any."""
    if is_coordinator(user):
        return True
    return is_active_user(user) and registration.person_id == user.pk


def can_see_training_figures(user: Any) -> bool:
    return is_coordinator(user)


# Training registration (issue 7): seats, the waitlist and the roster.


def can_cancel_training_registration(user: Any, registration: Any) -> bool:
    """The person who registered, signed in, gives up their place; coordinators any."""
    if is_coordinator(user):
        return True
    return is_active_user(user) and registration.person_id == user.pk


def can_see_training_online_link(user: Any, session: Any) -> bool:
    """The online link goes to people with a seat, and to the people who run the session."""
    from concord.trainings.models import RegistrationStatus

    if can_run_training_session(user, session):
        return True
    return (
        is_active_user(user)
        and session.registrations.filter(person=user, status=RegistrationStatus.REGISTERED).exists()
    )


def can_see_training_roster(user: Any, session: Any) -> bool:
    """The roster holds registrants' personal data: coordinators and the trainers only."""
    return can_run_training_session(user, session)


# Public awareness (issue 7): campaigns, activities and materials are public unless marked
# for members; coordinators run them.


def can_manage_awareness(user: Any) -> bool:
    return is_coordinator(user)


def can_see_awareness_item(user: Any, item: Any) -> bool:
    """A campaign, activity or material: public ones to everyone, the rest to members.
    A retired material stays reachable only by the people who manage materials."""
    if getattr(item, "retired_at", None) is not None:
        return can_manage_awareness(user)
    return bool(item.is_public) or is_member(user)


# Technical assistance (issue 7). Anyone may ask; the requester's signed link, not a
# predicate, opens their own request. Coordinators run the queue; the assigned expert
# works on the request.


def can_manage_assistance(user: Any) -> bool:
    return is_coordinator(user)


def is_assistance_expert(user: Any, request: Any) -> bool:
    return is_active_user(user) and request.assigned_expert_id == user.pk


def can_view_assistance_request(user: Any, request: Any) -> bool:
    return can_manage_assistance(user) or is_assistance_expert(user, request)


def can_work_on_assistance_request(user: Any, request: Any) -> bool:
    """Start the work, log hours and complete: the assigned expert, or a coordinator."""
    return can_view_assistance_request(user, request)


def can_be_assistance_expert(person: Any) -> bool:
    """An active person of an active member agency."""
    return (
        bool(person.is_active)
        and person.agency_id is not None
        and person.agency.status == AgencyStatus.ACTIVE
    )


def can_see_assistance_figures(user: Any) -> bool:
    return is_coordinator(user)


# Policies and protocols library (issue 8). The owners of a document are the chairs of its
# owner committee and the coordinators (a coalition-wide document: coordinators only).
# Drafts and committee reviews stay with the owner committee; the public sees public
# documents once adopted.

LIBRARY_PUBLISHED = ("adopted", "under_review")
LIBRARY_SHARED = ("open_for_comment", "coalition_vote", "adopted", "under_review", "retired")


def can_create_documents(user: Any) -> bool:
    return is_coordinator(user) or bool(chaired_committee_ids(user))


def can_edit_document(user: Any, document: Any) -> bool:
    """New versions, the workflow, and answering comments: the document's owners."""
    if is_coordinator(user):
        return True
    return document.owner_committee_id is not None and is_committee_chair(
        user, document.owner_committee_id
    )


def can_see_document(user: Any, document: Any) -> bool:
    if is_coordinator(user):
        return True
    if document.owner_committee_id is not None and is_committee_member(
        user, document.owner_committee_id
    ):
        return True
    if document.visibility == "public" and document.status in LIBRARY_PUBLISHED:
        return True
    return (
        document.visibility in ("public", "members")
        and document.status in LIBRARY_SHARED
        and is_member(user)
    )


def can_comment_on_document(user: Any, document: Any) -> bool:
    """Members who can see the document; the service checks the comment period."""
    return is_member(user) and can_see_document(user, document)


def can_see_overdue_reviews(user: Any) -> bool:
    return is_coordinator(user)


# Backups (issue 10)


def can_view_backups(user: Any) -> bool:
    return is_coordinator(user)


# The members' forum and the resource library (issue 8). The forum is for members only; a
# committee's category is for its members and the coordinators. Coordinators moderate.


def can_use_forum(user: Any) -> bool:
    return is_member(user)


def can_see_forum_category(user: Any, category: Any) -> bool:
    if not is_member(user):
        return False
    if category.committee_id is None or is_coordinator(user):
        return True
    return is_committee_member(user, category.committee_id)


def can_reply_to_thread(user: Any, thread: Any) -> bool:
    """Members who see the thread, while it is not locked (coordinators unlock first)."""
    return not thread.locked and is_member(user)


def can_edit_forum_post(user: Any, post: Any) -> bool:
    """Only the author, while the post is not hidden and its thread not locked."""
    return (
        is_member(user)
        and post.author_id == user.pk
        and post.hidden_at is None
        and not post.thread.locked
    )


def can_moderate_forum(user: Any) -> bool:
    """Hiding posts, locking threads, the reports queue, sharing best practices."""
    return is_coordinator(user)


def can_manage_resources(user: Any) -> bool:
    return is_coordinator(user)


# Dashboards and reports (issue 9): the dashboard, its exports, the annual report and the
# grant export are the coordinators'; members see the public-safe figures.


def can_see_reports(user: Any) -> bool:
    return is_coordinator(user)


def can_see_member_figures(user: Any) -> bool:
    return is_member(user)


# Operations (issue 10): the mail queue.


def can_view_email_queue(user: Any) -> bool:
    return is_coordinator(user)
