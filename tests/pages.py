"""Every URL pattern of Concord, as a page to visit or a pattern skipped with a reason.

The accessibility sweep (tests/browser/test_accessibility.py) visits every entry of PAGES
as each persona of its audience, in English and Spanish; the security sweep and the
benchmark read the same table. tests/test_page_lists.py fails when Django has a URL
pattern that is in neither PAGES nor SKIPPED, so a new page joins the list or says why not.

Personas are the names of the fixtures in the root conftest.py.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import translation

ANONYMOUS = "anonymous"
MEMBER = "member"  # agency A, no role
REPRESENTATIVE = "representative"  # agency A, primary representative
OUTSIDER = "outsider"  # agency B, primary representative
COORDINATOR = "coordinator"
SIGNED_IN = frozenset({MEMBER, REPRESENTATIVE, OUTSIDER, COORDINATOR})
EVERYONE = SIGNED_IN | {ANONYMOUS}
LANGUAGES = ("en", "es")

# How a page is reached: straight from its URL; only in the middle of a sign-in (the sweep
# checks it while it signs a coordinator in); or only within a few minutes after the
# person confirmed their password again (allauth's reauthentication, for MFA changes).
DIRECT = "direct"
DURING_SIGN_IN = "during sign-in"
AFTER_REAUTHENTICATION = "after reauthentication"


@dataclass(frozen=True)
class Fixture:
    """A URL argument read from a pytest fixture: Fixture("agency_a") is that agency's pk."""

    name: str
    attribute: str = "pk"


@dataclass(frozen=True)
class SitePage:
    """A URL pattern that renders an HTML page.

    `audience` names the personas who get the page itself (200) from a GET; everyone else
    is sent to the login page, refused (403/404) or redirected elsewhere.
    """

    name: str
    audience: frozenset[str]
    kwargs: Mapping[str, str | int | Fixture] = field(default_factory=dict)
    reached: str = DIRECT
    varies_by_role: bool = False  # shows people with a role more than the layout's links
    # The sweep also sends the page's form empty and checks the page with its errors.
    sweep_form_errors: bool = False
    note: str = ""

    @property
    def public(self) -> bool:
        return ANONYMOUS in self.audience

    @property
    def fixtures(self) -> tuple[str, ...]:
        return tuple(value.name for value in self.kwargs.values() if isinstance(value, Fixture))

    def url(self, fixture: Callable[[str], Any] | None = None, language: str = "en") -> str:
        """The page's path; `fixture` maps a fixture name to its object (getfixturevalue)."""
        kwargs = {}
        for key, value in self.kwargs.items():
            if isinstance(value, Fixture):
                if fixture is None:
                    raise ValueError(f"{self.name} needs the fixture {value.name}")
                value = getattr(fixture(value.name), value.attribute)
            kwargs[key] = value
        with translation.override(language):
            return reverse(self.name, kwargs=kwargs or None)


