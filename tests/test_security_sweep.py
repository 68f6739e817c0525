"""The sweeps of SECURITY.md rules 1, 2, 5, 8 and 9: every URL Django has registered is
covered, or this file fails and says which pattern to add."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from concord.accounts.models import User
from conftest import sign_in
from tests.urls import all_routes

# Reachable without signing in (rule 2). Everything else sends anonymous visitors to login.
PUBLIC = {
    "health",
    "health-ready",
    "coalition:home",
    "coalition:about",
    "coalition:get-help",
    "coalition:membership",
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "mfa_authenticate",
    "meetings:calendar",
    "calendar-feed",
    # The public membership application (issue 4): the applicant has no account.
    "membership:apply-start",
    "membership:apply-link",
    "membership:apply-review",
    "membership:apply-status",
    "membership:apply-submit",
    "membership:apply-withdraw",
    # The public service directory (issue 5).
    "directory:service-search",
    "directory:resource-sheet",
    # The public HSDS API (issue 5): read-only JSON of the public listings.
    "hsds:root",
    "hsds:openapi",
    "hsds:service-list",
    "hsds:organization-list",
    "hsds:service-at-location-list",
    "hsds:taxonomy-list",
    "hsds:taxonomy-term-list",
    # The resource library (issue 8): public resources without signing in.
    "forum:resource-list",
    # The training catalogue (issue 7): public, and the public registers without an account.
    "trainings:training-list",
    # Technical assistance (issue 7): anyone may ask, with or without an account.
    "assistance:request-create",
    "assistance:request-sent",
    # Public awareness (issue 7): campaigns, activities and the materials library.
    "awareness:index",
    "awareness:material-list",
    # The policies and protocols library (issue 8): public adopted documents without signing in.
    "library:document-list",
}
# Parameters that are secret tokens sent by email, not object ids: a wrong one is refused.
TOKEN_ROUTES = {
    "account_reset_password_from_key": {"uidb36": "zz", "key": "not-a-key"},
    "account_confirm_email": {"key": "not-a-key"},
    # Not a token: the step's name. Without an application opened by its emailed link,
    # every step says how to open it.
    "membership:apply-step": {"step": "agency"},
}
# Secret URLs that calendar programs fetch without a session: a wrong token is 404.
SECRET_ROUTES = {
    "personal-feed": {"token": "not-a-token"},
    # An applicant's signed links: a forged one is 404 (an expired one says so, 410).
    "membership:apply-open": {"token": "not-a-token"},
    "membership:apply-confirm": {"token": "not-a-token"},
    # A training registrant's signed links (issue 7): forged, 404 (expired, 410).
    "trainings:registration-confirm": {"token": "not-a-token"},
    "trainings:registration-cancel-link": {"token": "not-a-token"},
    # Certificates (issue 7): an unknown code is the ordinary 404; the holder's signed PDF
    # link and the attendee's signed evaluation link, forged, are 404 too.
    "trainings:certificate-verify": {"code": "ACDEFGHJKMNP"},
    "trainings:certificate-pdf": {"token": "not-a-token"},
    "trainings:evaluation-form": {"token": "not-a-token"},
    # A technical assistance requester's signed links (issue 7): forged, 404.
    "assistance:request-confirm": {"token": "not-a-token"},
    "assistance:request-status": {"token": "not-a-token"},
}
# Django's admin checks is_staff itself and is swept by its own tests upstream.
SKIPPED_NAMESPACES = ("admin",)
# Views that change state: a GET must be refused (rule 8).
POST_ONLY = {
    "core:email-queue-retry",
    # The forum (issue 8): following, moderation and reports.
    "forum:category-subscription",
    "forum:thread-subscription",
    "forum:thread-lock",
    "forum:thread-unlock",
    "forum:thread-share",
    "forum:thread-unshare",
    "forum:post-unhide",
    "forum:report-handle",
    "meetings:committee-extend",
    "meetings:committee-close",
    "meetings:committee-join",
    "meetings:committee-leave",
    "meetings:committee-request-decide",
    "meetings:committee-member-add",
    "meetings:committee-member-chair",
    "meetings:committee-member-remove",
    "meetings:agenda-item-remove",
    "meetings:agenda-item-move",
    "meetings:agenda-publish",
    "meetings:minutes-approve",
    "meetings:action-status",
    "meetings:meeting-rsvp",
    "agencies:agency-status",
    "accounts:person-active",
    "meetings:check-in-open",
    "meetings:check-in-close",
    "membership:apply-submit",
    "membership:apply-withdraw",
    "membership:application-comment",
    "membership:application-accept",
    "membership:application-decline",
    "membership:application-request-info",
    "directory:listing-verify",
    "directory:change-publish",
    "directory:change-reject",
    "directory:agency-organization-unlink",
    "membership:reviewer-remove",
    # Answers to a referral and its messages (issue 6).
    "referrals:accept",
    "referrals:decline",
    "referrals:request-info",
    "referrals:start",
    "referrals:complete",
    "referrals:close",
    "referrals:message",
    # The sending side (issue 6): sending, withdrawing, revoking a consent, the role.
    "referrals:send",
    "referrals:withdraw",
    "referrals:consent-revoke",
    "referrals:role",
    # Training registration (issue 7).
    "trainings:session-register",
    "trainings:registration-cancel",
    # Technical assistance (issue 7).
    "assistance:request-assign",
    "assistance:request-decline",
    "assistance:request-start",
    "assistance:request-complete",
    "assistance:time-entry-create",
    # Public awareness (issue 7): retiring a material or putting it back.
    "awareness:material-retire",
    # The policies and protocols library (issue 8): comments and the owners' answers.
    "library:comment-create",
    "library:comment-answer",
}

PERSONAS = ("anonymous", "deactivated", "outsider", "member", "representative", "coordinator")
LOGIN = 302  # anonymous or deactivated: sent to the login page


def _pk(obj: Model) -> dict[str, Any]:
    return {"pk": obj.pk}


@dataclass(frozen=True)
class ObjectRoute:
    """An object URL: ``target`` names the pytest fixture of the object it shows (any
    fixture, from conftest.py or tests/fixtures.py); ``kwargs`` builds the URL arguments."""

    target: str
    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)
    kwargs: Callable[[Model], dict[str, Any]] = _pk


def _check_in_kwargs(meeting: Model) -> dict[str, Any]:
    return {"pk": meeting.pk, "token": meeting.check_in_token}  # type: ignore[attr-defined]


def _membership_kwargs(membership: Model) -> dict[str, Any]:
    return {"pk": membership.committee_id, "membership_pk": membership.pk}  # type: ignore[attr-defined]


def _member_of_committee_kwargs(committee: Model) -> dict[str, Any]:
    membership = committee.memberships.get(role="member", status="active")  # type: ignore[attr-defined]
    return {"pk": committee.pk, "membership_pk": membership.pk}


def _agenda_item_kwargs(item: Model) -> dict[str, Any]:
    return {"pk": item.meeting_id, "item_pk": item.pk}  # type: ignore[attr-defined]


def _hsds_term(service: Model) -> Any:
    """The taxonomy term applied to a directory service by its factory."""
    from concord.directory.models import Attribute

    return Attribute.objects.select_related("taxonomy_term").get(link_id=service.pk).taxonomy_term


def _public_id(referral: Model) -> dict[str, Any]:
    return {"public_id": referral.public_id}  # type: ignore[attr-defined]


def _library_version_kwargs(document: Model) -> dict[str, Any]:
    return {"pk": document.pk, "number": document.current_version.number}  # type: ignore[attr-defined]


def _library_comment_kwargs(comment: Model) -> dict[str, Any]:
    return {"pk": comment.version.document_id, "comment_pk": comment.pk}  # type: ignore[attr-defined]


def _statuses(outsider: int, member: int, representative: int, coordinator: int) -> dict[str, int]:
    return {
        "anonymous": LOGIN,
        "deactivated": LOGIN,
        "outsider": outsider,
        "member": member,
        "representative": representative,
        "coordinator": coordinator,
    }


# Rule 1: the object URLs. Out of scope is 404, in scope without the right is 403. A method
# that a view never accepts is refused (405) before any lookup, so it reveals nothing.
OBJECT_ROUTES: dict[str, ObjectRoute] = {
    # Committees and meeting records (issue 3, "com"): committees are open to everyone
    # signed in; the representative chairs ``committee`` and the member belongs to it.
    # The coordinator has no agency, so cannot ask to join.
    "meetings:committee-detail": ObjectRoute(
        "committee", get=_statuses(200, 200, 200, 200), post=_statuses(405, 405, 405, 405)
    ),
    "meetings:committee-edit": ObjectRoute(
        "committee", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 200, 200)
    ),
    "meetings:committee-action-create": ObjectRoute(
        "committee", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 200, 200)
    ),
    "meetings:committee-extend": ObjectRoute(
        "committee", get=_statuses(405, 405, 405, 405), post=_statuses(403, 403, 302, 302)
    ),
    "meetings:committee-close": ObjectRoute(
        "committee", get=_statuses(405, 405, 405, 405), post=_statuses(403, 403, 302, 302)
    ),
    "meetings:committee-join": ObjectRoute(
        "committee", get=_statuses(405, 405, 405, 405), post=_statuses(302, 302, 302, 403)
    ),
    "meetings:committee-leave": ObjectRoute(
        "committee", get=_statuses(405, 405, 405, 405), post=_statuses(302, 302, 302, 302)
    ),
    "meetings:committee-member-add": ObjectRoute(
        "committee", get=_statuses(405, 405, 405, 405), post=_statuses(403, 403, 403, 302)
    ),
    "meetings:committee-request-decide": ObjectRoute(
        "join_request",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 302, 302),
        kwargs=_membership_kwargs,
    ),
    "meetings:committee-member-chair": ObjectRoute(
        "committee",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 403, 302),
        kwargs=_member_of_committee_kwargs,
    ),
    "meetings:committee-member-remove": ObjectRoute(
        "committee",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 403, 302),
        kwargs=_member_of_committee_kwargs,
    ),
    "meetings:agenda-edit": ObjectRoute(
        "committee_meeting", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 200, 200)
    ),
    "meetings:agenda-publish": ObjectRoute(
        "committee_meeting", get=_statuses(405, 405, 405, 405), post=_statuses(403, 403, 302, 302)
    ),
    "meetings:agenda-item-edit": ObjectRoute(
        "agenda_item",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(403, 403, 200, 200),
        kwargs=_agenda_item_kwargs,
    ),
    "meetings:agenda-item-remove": ObjectRoute(
        "agenda_item",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 302, 302),
        kwargs=_agenda_item_kwargs,
    ),
    "meetings:agenda-item-move": ObjectRoute(
        "agenda_item",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 302, 302),
        kwargs=_agenda_item_kwargs,
    ),
    "meetings:minutes-edit": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(403, 403, 200, 200),
    ),
    "meetings:minutes-approve": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 302, 302),
    ),
    "meetings:motion-create": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(403, 403, 200, 200),
    ),
    "meetings:meeting-action-create": ObjectRoute(
        "committee_meeting", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 200, 200)
    ),
    # The member owns ``action_item``; the representative chairs its committee.
    "meetings:action-status": ObjectRoute(
        "action_item", get=_statuses(405, 405, 405, 405), post=_statuses(403, 302, 302, 302)
    ),
    # Calendar and meeting pages (issue 3): signed-in people see every meeting's page, only
    # the committee's members (the representative chairs it) answer its invitation.
    # Coalition meetings are public, so these views refuse a POST before asking anyone to
    # sign in.
    "meetings:meeting-detail": ObjectRoute(
        "committee_meeting", get=_statuses(200, 200, 200, 200), post=dict.fromkeys(PERSONAS, 405)
    ),
    "meetings:meeting-ics": ObjectRoute(
        "committee_meeting", get=_statuses(200, 200, 200, 200), post=dict.fromkeys(PERSONAS, 405)
    ),
    "meetings:meeting-rsvp": ObjectRoute(
        "committee_meeting", get=_statuses(405, 405, 405, 405), post=_statuses(403, 302, 302, 403)
    ),
    # Scheduling (issue 3): the representative chairs the committee, so manages its series
    # and meetings; an empty POST to cancel is the confirmation, so it cancels (302).
    "meetings:series-edit": ObjectRoute(
        "committee_series", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 200, 200)
    ),
    "meetings:meeting-cancel": ObjectRoute(
        "committee_meeting", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 302, 302)
    ),
    "meetings:meeting-move": ObjectRoute(
        "committee_meeting", get=_statuses(403, 403, 200, 200), post=_statuses(403, 403, 200, 200)
    ),
    "agencies:agency-detail": ObjectRoute(
        "agency_a", get=_statuses(404, 200, 200, 200), post=_statuses(405, 405, 405, 405)
    ),
    "agencies:agency-edit": ObjectRoute(
        "agency_a", get=_statuses(404, 403, 200, 200), post=_statuses(404, 403, 200, 200)
    ),
    "agencies:agency-status": ObjectRoute(
        "agency_a", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 403, 302)
    ),
    "accounts:person-detail": ObjectRoute(
        "member", get=_statuses(404, 200, 200, 200), post=_statuses(405, 405, 405, 405)
    ),
    "accounts:person-edit": ObjectRoute(
        "member", get=_statuses(404, 403, 403, 200), post=_statuses(404, 403, 403, 200)
    ),
    "accounts:person-active": ObjectRoute(
        "member", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 403, 302)
    ),
    # Attendance (issue 3): the representative chairs the committee, the member belongs.
    "meetings:attendance-record": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(403, 403, 200, 200),
    ),
    "meetings:check-in-open": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 302, 302),
    ),
    "meetings:check-in-close": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 302, 302),
    ),
    # Only invitees check in: the coordinator is not in this committee.
    "meetings:check-in": ObjectRoute(
        "committee_meeting_checking_in",
        get=_statuses(403, 200, 200, 403),
        post=_statuses(403, 302, 302, 403),
        kwargs=_check_in_kwargs,
    ),
    # Membership applications (issue 4): only coordinators and added reviewers see them,
    # so everyone else gets 404. An empty POST to accept is the confirmation, so it
    # accepts (302); the other forms need text, so they answer with their errors (400).
    "membership:application-detail": ObjectRoute(
        "application", get=_statuses(404, 404, 404, 200), post=_statuses(405, 405, 405, 405)
    ),
    "membership:application-comment": ObjectRoute(
        "application", get=_statuses(405, 405, 405, 405), post=_statuses(404, 404, 404, 400)
    ),
    "membership:application-accept": ObjectRoute(
        "application", get=_statuses(405, 405, 405, 405), post=_statuses(404, 404, 404, 302)
    ),
    "membership:application-decline": ObjectRoute(
        "application", get=_statuses(405, 405, 405, 405), post=_statuses(404, 404, 404, 400)
    ),
    "membership:application-request-info": ObjectRoute(
        "application", get=_statuses(405, 405, 405, 405), post=_statuses(404, 404, 404, 400)
    ),
    "membership:reviewer-remove": ObjectRoute(
        "application_reviewer",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 403, 302),
    ),
    "membership:decision-template-edit": ObjectRoute(
        "decision_template", get=_statuses(403, 403, 403, 200), post=_statuses(403, 403, 403, 200)
    ),
    # The service directory (issue 5): a partners-only service is 404 to visitors and to
    # deactivated people, and shown to everyone of a member agency; GET only.
    "directory:service-detail": ObjectRoute(
        "partners_service",
        get={**_statuses(200, 200, 200, 200), "anonymous": 404, "deactivated": 404},
        post=dict.fromkeys(PERSONAS, 405),
    ),
    # Directory editing (issue 5): agency A's listing and its pending change. Only
    # representatives (and coordinators) edit; only coordinators review.
    "directory:listing-edit": ObjectRoute(
        "agency_listing", get=_statuses(404, 403, 200, 200), post=_statuses(404, 403, 200, 200)
    ),
    "directory:listing-verify": ObjectRoute(
        "agency_listing", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 302, 302)
    ),
    "directory:change-detail": ObjectRoute(
        "listing_change", get=_statuses(404, 403, 403, 200), post=_statuses(405, 405, 405, 405)
    ),
    "directory:change-publish": ObjectRoute(
        "listing_change", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 403, 302)
    ),
    "directory:change-reject": ObjectRoute(
        "listing_change", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 403, 400)
    ),
    # Locations and coordinators' organization pages (issue 5): agency A's organization and
    # its confidential location; an empty POST is a form with errors (200). Only
    # coordinators link an agency to its organization.
    "directory:organization-listings": ObjectRoute(
        "agency_listing",
        get=_statuses(404, 403, 200, 200),
        post=_statuses(405, 405, 405, 405),
        kwargs=lambda service: {"pk": service.organization_id},  # type: ignore[attr-defined]
    ),
    "directory:organization-service-create": ObjectRoute(
        "agency_listing",
        get=_statuses(404, 403, 200, 200),
        post=_statuses(404, 403, 200, 200),
        kwargs=lambda service: {"pk": service.organization_id},  # type: ignore[attr-defined]
    ),
    "directory:location-create": ObjectRoute(
        "agency_listing",
        get=_statuses(404, 403, 200, 200),
        post=_statuses(404, 403, 200, 200),
        kwargs=lambda service: {"pk": service.organization_id},  # type: ignore[attr-defined]
    ),
    "directory:location-edit": ObjectRoute(
        "agency_location", get=_statuses(404, 403, 200, 200), post=_statuses(404, 403, 200, 200)
    ),
    "directory:agency-organization": ObjectRoute(
        "agency_a", get=_statuses(404, 403, 403, 200), post=_statuses(404, 403, 403, 200)
    ),
    "directory:agency-organization-unlink": ObjectRoute(
        "agency_a", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 403, 302)
    ),
    # Imports by upload (issue 5): coordinators only, whatever the agency; GET only.
    "directory:import-detail": ObjectRoute(
        "import_run", get=_statuses(403, 403, 403, 200), post=_statuses(405, 405, 405, 405)
    ),
    # Referrals (issue 6): agency A's draft to agency B. No persona here holds the referral
    # role: agency A's people are refused (403), agency B never sees a draft (404), and
    # coordinators see figures only (403). tests/test_referral_sweep.py adds the handlers.
    **{
        f"referrals:{name}": ObjectRoute(
            "draft_referral",
            get=_statuses(404, 403, 403, 403),
            post=_statuses(405, 405, 405, 405),
            kwargs=_public_id,
        )
        for name in ("referral-detail", "referral-print")
    },
    **{
        f"referrals:{name}": ObjectRoute(
            "draft_referral",
            get=_statuses(405, 405, 405, 405),
            post=_statuses(404, 403, 403, 403),
            kwargs=_public_id,
        )
        for name in (
            "accept",
            "decline",
            "request-info",
            "start",
            "complete",
            "close",
            "message",
        )
    },
    # The sending side (issue 6), on the same draft: only agency A's people with the role
    # may act on it, and no persona here has it.
    **{
        f"referrals:{name}": ObjectRoute(
            "draft_referral",
            get=_statuses(404, 403, 403, 403),
            post=_statuses(404, 403, 403, 403),
            kwargs=_public_id,
        )
        for name in ("edit", "consent")
    },
    **{
        f"referrals:{name}": ObjectRoute(
            "draft_referral",
            get=_statuses(404, 403, 403, 403),
            post=_statuses(405, 405, 405, 405),
            kwargs=_public_id,
        )
        for name in ("consent-form", "consent-file")
    },
    **{
        f"referrals:{name}": ObjectRoute(
            "draft_referral",
            get=_statuses(405, 405, 405, 405),
            post=_statuses(404, 403, 403, 403),
            kwargs=_public_id,
        )
        for name in ("send", "withdraw", "consent-revoke")
    },
    # The referral role of agency A's member: its primary representative and coordinators
    # grant it (an empty POST changes nothing and returns to the list); agency B's
    # representative does not reach agency A's people.
    "referrals:role": ObjectRoute(
        "member", get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 302, 302)
    ),
    # Training completion (issue 7): the representative trains ``held_training_session``;
    # an empty POST of the attendance form is a form with errors. The member holds the
    # certificate: only they (and coordinators) download it, everyone else gets 404.
    "trainings:attendance-record": ObjectRoute(
        "held_training_session",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(403, 403, 200, 200),
    ),
    "trainings:session-evaluations": ObjectRoute(
        "held_training_session",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(405, 405, 405, 405),
    ),
    "trainings:training-evaluations": ObjectRoute(
        "held_training_session",
        get=_statuses(403, 403, 200, 200),
        post=_statuses(405, 405, 405, 405),
        kwargs=lambda session: {"pk": session.training_id},  # type: ignore[attr-defined]
    ),
    "trainings:certificate-download": ObjectRoute(
        "member_training_registration",
        get=_statuses(404, 200, 404, 200),
        post=_statuses(405, 405, 405, 405),
        kwargs=_public_id,
    ),
    # Technical assistance (issue 7): a request assigned to the member. Only coordinators and
    # its expert reach it (everyone else, other experts included, gets 404); only
    # coordinators assign and decline. An empty POST to start is the confirmation (302); the
    # other forms need values, so they answer with their errors (400).
    "assistance:request-detail": ObjectRoute(
        "assistance_request",
        get=_statuses(404, 200, 404, 200),
        post=_statuses(405, 405, 405, 405),
        kwargs=_public_id,
    ),
    **{
        f"assistance:{name}": ObjectRoute(
            "assistance_request",
            get=_statuses(405, 405, 405, 405),
            post=_statuses(404, 403, 404, 400),
            kwargs=_public_id,
        )
        for name in ("request-assign", "request-decline")
    },
    "assistance:request-start": ObjectRoute(
        "assistance_request",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(404, 302, 404, 302),
        kwargs=_public_id,
    ),
    **{
        f"assistance:{name}": ObjectRoute(
            "assistance_request",
            get=_statuses(405, 405, 405, 405),
            post=_statuses(404, 400, 404, 400),
            kwargs=_public_id,
        )
        for name in ("request-complete", "time-entry-create")
    },
    # Training registration (issue 7): ``training_session`` is public and upcoming, the
    # representative is its trainer (so reads its roster) and the member holds a seat
    # (``training_registration``). The catalogue pages are public, GET only; an empty POST to
    # register is the form with its errors for the public (200) and a one-click
    # registration for anyone signed in (302). Only coordinators manage; an empty POST to
    # cancel a session is the confirmation (302), the forms answer with their errors (200).
    **{
        f"trainings:{name}": ObjectRoute(
            "training_session",
            get=dict.fromkeys(PERSONAS, 200),
            post=dict.fromkeys(PERSONAS, 405),
            kwargs=kwargs,
        )
        for name, kwargs in {
            "training-detail": lambda session: {"pk": session.training_id},
            "session-detail": _pk,
            "registration-sent": _pk,
        }.items()
    },
    "trainings:session-register": ObjectRoute(
        "training_session",
        get=dict.fromkeys(PERSONAS, 405),
        post={**_statuses(302, 302, 302, 302), "anonymous": 200, "deactivated": 200},
    ),
    "trainings:registration-cancel": ObjectRoute(
        "training_registration",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(404, 302, 404, 302),
        kwargs=_public_id,
    ),
    **{
        f"trainings:{name}": ObjectRoute(
            "training_session",
            get=_statuses(403, 403, 403, 200),
            post=_statuses(403, 403, 403, 200),
            kwargs=kwargs,
        )
        for name, kwargs in {
            "training-edit": lambda session: {"pk": session.training_id},
            "session-create": lambda session: {"pk": session.training_id},
            "session-edit": _pk,
        }.items()
    },
    "trainings:session-cancel": ObjectRoute(
        "training_session", get=_statuses(403, 403, 403, 200), post=_statuses(403, 403, 403, 302)
    ),
    **{
        f"trainings:{name}": ObjectRoute(
            "training_session",
            get=_statuses(403, 403, 200, 200),
            post=_statuses(405, 405, 405, 405),
        )
        for name in ("session-roster", "session-roster-csv")
    },
    # The forum (issue 8): ``forum_category`` is ``committee``'s, so the outsider (not in it)
    # gets 404 everywhere; the member wrote the thread and its post; only coordinators
    # moderate. An empty POST is a form with its errors (200) or a refused change (302).
    **{
        f"forum:{name}": ObjectRoute(
            target, get=_statuses(404, 200, 200, 200), post=_statuses(405, 405, 405, 405)
        )
        for name, target in {
            "category-detail": "forum_category",
            "thread-detail": "forum_thread",
            "post-history": "forum_post",
        }.items()
    },
    **{
        f"forum:{name}": ObjectRoute(
            target, get=_statuses(404, 200, 200, 200), post=_statuses(404, 200, 200, 200)
        )
        for name, target in {
            "thread-create": "forum_category",
            "post-reply": "forum_thread",
            "post-report": "forum_post",
        }.items()
    },
    **{
        f"forum:{name}": ObjectRoute(
            target, get=_statuses(405, 405, 405, 405), post=_statuses(404, 302, 302, 302)
        )
        for name, target in {
            "category-subscription": "forum_category",
            "thread-subscription": "forum_thread",
        }.items()
    },
    **{
        f"forum:{name}": ObjectRoute(
            target, get=_statuses(405, 405, 405, 405), post=_statuses(404, 403, 403, 302)
        )
        for name, target in {
            "thread-lock": "forum_thread",
            "thread-unlock": "forum_thread",
            "thread-share": "forum_thread",
            "thread-unshare": "forum_thread",
            "post-unhide": "forum_post",
        }.items()
    },
    "forum:post-edit": ObjectRoute(
        "forum_post", get=_statuses(404, 200, 403, 403), post=_statuses(404, 200, 403, 403)
    ),
    "forum:post-hide": ObjectRoute(
        "forum_post", get=_statuses(404, 403, 403, 200), post=_statuses(404, 403, 403, 200)
    ),
    "forum:report-handle": ObjectRoute(
        "forum_report", get=_statuses(405, 405, 405, 405), post=_statuses(403, 403, 403, 302)
    ),
    # The resource library (issue 8): coordinators curate; an empty POST to remove is the
    # confirmation, so it removes (302).
    "forum:resource-edit": ObjectRoute(
        "resource", get=_statuses(403, 403, 403, 200), post=_statuses(403, 403, 403, 200)
    ),
    "forum:resource-delete": ObjectRoute(
        "resource", get=_statuses(403, 403, 403, 200), post=_statuses(403, 403, 403, 302)
    ),
    # The policies and protocols library (issue 8), on ``committee``'s documents: the member
    # belongs to it and reads them, the representative chairs it and edits them, the
    # outsider is not in it (404); the public is asked to sign in. Reading pages are GET
    # only; empty forms answer with their errors (200, or 400 for the POST-only ones).
    **{
        f"library:{name}": ObjectRoute(
            target,
            get=_statuses(404, 200, 200, 200),
            post=dict.fromkeys(PERSONAS, 405),
            kwargs=kwargs,
        )
        for name, target, kwargs in (
            ("document-detail", "library_document", _pk),
            ("version-list", "library_document", _pk),
            ("version-diff", "library_document", _pk),
            ("version-detail", "library_document", _library_version_kwargs),
            ("version-download", "library_file_document", _library_version_kwargs),
        )
    },
    **{
        f"library:{name}": ObjectRoute(
            "library_document",
            get=_statuses(404, 403, 200, 200),
            post=_statuses(404, 403, 200, 200),
        )
        for name in ("version-create", "document-status")
    },
    "library:comment-create": ObjectRoute(
        "library_document", get=_statuses(405, 405, 405, 405), post=_statuses(404, 400, 400, 400)
    ),
    "library:comment-answer": ObjectRoute(
        "library_comment",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(404, 403, 400, 400),
        kwargs=_library_comment_kwargs,
    ),
    # The public HSDS API (issue 5): the same JSON for everyone, GET only. A partners-only
    # id is 404 to everyone there (concord/directory/tests/test_api.py).
    **{
        f"hsds:{name}": ObjectRoute(
            "public_service",
            get=dict.fromkeys(PERSONAS, 200),
            post=dict.fromkeys(PERSONAS, 405),
            kwargs=kwargs,
        )
        for name, kwargs in {
            "service-detail": _pk,
            "organization-detail": lambda service: {"pk": service.organization_id},
            "service-at-location-detail": lambda service: {
                "pk": service.service_at_locations.get().pk
            },
            "taxonomy-detail": lambda service: {"pk": _hsds_term(service).taxonomy_detail_id},
            "taxonomy-term-detail": lambda service: {"pk": _hsds_term(service).pk},
        }.items()
    },
    # Public awareness (issue 7), on members-only items: every signed-in member sees
    # them, the public is sent to sign in; only coordinators edit them.
    **{
        f"awareness:{name}": ObjectRoute(
            target,
            get={**_statuses(200, 200, 200, 200)},
            post=dict.fromkeys(PERSONAS, 405),
        )
        for name, target in {
            "campaign-detail": "awareness_members_campaign",
            "activity-detail": "awareness_members_activity",
            "material-download": "awareness_members_material",
        }.items()
    },
    **{
        f"awareness:{name}": ObjectRoute(
            target, get=_statuses(403, 403, 403, 200), post=_statuses(403, 403, 403, 200)
        )
        for name, target in {
            "campaign-edit": "awareness_members_campaign",
            "activity-edit": "awareness_members_activity",
            "material-edit": "awareness_members_material",
        }.items()
    },
    "awareness:material-retire": ObjectRoute(
        "awareness_members_material",
        get=_statuses(405, 405, 405, 405),
        post=_statuses(403, 403, 403, 302),
    ),
}


def _routes() -> list[Any]:
    return [r for r in all_routes() if not r.name.startswith(SKIPPED_NAMESPACES)]


def test_every_route_is_covered_by_the_sweeps() -> None:
    uncovered = [
        f"{route.name} ({route.pattern})"
        for route in _routes()
        if route.params
        and route.name not in OBJECT_ROUTES
        and route.name not in TOKEN_ROUTES
        and route.name not in SECRET_ROUTES
    ]
    unnamed = [route.pattern for route in _routes() if not route.name]

    assert uncovered == [], "Add these object URLs to OBJECT_ROUTES in tests/test_security_sweep.py"
    assert unnamed == [], "Every URL pattern needs a name so the sweeps can find it"


@pytest.fixture
def people(
    coordinator: User, representative: User, member: User, outsider: User, deactivated: User
) -> dict[str, User]:
    return {
        "coordinator": coordinator,
        "representative": representative,
        "member": member,
        "outsider": outsider,
        "deactivated": deactivated,
    }


@pytest.fixture
def client_for(people: dict[str, User]) -> Callable[[str], Client]:
    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        return sign_in(Client(), people[persona])

    return make


def _snapshot(obj: Model) -> dict[str, Any] | None:
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


def _object_url(request: pytest.FixtureRequest, name: str) -> tuple[str, Model]:
    route = OBJECT_ROUTES[name]
    target = request.getfixturevalue(route.target)
    return reverse(name, kwargs=route.kwargs(target)), target


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_object_urls_answer_each_persona_as_the_table_says(
    name: str, persona: str, client_for: Callable[[str], Client], request: pytest.FixtureRequest
) -> None:
    route = OBJECT_ROUTES[name]
    url, target = _object_url(request, name)
    client = client_for(persona)
    before = _snapshot(target)

    got = client.get(url).status_code
    # An empty POST changes nothing even where it is allowed: forms reject it.
    posted = client.post(url, {}).status_code

    assert got == route.get[persona]
    assert posted == route.post.get(persona, route.get[persona])
    if route.post.get(persona) != 302:
        assert _snapshot(target) == before


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_object_urls_answer_404_for_an_id_that_does_not_exist(
    name: str, coordinator_client: Client, request: pytest.FixtureRequest
) -> None:
    route = OBJECT_ROUTES[name]
    kwargs = route.kwargs(request.getfixturevalue(route.target))
    # Directory records and referrals (public_id) have UUID keys: the nil UUID is never one.
    missing = {
        key: (uuid.UUID(int=0) if isinstance(value, uuid.UUID) else 999_999)
        if key in ("pk", "public_id")
        else value
        for key, value in kwargs.items()
    }
    url = reverse(name, kwargs=missing)

    response = coordinator_client.post(url) if name in POST_ONLY else coordinator_client.get(url)

    assert response.status_code == 404


def test_anonymous_visitors_reach_only_the_public_pages(client: Client, db: None) -> None:
    leaks = []
    for route in _routes():
        if route.params or route.name in PUBLIC:
            continue
        response = client.get(reverse(route.name))
        login = reverse("account_login")
        if not (response.status_code == 302 and response["Location"].startswith(login)):
            leaks.append(f"{route.name}: {response.status_code}")

    assert leaks == []


@pytest.mark.parametrize("name", sorted(PUBLIC - set(TOKEN_ROUTES)))
def test_public_pages_answer_anonymous_visitors(name: str, client: Client, db: None) -> None:
    response = client.get(reverse(name))

    # The applicant's submit and withdraw are public yet only change state: GET is 405.
    assert response.status_code in ({405} if name in POST_ONLY else {200, 302})
    assert response.status_code < 500


@pytest.mark.parametrize("name", sorted(TOKEN_ROUTES))
def test_wrong_email_tokens_are_refused_without_error(name: str, client: Client, db: None) -> None:
    response = client.get(reverse(name, kwargs=TOKEN_ROUTES[name]), follow=True)

    assert response.status_code == 200
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("name", sorted(SECRET_ROUTES))
def test_wrong_secret_tokens_answer_404(name: str, client: Client, db: None) -> None:
    response = client.get(reverse(name, kwargs=SECRET_ROUTES[name]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_state_changes_refuse_get(
    name: str, coordinator_client: Client, request: pytest.FixtureRequest
) -> None:
    url = _object_url(request, name)[0] if name in OBJECT_ROUTES else reverse(name)

    assert coordinator_client.get(url).status_code == 405


def _urls_to_check(request: pytest.FixtureRequest) -> list[str]:
    urls = []
    for route in _routes():
        if route.name in OBJECT_ROUTES:
            urls.append(_object_url(request, route.name)[0])
        elif route.name in TOKEN_ROUTES:
            urls.append(reverse(route.name, kwargs=TOKEN_ROUTES[route.name]))
        elif route.name in SECRET_ROUTES:
            urls.append(reverse(route.name, kwargs=SECRET_ROUTES[route.name]))
        else:
            urls.append(reverse(route.name))
    return urls


def _header_problems(url: str, response: Any) -> list[str]:
    csp = response.get("Content-Security-Policy", "")
    checks = {
        "HSTS of at least a year": "max-age=31536000"
        in response.get("Strict-Transport-Security", ""),
        "CSP script-src without unsafe-inline": "script-src 'self'" in csp
        and "unsafe-inline" not in csp,
        "CSP object-src none": "object-src 'none'" in csp,
        "CSP base-uri none": "base-uri 'none'" in csp,
        "CSP frame-ancestors none": "frame-ancestors 'none'" in csp,
        "nosniff": response.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy": response.get("Referrer-Policy") == "same-origin",
        "no-store": "no-store" in response.get("Cache-Control", ""),
    }
    return [f"{url}: {problem}" for problem, ok in checks.items() if not ok]


@pytest.mark.parametrize("persona", ["anonymous", "member", "coordinator"])
def test_every_response_carries_the_security_headers(
    persona: str, client_for: Callable[[str], Client], request: pytest.FixtureRequest
) -> None:
    client = client_for(persona)
    problems = []
    for url in _urls_to_check(request):
        problems += _header_problems(url, client.get(url, secure=True))

    assert problems == []


def test_password_only_coordinator_session_is_sent_to_set_up_mfa(
    coordinator: User, request: pytest.FixtureRequest
) -> None:
    client = Client()
    client.force_login(coordinator)  # a password login with no second factor yet
    setup = reverse("mfa_activate_totp")
    missed = []
    for url in _urls_to_check(request):
        if url.startswith(("/accounts/", "/health/")) or url in _public_urls():
            continue
        response = client.get(url)
        if not (response.status_code == 302 and response["Location"] == setup):
            missed.append(f"{url}: {response.status_code}")

    assert missed == []


def _public_urls() -> set[str]:
    return {reverse(name) for name in PUBLIC - set(TOKEN_ROUTES)}
