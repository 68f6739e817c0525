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
)

# The referral pages only people with the referral role open, swept with data in them.
REFERRAL_SWEEP = "tests/browser/test_referrals_accessibility.py"

SKIPPED: tuple[Skip, ...] = (
    Skip("health", "JSON for monitoring and the benchmark floor, not an HTML page."),
    Skip("health-ready", "JSON for monitors (database and task queue), not an HTML page."),
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
