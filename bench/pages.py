"""What the benchmark drives: the one list that every later issue adds its pages to.

A page is requested with GET, without following redirects, and must answer ``status``;
anything else counts as an error and makes the run fail. ``user`` names a persona from
``PERSONAS`` (None: anonymous). A path may name ``{member_agency}``, the agency of the
member persona, and ``{member_feed}``, the token of the member's private calendar feed
(made on first use), and ``{application}``, the first application in the review queue,
and ``{public_service}``, the id of the first service the public API lists, resolved
against the benchmark's database.
"""

from dataclasses import dataclass

# Goals from issue 2: every page's p95 within 6x the floor's (the directory API and
# documents within 8, the dashboard within 10), within 1.3x from 1x to 100x, and each
# gunicorn worker under 250 MB.
FLOOR_GOAL = 6.0
DASHBOARD_FLOOR_GOAL = 10.0
DIRECTORY_FLOOR_GOAL = 8.0
SCALE_GOAL = 1.3
MEMORY_GOAL_MB = 250.0

# Personas: signed in through a session made directly in the database (bench.django_side).
PERSONAS = {
    "coordinator": "coordinator@example.org",  # staff, TOTP MFA
    "member": "member@example.org",
    # Stands for the "referral user" until referrals exist (a later issue).
    "referrals": "referrals@example.org",
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None = None
    status: int = 200
    floor_goal: float = FLOOR_GOAL


FLOOR = Page("floor (/health/)", "/health/", floor_goal=1.0)

PAGES: list[Page] = [
    FLOOR,
    # Public pages, anonymous.
    Page("home", "/"),
    Page("about", "/about/"),
    Page("get help", "/get-help/"),
    Page("membership", "/membership/"),
    Page("home (es)", "/es/"),
    Page("login", "/accounts/login/"),
    # Signed in.
    Page("dashboard (member)", "/dashboard/", user="member", floor_goal=DASHBOARD_FLOOR_GOAL),
    Page(
        "dashboard (referral user)",
        "/dashboard/",
        user="referrals",
        floor_goal=DASHBOARD_FLOOR_GOAL,
    ),
    Page(
        "dashboard (coordinator)",
        "/dashboard/",
        user="coordinator",
        floor_goal=DASHBOARD_FLOOR_GOAL,
    ),
    Page("own agency (member)", "/agencies/{member_agency}/", user="member"),
    Page("agencies (coordinator)", "/manage/agencies/", user="coordinator"),
    Page("people (coordinator)", "/manage/people/", user="coordinator"),
    Page("participation (coordinator)", "/manage/participation/", user="coordinator"),
    Page("calendar", "/calendar/"),
    Page("calendar (member)", "/calendar/", user="member"),
    Page("public feed", "/calendar.ics"),
    Page("private feed (member)", "/calendar/feed/{member_feed}.ics"),
    # Membership applications (issue 4).
    Page("apply", "/apply/"),
    Page("apply (es)", "/es/apply/"),
    Page("applications (coordinator)", "/manage/applications/", user="coordinator"),
    Page(
        "application (coordinator)",
        "/manage/applications/{application}/",
        user="coordinator",
    ),
    Page("application figures (coordinator)", "/manage/applications/figures/", user="coordinator"),
    # The public HSDS API (issue 5): a full page of services, and one fully nested service.
    Page("hsds api services", "/api/hsds/services?per_page=50", floor_goal=DIRECTORY_FLOOR_GOAL),
    Page(
        "hsds api service",
        "/api/hsds/services/{public_service}",
        floor_goal=DIRECTORY_FLOOR_GOAL,
    ),
    # Add later issues' pages and /api/ calls here.
]


def select(pages: list[Page], names: list[str] | None) -> list[Page]:
    """The floor always, then the pages whose name contains one of ``names`` (all if none)."""
    if not names:
        return list(pages)
    wanted = [name.lower() for name in names]
    chosen = [page for page in pages if any(name in page.name.lower() for name in wanted)]
    return [FLOOR, *[page for page in chosen if page != FLOOR]]