@dataclass(frozen=True)
class Skip:
    """A URL pattern that is not a page to sweep, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class StatusPage:
    """An error page, reached by a path that answers with that status."""

    description: str
    path: str
    persona: str
    status: int

    def url(self, language: str = "en") -> str:
        return self.path if language == "en" else f"/{language}{self.path}"


def _page(name: str, *audience: str, **options: Any) -> SitePage:
    return SitePage(name, frozenset(audience), **options)


PAGES: tuple[SitePage, ...] = (
    # The public site.
    _page("coalition:home", *EVERYONE),
    _page("coalition:about", *EVERYONE),
    _page("coalition:get-help", *EVERYONE),
    _page("coalition:membership", *EVERYONE),
    # The membership application (issue 4): public, the applicant has no account. Without
    # an application opened by its emailed link, the steps, review and status pages say
    # how to open it (the filled-in steps are checked in concord/membership/tests).
    _page("membership:apply-start", *EVERYONE, sweep_form_errors=True),
    _page("membership:apply-link", *EVERYONE, sweep_form_errors=True),
    _page("membership:apply-step", *EVERYONE, kwargs={"step": "agency"}),
    _page("membership:apply-review", *EVERYONE),
    _page("membership:apply-status", *EVERYONE),
    # The public service directory (issue 5); the sheet without ids says none are chosen.
    _page("directory:service-search", *EVERYONE),
    _page("directory:service-detail", *EVERYONE, kwargs={"pk": Fixture("public_service")}),
    _page("directory:resource-sheet", *EVERYONE),
    # Directory editing (issue 5): agency A has an organization; agency B does not.
    _page("directory:listing-list", *SIGNED_IN, varies_by_role=True),
    _page(
        "directory:listing-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agency_listing")},
        # Filled with the service's current values, it is valid as it comes: the same
        # form's errors are swept on the create page.
    ),
    _page("directory:change-detail", COORDINATOR, kwargs={"pk": Fixture("listing_change")}),
    # After the edit page, whose fixture gives agency A its organization: without one,
    # there is nothing to add a service to (403).
    _page("directory:listing-create", REPRESENTATIVE, sweep_form_errors=True),
    # Locations and the coordinators' organization pages (issue 5).
    _page(
        "directory:organization-listings",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agency_listing", "organization_id")},
    ),
    _page(
        "directory:organization-service-create",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agency_listing", "organization_id")},
        sweep_form_errors=True,
    ),
    _page(
        "directory:location-create",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agency_listing", "organization_id")},
        sweep_form_errors=True,
    ),
    _page(
        "directory:location-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agency_location")},
        # Not swept with its form sent as it is: the form comes filled in, so it is valid.
    ),
    _page("directory:organization-list", COORDINATOR),
    # Agency B has no organization (agency A's comes with its listing): the page offers to
    # link or create one.
    _page(
        "directory:agency-organization",
        COORDINATOR,
        kwargs={"pk": Fixture("agency_b")},
        sweep_form_errors=True,
    ),
    # Imports of HSDS data by upload (issue 5): coordinators only.
    _page("directory:import-list", COORDINATOR),
    _page("directory:import-create", COORDINATOR, sweep_form_errors=True),
    _page("directory:import-detail", COORDINATOR, kwargs={"pk": Fixture("import_run")}),
    # Signing in and out (django-allauth).
    _page("account_login", ANONYMOUS),
    _page("account_logout", *SIGNED_IN, note="GET asks to confirm; POST signs out."),
    _page(
        "account_signup", ANONYMOUS, note="Says sign-up is closed: membership is by application."
    ),
    _page("account_inactive", *EVERYONE),
    _page("account_reset_password", *EVERYONE),
    _page("account_reset_password_done", *EVERYONE),
    _page(
        "account_reset_password_from_key",
        *EVERYONE,
        kwargs={"uidb36": "zz", "key": "not-a-key"},
        note="With a wrong key: the page that says the link is not valid.",
    ),
    _page("account_reset_password_from_key_done", *EVERYONE),
    _page("account_email_verification_sent", *EVERYONE),
    _page(
        "account_confirm_email",
        *EVERYONE,
        kwargs={"key": "not-a-key"},
        note="With a wrong key: the page that says the link is not valid.",
    ),
    _page("account_reauthenticate", *SIGNED_IN, varies_by_role=True),
    _page("account_email", *SIGNED_IN),
    _page("account_change_password", *SIGNED_IN),
    # Two-factor authentication (django-allauth mfa).
    _page("mfa_index", *SIGNED_IN, varies_by_role=True),
    _page("mfa_authenticate", COORDINATOR, reached=DURING_SIGN_IN),
    _page("mfa_reauthenticate", COORDINATOR, note="Only for people who have a second factor."),
    _page(
        "mfa_activate_totp",
        MEMBER,
        REPRESENTATIVE,
        OUTSIDER,
        reached=AFTER_REAUTHENTICATION,
        note="Coordinators already have TOTP: they are sent to the MFA index.",
    ),
    _page("mfa_deactivate_totp", COORDINATOR, reached=AFTER_REAUTHENTICATION),
    _page("mfa_view_recovery_codes", COORDINATOR, reached=AFTER_REAUTHENTICATION),
    _page("mfa_generate_recovery_codes", COORDINATOR, reached=AFTER_REAUTHENTICATION),
    # Members' pages.
    _page("accounts:dashboard", *SIGNED_IN, varies_by_role=True),
    _page(
        "agencies:agency-detail",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agency_a")},
        varies_by_role=True,
    ),
    _page("agencies:agency-edit", REPRESENTATIVE, COORDINATOR, kwargs={"pk": Fixture("agency_a")}),
    _page(
        "membership:renewal-start",
        REPRESENTATIVE,
        OUTSIDER,
        note="Each primary representative renews their own agency; without an agency, 404.",
    ),
    _page(
        "accounts:person-detail",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("member")},
        varies_by_role=True,
    ),
    # Attendance and check-in (issue 3): a committee meeting under way, check-in open.
    _page(
        "meetings:attendance-record",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting_checking_in")},
    ),
    _page(
        "meetings:check-in",
        MEMBER,
        REPRESENTATIVE,
        kwargs={
            "pk": Fixture("committee_meeting_checking_in"),
            "token": Fixture("committee_meeting_checking_in", "check_in_token"),
        },
        note="Only the meeting's invitees; a wrong or closed token is 404.",
    ),
    _page("meetings:participation-list", COORDINATOR),
    # Calendar and meeting pages (issue 3).
    _page("meetings:calendar", *EVERYONE, varies_by_role=True),
    _page("meetings:feed-manage", *SIGNED_IN),
    _page(
        "meetings:meeting-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("coalition_meeting")},
        varies_by_role=True,
        note="A committee meeting's page asks anonymous visitors to sign in.",
    ),
    # Committees and meeting records (issue 3): the representative chairs ``committee``.
    _page("meetings:committee-list", *SIGNED_IN),
    _page(
        "meetings:committee-detail",
        *SIGNED_IN,
        kwargs={"pk": Fixture("committee")},
        varies_by_role=True,
    ),
    _page("meetings:committee-create", COORDINATOR, sweep_form_errors=True),
    _page(
        "meetings:committee-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee")},
    ),
    _page(
        "meetings:committee-action-create",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee")},
        sweep_form_errors=True,
    ),
    _page(
        "meetings:agenda-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting")},
    ),
    _page(
        "meetings:agenda-item-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("agenda_item", "meeting_id"), "item_pk": Fixture("agenda_item")},
    ),
    _page(
        "meetings:minutes-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting_checking_in")},
        sweep_form_errors=True,
    ),
    _page(
        "meetings:motion-create",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting_checking_in")},
        sweep_form_errors=True,
    ),
    _page(
        "meetings:meeting-action-create",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting")},
        sweep_form_errors=True,
    ),
    _page("meetings:action-list", *SIGNED_IN),
    # Scheduling (issue 3): coordinators, and chairs for their committees.
    _page("meetings:series-list", REPRESENTATIVE, COORDINATOR, varies_by_role=True),
    _page("meetings:series-create", REPRESENTATIVE, COORDINATOR, sweep_form_errors=True),
    _page(
        "meetings:series-edit",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_series")},
        note="Filled in from the saved record: sent as it is, it saves.",
    ),
    _page("meetings:meeting-create", REPRESENTATIVE, COORDINATOR, sweep_form_errors=True),
    _page(
        "meetings:meeting-cancel",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting")},
        note="GET asks to confirm; POST cancels.",
    ),
    _page(
        "meetings:meeting-move",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("committee_meeting")},
        note="Filled in from the saved record: sent as it is, it saves.",
    ),
    _page("meetings:reminder-settings", *SIGNED_IN),
    # Coordinators' pages.
    _page("coalition:coalition-edit", COORDINATOR),
    _page("backups:backup-overview", COORDINATOR),
    _page("core:email-queue", COORDINATOR),
    _page("agencies:agency-list", COORDINATOR),
    _page("agencies:agency-create", COORDINATOR, sweep_form_errors=True),
    _page("accounts:person-list", COORDINATOR),
    _page("accounts:person-invite", COORDINATOR, sweep_form_errors=True),
    _page("accounts:person-edit", COORDINATOR, kwargs={"pk": Fixture("member")}),
    # Reviewing membership applications (issue 4): coordinators and added reviewers.
    _page("membership:application-list", COORDINATOR),
    _page(
        "membership:application-detail",
        COORDINATOR,
        kwargs={"pk": Fixture("application")},
        note="Shows the comment form and the three decision forms while undecided.",
    ),
    _page("membership:application-figures", COORDINATOR),
    _page("membership:reviewer-list", COORDINATOR, sweep_form_errors=True),
    _page("membership:decision-template-list", COORDINATOR),
    _page(
        "membership:decision-template-edit",
        COORDINATOR,
        kwargs={"pk": Fixture("decision_template")},
        note="Filled in from the saved record: sent as it is, it saves.",
    ),
    # Referrals (issue 6): the figures are the coordinators'; each agency's primary
    # representative reads the access log of its referrals (empty here).
    _page("referrals:figures", COORDINATOR),
    _page("referrals:access-log", REPRESENTATIVE, OUTSIDER),
    # The referral role (issue 6): each primary representative grants it to their agency's
    # people, coordinators to anyone's.
    _page("referrals:people", REPRESENTATIVE, OUTSIDER, COORDINATOR, varies_by_role=True),
    # The forum (issue 8): members only; ``forum_category`` is ``committee``'s, which the
    # outsider is not in (404). The member wrote ``forum_post``; coordinators moderate.
    _page("forum:category-list", *SIGNED_IN, varies_by_role=True),
    _page(
        "forum:category-detail",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("forum_category")},
    ),
    _page(
        "forum:thread-create",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("forum_category")},
        sweep_form_errors=True,
    ),
    _page(
        "forum:thread-detail",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("forum_thread")},
        varies_by_role=True,
    ),
    _page(
        "forum:post-reply",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("forum_thread")},
        sweep_form_errors=True,
    ),
    _page(
        "forum:post-edit",
        MEMBER,
        kwargs={"pk": Fixture("forum_post")},
        note="Only the post's author; filled in with the post, sent as it is, it saves.",
    ),
    _page(
        "forum:post-history",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("forum_post")},
    ),
    _page(
        "forum:post-report",
        MEMBER,
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("forum_post")},
        sweep_form_errors=True,
    ),
    _page(
        "forum:post-hide", COORDINATOR, kwargs={"pk": Fixture("forum_post")}, sweep_form_errors=True
    ),
    _page("forum:report-list", COORDINATOR),
    # The resource library (issue 8): public resources for everyone, coordinators curate.
    _page("forum:resource-list", *EVERYONE, varies_by_role=True),
    _page("forum:resource-create", COORDINATOR, sweep_form_errors=True),
    _page("forum:resource-edit", COORDINATOR, kwargs={"pk": Fixture("resource")}),
    _page(
        "forum:resource-delete",
        COORDINATOR,
        kwargs={"pk": Fixture("resource")},
        note="GET asks to confirm; POST removes.",
    ),
    # Training completion (issue 7): the representative trains ``held_training_session``,
    # which the member attended. The certificate check and the evaluation form (opened
    # by the attendee's signed link) are public.
    _page(
        "trainings:attendance-record",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("held_training_session")},
        # Every radio group starts at what was recorded (or "did not attend"), so the form
        # sent as it is saves: there is no empty form to show errors for.
        note="A yes/no radio group per person, each already answered.",
    ),
    _page(
        "trainings:session-evaluations",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("held_training_session")},
    ),
    _page(
        "trainings:training-evaluations",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("held_training_session", "training_id")},
    ),
    _page(
        "trainings:certificate-verify",
        *EVERYONE,
        kwargs={"code": Fixture("training_certificate", "code")},
        note="An unknown code is the ordinary 404 page.",
    ),
    _page(
        "trainings:evaluation-form",
        *EVERYONE,
        kwargs={"token": Fixture("evaluation_link", "token")},
        sweep_form_errors=True,
        note="Opened by the attendee's signed link; a forged one is 404, an old one 410.",
    ),
    _page("trainings:figures", COORDINATOR),
    # Technical assistance (issue 7): anyone asks; the requester follows the request by a
    # signed link; ``assistance_request`` is assigned to the member, its expert.
    # Training catalogue and registration (issue 7): ``training_session`` is public and
    # upcoming; its trainer is the representative.
    _page("trainings:training-list", *EVERYONE),
    _page(
        "trainings:training-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("training_session", "training_id")},
        varies_by_role=True,
    ),
    _page(
        "trainings:session-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("training_session")},
        varies_by_role=True,
        note="The public registration form for visitors, one click for people signed in.",
    ),
    _page("trainings:registration-sent", *EVERYONE, kwargs={"pk": Fixture("training_session")}),
    _page("trainings:my-trainings", *SIGNED_IN),
    _page("trainings:manage-list", COORDINATOR),
    _page("trainings:training-create", COORDINATOR, sweep_form_errors=True),
    _page(
        "trainings:training-edit",
        COORDINATOR,
        kwargs={"pk": Fixture("training_session", "training_id")},
        note="Filled in from the saved record: sent as it is, it saves.",
    ),
    _page(
        "trainings:session-create",
        COORDINATOR,
        kwargs={"pk": Fixture("training_session", "training_id")},
        sweep_form_errors=True,
    ),
    _page(
        "trainings:session-edit",
        COORDINATOR,
        kwargs={"pk": Fixture("training_session")},
        note="Filled in from the saved record: sent as it is, it saves.",
    ),
    _page(
        "trainings:session-cancel",
        COORDINATOR,
        kwargs={"pk": Fixture("training_session")},
        note="GET asks to confirm; POST cancels.",
    ),
    _page(
        "trainings:session-roster",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("training_session")},
    ),
    _page("assistance:request-create", *EVERYONE, sweep_form_errors=True),
    _page("assistance:request-sent", *EVERYONE),
    _page(
        "assistance:request-status",
        *EVERYONE,
        kwargs={"token": Fixture("assistance_status_link", "token")},
        note="Opened by the requester's signed link; a forged one is 404, an old one 410.",
    ),
    _page("assistance:request-list", COORDINATOR),
    _page(
        "assistance:request-detail",
        MEMBER,
        COORDINATOR,
        kwargs={"public_id": Fixture("assistance_request", "public_id")},
        varies_by_role=True,
        note="Coordinators also get the assign and decline forms.",
    ),
    _page("assistance:assigned-list", *SIGNED_IN),
    _page("assistance:figures", COORDINATOR),
    # Public awareness (issue 7): campaigns, activities and materials are public; the
    # coordinators' pages edit them. Coordinators also see an activity's reach.
    _page("awareness:index", *EVERYONE, varies_by_role=True),
    _page("awareness:material-list", *EVERYONE, varies_by_role=True),
    _page(
        "awareness:campaign-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("awareness_public_campaign")},
        varies_by_role=True,
    ),
    _page(
        "awareness:activity-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("awareness_public_activity")},
        varies_by_role=True,
    ),
    _page("awareness:manage", COORDINATOR),
    _page("awareness:figures", COORDINATOR),
    _page("awareness:campaign-create", COORDINATOR, sweep_form_errors=True),
    _page("awareness:activity-create", COORDINATOR, sweep_form_errors=True),
    _page("awareness:material-create", COORDINATOR, sweep_form_errors=True),
    _page(
        "awareness:campaign-edit", COORDINATOR, kwargs={"pk": Fixture("awareness_public_campaign")}
    ),
    _page(
        "awareness:activity-edit", COORDINATOR, kwargs={"pk": Fixture("awareness_public_activity")}
    ),
    _page(
        "awareness:material-edit", COORDINATOR, kwargs={"pk": Fixture("awareness_members_material")}
    ),
    # The policies and protocols library (issue 8): a public adopted protocol everyone reads;
    # the representative chairs its committee, so edits it with the coordinators.
    _page("library:document-list", *EVERYONE, varies_by_role=True),
    _page(
        "library:document-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("library_public_document")},
        varies_by_role=True,
    ),
    _page("library:version-list", *EVERYONE, kwargs={"pk": Fixture("library_public_document")}),
    _page(
        "library:version-detail",
        *EVERYONE,
        kwargs={"pk": Fixture("library_public_document"), "number": 1},
    ),
    _page("library:version-diff", *EVERYONE, kwargs={"pk": Fixture("library_public_document")}),
    _page("library:document-create", REPRESENTATIVE, COORDINATOR, sweep_form_errors=True),
    _page(
        "library:version-create",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("library_public_document")},
        sweep_form_errors=True,
    ),
    _page(
        "library:document-status",
        REPRESENTATIVE,
        COORDINATOR,
        kwargs={"pk": Fixture("library_public_document")},
        sweep_form_errors=True,
    ),
    _page("library:review-list", COORDINATOR),
    # Dashboards and reports (issue 9): the dashboard and the grant figures are the
    # coordinators'; every member sees the public-safe figures. A bad range is a 400 page.
    _page("reports:dashboard", COORDINATOR),
    _page("reports:grant", COORDINATOR),
    _page("reports:members", MEMBER, REPRESENTATIVE, OUTSIDER, COORDINATOR),
)

# The referral pages only people with the referral role open, swept with data in them.
REFERRAL_SWEEP = "tests/browser/test_referrals_accessibility.py"

SKIPPED: tuple[Skip, ...] = (
    Skip("health", "JSON for monitoring and the benchmark floor, not an HTML page."),
    Skip("health-ready", "JSON for monitors (database and task queue), not an HTML page."),
    Skip("core:email-queue-retry", "POST only: makes the waiting messages due now."),
    Skip("agencies:agency-status", "POST only: changes an agency's status, GET is 405."),
    Skip("accounts:person-active", "POST only: deactivates or reactivates a person, GET is 405."),
    Skip(
        "account_set_password",
        "Redirects to the password change page: every account is created with a password.",
    ),
    Skip(
        "account_request_reauthentication_code",
        "Reauthentication by emailed code is off (ACCOUNT_REAUTHENTICATION_BY_CODE_ENABLED).",
    ),
    Skip(
        "account_confirm_reauthentication_code",
        "Reauthentication by emailed code is off (ACCOUNT_REAUTHENTICATION_BY_CODE_ENABLED).",
    ),
    Skip(
        "account_confirm_login_code",
        "Login by emailed code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED).",
    ),
    Skip("mfa_download_recovery_codes", "A text/plain download, not an HTML page."),
    Skip("meetings:committee-extend", "POST only: extends a sub-committee, GET is 405."),
    Skip("meetings:committee-close", "POST only: closes and archives a committee, GET is 405."),
    Skip("meetings:committee-join", "POST only: asks to join a committee, GET is 405."),
    Skip("meetings:committee-leave", "POST only: leaves a committee, GET is 405."),
    Skip("meetings:committee-request-decide", "POST only: decides a request, GET is 405."),
    Skip("meetings:committee-member-add", "POST only: adds a person, GET is 405."),
    Skip("meetings:committee-member-chair", "POST only: appoints or removes a chair."),
    Skip("meetings:committee-member-remove", "POST only: removes a member, GET is 405."),
    Skip("meetings:agenda-item-remove", "POST only: removes an agenda item, GET is 405."),
    Skip("meetings:agenda-item-move", "POST only: moves an agenda item, GET is 405."),
    Skip("meetings:agenda-publish", "POST only: publishes an agenda, GET is 405."),
    Skip("meetings:minutes-approve", "POST only: records the minutes' approval."),
    Skip("meetings:action-status", "POST only: marks an action item done, GET is 405."),
    Skip("meetings:meeting-ics", "A one-event iCalendar download, not an HTML page."),
    Skip("meetings:meeting-rsvp", "POST only: records an invitee's answer, GET is 405."),
    Skip("calendar-feed", "The public iCalendar feed, for calendar programs, not HTML."),
    Skip("personal-feed", "A person's private iCalendar feed at a secret URL, not HTML."),
    Skip("meetings:check-in-open", "POST only: opens a meeting's self check-in, GET is 405."),
    Skip("meetings:check-in-close", "POST only: closes a meeting's self check-in, GET is 405."),
    Skip("meetings:participation-csv", "A CSV download of the participation page, not HTML."),
    Skip(
        "membership:apply-open",
        "An applicant's signed link: opens the application and redirects to its form.",
    ),
    Skip(
        "membership:apply-confirm",
        "An applicant's signed confirmation link: needs a genuine token (membership tests).",
    ),
    Skip("membership:apply-submit", "POST only: submits the application, GET is 405."),
    Skip("membership:apply-withdraw", "POST only: withdraws the application, GET is 405."),
    Skip("membership:application-comment", "POST only: adds a reviewer's comment, GET is 405."),
    Skip("membership:application-accept", "POST only: accepts an application, GET is 405."),
    Skip("membership:application-decline", "POST only: declines an application, GET is 405."),
    Skip(
        "membership:application-request-info",
        "POST only: asks the applicant for more information, GET is 405.",
    ),
    Skip("membership:reviewer-remove", "POST only: removes a reviewer, GET is 405."),
    Skip("membership:application-export", "A CSV download of the applications, not HTML."),
    Skip("directory:listing-verify", "POST only: marks a listing verified today, GET is 405."),
    Skip("directory:change-publish", "POST only: publishes a listing change, GET is 405."),
    Skip("directory:change-reject", "POST only: rejects a listing change, GET is 405."),
    Skip(
        "directory:agency-organization-unlink",
        "POST only: unlinks an agency from its directory organization, GET is 405.",
    ),
    # Referrals (issue 6). No persona of this sweep holds the referral role (it needs MFA and
    # a role a representative grants): the handlers' pages are swept for accessibility by
    # REFERRAL_SWEEP, which signs handlers in with TOTP; tests/test_referral_sweep.py checks
    # who may open them.
    Skip("referrals:inbox", f"Referral handlers only: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:referral-detail", f"The two agencies' handlers: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:referral-print", f"The two agencies' handlers: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:accept", "POST only: accepts a referral, GET is 405."),
    Skip("referrals:decline", "POST only: declines a referral with a reason, GET is 405."),
    Skip("referrals:request-info", "POST only: asks the sender for more information."),
    Skip("referrals:start", "POST only: marks a referral in progress, GET is 405."),
    Skip("referrals:complete", "POST only: completes a referral with an outcome."),
    Skip("referrals:close", "POST only: closes a completed or declined referral."),
    Skip("referrals:message", "POST only: posts a message between the two agencies."),
    Skip("referrals:figures-export", "A CSV download of the referral figures, not HTML."),
    # The sending side (issue 6): only people with the referral role, which no persona here
    # holds; swept by REFERRAL_SWEEP, checked in concord/referrals/tests/test_views_sending.py.
    Skip("referrals:sent", f"Referral handlers only: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:create", f"Referral handlers only: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:edit", f"The sending agency's handlers: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:consent", f"The sending agency's handlers: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:consent-form", f"The sending agency's handlers: swept by {REFERRAL_SWEEP}."),
    Skip("referrals:consent-file", "A download of the signed consent form, not HTML."),
    Skip("referrals:consent-revoke", "POST only: records that the consent was revoked."),
    Skip("referrals:send", "POST only: sends a referral draft, GET is 405."),
    Skip("referrals:withdraw", "POST only: withdraws a referral, GET is 405."),
    Skip("referrals:role", "POST only: grants or revokes the referral role, GET is 405."),
    # The forum (issue 8): following, moderation and reports change state by POST only.
    Skip("forum:category-subscription", "POST only: follows a category, GET is 405."),
    Skip("forum:thread-subscription", "POST only: follows a thread, GET is 405."),
    Skip("forum:thread-lock", "POST only: locks a thread, GET is 405."),
    Skip("forum:thread-unlock", "POST only: unlocks a thread, GET is 405."),
    Skip("forum:thread-share", "POST only: shares a thread as a best practice, GET is 405."),
    Skip("forum:thread-unshare", "POST only: stops sharing a thread, GET is 405."),
    Skip("forum:post-unhide", "POST only: shows a hidden post again, GET is 405."),
    Skip("forum:report-handle", "POST only: marks a report handled, GET is 405."),
    # The policies and protocols library (issue 8).
    Skip("library:version-download", "A version's file (PDF, Office or image), not HTML."),
    Skip("library:comment-create", "POST only: comments on a version, GET is 405."),
    Skip("library:comment-answer", "POST only: answers or resolves a comment, GET is 405."),
    Skip("trainings:session-register", "POST only: registers for a session, GET is 405."),
    Skip(
        "trainings:registration-confirm",
        "A registrant's signed confirmation link: needs a genuine token (trainings tests).",
    ),
    Skip(
        "trainings:registration-cancel-link",
        "A registrant's signed cancel link: needs a genuine token (trainings tests).",
    ),
    Skip("trainings:registration-cancel", "POST only: cancels one's registration, GET is 405."),
    Skip("trainings:session-roster-csv", "A CSV download of a session's roster, not HTML."),
    Skip("trainings:certificate-pdf", "A PDF download of a certificate, by its signed link."),
    Skip("trainings:certificate-download", "A PDF download of the holder's own certificate."),
    Skip("trainings:figures-export", "A CSV download of the training figures, not HTML."),
    Skip(
        "assistance:request-confirm",
        "A requester's signed confirmation link: needs an unconfirmed request (assistance tests).",
    ),
    Skip("assistance:request-assign", "POST only: assigns a request to an expert, GET is 405."),
    Skip("assistance:request-decline", "POST only: declines a request with a reason, GET is 405."),
    Skip("assistance:request-start", "POST only: marks a request in progress, GET is 405."),
    Skip("assistance:request-complete", "POST only: completes a request with its outcome."),
    Skip("assistance:time-entry-create", "POST only: logs an expert's hours, GET is 405."),
    Skip("assistance:figures-export", "A CSV download of the assistance figures, not HTML."),
    Skip("awareness:material-download", "A material's file (PDF, PNG or JPEG), not HTML."),
    Skip("awareness:material-retire", "POST only: retires a material or puts it back."),
    Skip("reports:export", "A CSV or XLSX download of one dashboard table, not HTML."),
    Skip("reports:grant-export", "The grant figures as a CSV or PDF download, not HTML."),
)

# Whole namespaces that are not Concord's own pages.
SKIPPED_NAMESPACES: Mapping[str, str] = {
    "admin": "Django's admin: a fallback for coordinators, with its own markup and tests.",
    "hsds": "The HSDS JSON API (issue 5), not HTML: tested in concord/directory/tests/test_api.py.",
}

STATUS_PAGES: tuple[StatusPage, ...] = (
    StatusPage("page not found", "/no-such-page/", ANONYMOUS, 404),
    StatusPage("page not found, signed in", "/agencies/999999/", MEMBER, 404),
    StatusPage("permission denied", "/manage/people/", MEMBER, 403),
)


def pages_for(persona: str, reached: str = DIRECT) -> list[SitePage]:
    return [page for page in PAGES if persona in page.audience and page.reached == reached]


def page_named(name: str) -> SitePage:
    return next(page for page in PAGES if page.name == name)


def public_site_pages() -> list[SitePage]:
    """The coalition's public pages, the ones a survivor may open."""
    return [page for page in PAGES if page.name.startswith("coalition:") and page.public]
