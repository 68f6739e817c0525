"""The dashboard's figures as tables: a title, columns, rows, the list behind each row and
the page behind the table. The dashboard, its CSV and XLSX exports, the annual report and
the grant export all read these, so a figure is the same wherever it is shown.

Each section function runs a fixed number of queries (the query modules it calls say how
many); ``limit`` caps the long lists on the page, and exports pass None for every row.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from concord.agencies.models import Sector
from concord.assistance.models import RequestStatus, Topic
from concord.assistance.queries import assistance_figures
from concord.awareness.queries import awareness_figures
from concord.membership.models import ApplicationKind
from concord.referrals.models import DeclineReason, Outcome
from concord.referrals.queries import referral_figures, suppress_small
from concord.reports import queries
from concord.reports.queries import PAGE_ROWS, Period
from concord.trainings.queries_figures import training_figures

# A table's chart: "bar" (one bar per row) or "line" (rows in time order).
BAR = "bar"
LINE = "line"


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    url: str = ""  # the page behind the whole table
    links: list[str] = field(default_factory=list)  # the page behind each row, or ""
    chart: str = ""
    value_column: int = 1  # the column the chart draws
    summary: str = ""  # one sentence saying what the chart shows, for everyone
    empty: str = ""
    total_rows: int | None = None  # when the page shows the first rows only

    @property
    def truncated(self) -> bool:
        return self.total_rows is not None and self.total_rows > len(self.rows)

    def linked_rows(self) -> list[tuple[list[Any], str]]:
        links = self.links or [""] * len(self.rows)
        return list(zip(self.rows, links, strict=True))


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def _labelled(counts: Mapping[str, Any], labels: Mapping[str, Any], empty: str) -> list[list[Any]]:
    return [[str(labels.get(key, key)) if key else empty, value] for key, value in counts.items()]


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return date_format(value, "Y-m-d")


def _translated(row: Mapping[str, Any], field_name: str) -> str:
    return str((get_language() == "es" and row.get(f"{field_name}_es")) or row[field_name])


def _largest(rows: list[list[Any]]) -> str:
    """The sentence that says which row is the largest, for the chart's summary."""
    counted = [row for row in rows if isinstance(row[1], int | float | Decimal) and row[1]]
    if not counted:
        return _("There is nothing to show in this range.")
    top = max(counted, key=lambda row: row[1])
    return _("%(count)s rows; the largest is %(label)s, with %(value)s.") % {
        "count": len(rows),
        "label": top[0],
        "value": top[1],
    }


def _rounded(value: float | Decimal | None, digits: int = 1) -> Any:
    return "" if value is None else round(float(value), digits)


# Membership


def membership(period: Period, *, limit: int | None = PAGE_ROWS) -> Section:
    today = timezone.localdate()
    sectors = dict(Sector.choices)
    by_sector = _labelled(queries.agencies_by_sector(), sectors, _("Unknown"))
    kinds = dict(ApplicationKind.choices)
    waiting = queries.waiting_applications(today, limit)
    renewals = queries.renewals_due(today, limit)
    lapsed = queries.lapsed_agencies(limit)
    return Section(
        "membership",
        _("Membership"),
        [
            Table(
                "agencies-by-sector",
                _("Member agencies by sector"),
                [_("Sector"), _("Agencies")],
                by_sector,
                url=reverse("agencies:agency-list"),
                chart=BAR,
                summary=_largest(by_sector),
                empty=_("No member agency yet."),
            ),
            Table(
                "applications-waiting",
                _("Applications waiting for a decision"),
                [_("Agency"), _("Kind"), _("Sector"), _("Decide by"), _("Overdue")],
                [
                    [
                        row["legal_name"],
                        str(kinds.get(row["kind"], row["kind"])),
                        str(sectors.get(row["sector"], row["sector"])),
                        _day(row["decide_by"]),
                        _("Overdue") if row["overdue"] else "",
                    ]
                    for row in waiting
                ],
                url=reverse("membership:application-list"),
                links=[
                    reverse("membership:application-detail", args=[row["pk"]]) for row in waiting
                ],
                empty=_("No application is waiting."),
                total_rows=queries.waiting_application_count() if limit else None,
            ),
            Table(
                "renewals-due",
                _("Memberships ending in the next 60 days"),
                [_("Agency"), _("Term ends"), _("Invited to renew")],
                [
                    [row["name"], _day(row["ends_on"]), _("Yes") if row["invited"] else _("No")]
                    for row in renewals
                ],
                url=reverse("agencies:agency-list"),
                links=[
                    reverse("agencies:agency-detail", args=[row["agency_id"]]) for row in renewals
                ],
                empty=_("No membership ends in the next 60 days."),
            ),
            Table(
                "lapsed-agencies",
                _("Lapsed agencies"),
                [_("Agency"), _("Sector")],
                [[row["name"], str(sectors.get(row["sector"], row["sector"]))] for row in lapsed],
                url=reverse("agencies:agency-list"),
                links=[reverse("agencies:agency-detail", args=[row["pk"]]) for row in lapsed],
                empty=_("No agency has lapsed."),
            ),
        ],
    )


# Participation


def participation(period: Period, *, limit: int | None = PAGE_ROWS) -> Section:
    attendance = queries.coalition_attendance(period)
    below, below_total = queries.below_commitment(period, limit)
    committees = queries.committee_attendance(period)
    sunsets = queries.subcommittees_near_sunset()
    overdue = queries.overdue_action_items(limit=limit)
    attendance_rows = [
        [_day(row["starts_at"]), _translated(row, "title"), row["agencies"], row["people"]]
        for row in attendance
    ]
    chart_rows = [[row[0], row[2]] for row in attendance_rows]
    participation_url = reverse("meetings:participation-list")
    return Section(
        "participation",
        _("Participation"),
        [
            Table(
                "coalition-attendance",
                _("Coalition meeting attendance"),
                [_("Date"), _("Meeting"), _("Agencies present"), _("People present")],
                attendance_rows,
                url=participation_url,
                links=[reverse("meetings:meeting-detail", args=[row["pk"]]) for row in attendance],
                chart=LINE,
                value_column=2,
                summary=(
                    _(
                        "%(count)s coalition meetings held; agencies present ranged from %(low)s to %(high)s."
                    )
                    % {
                        "count": len(chart_rows),
                        "low": min(row[1] for row in chart_rows),
                        "high": max(row[1] for row in chart_rows),
                    }
                    if chart_rows
                    else _("No coalition meeting was held in this range.")
                ),
                empty=_("No coalition meeting was held in this range."),
            ),
            Table(
                "below-commitment",
                _("Agencies below their commitment (12 months to the end of the range)"),
                [
                    _("Agency"),
                    _("Coalition meetings attended"),
                    _("Expected"),
                    _("Committees joined"),
                    _("Committed"),
                ],
                [
                    [
                        row["name"],
                        row["coalition_attended"],
                        row["coalition_expected"],
                        row["committees_joined"],
                        row["committed_committees"],
                    ]
                    for row in below
                ],
                url=f"{participation_url}?sort=below",
                links=[reverse("agencies:agency-detail", args=[row["pk"]]) for row in below],
                empty=_("Every agency meets its commitment."),
                total_rows=below_total,
            ),
            Table(
                "committees",
                _("Committees and their meeting attendance"),
                [_("Committee"), _("Meetings held"), _("Attendances")],
                [[_translated(row, "name"), row["held"], row["present"]] for row in committees],
                url=reverse("meetings:committee-list"),
                links=[
                    reverse("meetings:committee-detail", args=[row["pk"]]) for row in committees
                ],
                empty=_("No active committee."),
            ),
            Table(
                "subcommittees-near-sunset",
                _("Sub-committees near their sunset (next 60 days)"),
                [_("Sub-committee"), _("Sunset")],
                [[_translated(row, "name"), _day(row["sunset_on"])] for row in sunsets],
                url=reverse("meetings:committee-list"),
                links=[reverse("meetings:committee-detail", args=[row["pk"]]) for row in sunsets],
                empty=_("No sub-committee ends in the next 60 days."),
            ),
            Table(
                "overdue-action-items",
                _("Overdue action items"),
                [_("Action"), _("Committee"), _("Due")],
                [
                    [row["title"], row["committee__name"] or _("Coalition"), _day(row["due_on"])]
                    for row in overdue
                ],
                url=reverse("meetings:action-list"),
                empty=_("No action item is overdue."),
                total_rows=queries.overdue_action_count() if limit else None,
            ),
        ],
    )


# Training and technical assistance


def training_and_assistance(period: Period, *, limit: int | None = PAGE_ROWS) -> Section:
    trained = training_figures(period.start, period.end)
    helped = assistance_figures(period.first, period.after)
    statuses = dict(RequestStatus.choices)
    topics = dict(Topic.choices)
    evaluations = trained["evaluations"]
    by_sector = [[row["label"], row["people"]] for row in trained["by_sector"]]
    by_status = _labelled(helped["by_status"], statuses, _("Unknown"))
    figures_url = reverse("trainings:figures")
    assistance_url = reverse("assistance:figures")
    queue = reverse("assistance:request-list")
    return Section(
        "training",
        _("Training and technical assistance"),
        [
            Table(
                "training-summary",
                _("Training and assistance at a glance"),
                [_("Figure"), _("Value")],
                [
                    [_("Training sessions held"), trained["sessions_held"]],
                    [_("People trained (attendances)"), trained["people_trained"]],
                    [_("Evaluations received"), evaluations["count"]],
                    [
                        _("Average overall rating (1 to 5)"),
                        _rounded(evaluations["averages"]["overall"], 2),
                    ],
                    [_("Assistance requests received"), helped["total"]],
                    [_("Assistance requests completed"), helped["completed"]],
                    [_("Hours of assistance given"), _rounded(helped["hours"])],
                    [
                        _("Median days to complete a request"),
                        _rounded(helped["median_days_to_complete"]),
                    ],
                ],
                url=figures_url,
                links=[figures_url] * 4 + [assistance_url] * 4,
            ),
            Table(
                "trained-by-sector",
                _("People trained by sector"),
                [_("Sector"), _("People trained")],
                by_sector,
                url=figures_url,
                chart=BAR,
                summary=_largest(by_sector),
                empty=_("Nobody was trained in this range."),
            ),
            Table(
                "trained-by-training",
                _("Sessions and people trained by training"),
                [
                    _("Training"),
                    _("Sessions"),
                    _("People trained"),
                    _("Evaluations"),
                    _("Average rating"),
                ],
                [
                    [
                        row["title"],
                        row["sessions"],
                        row["people"],
                        row["evaluations"],
                        _rounded(row["overall_average"], 2),
                    ]
                    for row in trained["by_training"]
                ],
                url=figures_url,
                links=[
                    reverse("trainings:training-detail", args=[row["training_id"]])
                    for row in trained["by_training"]
                ],
                empty=_("No session was held in this range."),
            ),
            Table(
                "evaluation-averages",
                _("Evaluation averages (1 to 5)"),
                [_("Question"), _("Average")],
                [
                    [_question(rating), _rounded(value, 2)]
                    for rating, value in evaluations["averages"].items()
                ],
                url=figures_url,
            ),
            Table(
                "assistance-by-status",
                _("Assistance requests by status"),
                [_("Status"), _("Requests")],
                by_status,
                url=assistance_url,
                links=[f"{queue}?status={key}" for key in helped["by_status"]],
                chart=BAR,
                summary=_largest(by_status),
                empty=_("No request in this range."),
            ),
            Table(
                "assistance-by-topic",
                _("Assistance requests by topic"),
                [_("Topic"), _("Requests")],
                _labelled(helped["by_topic"], topics, _("Unknown")),
                url=assistance_url,
                links=[f"{queue}?topic={key}" for key in helped["by_topic"]],
                empty=_("No request in this range."),
            ),
        ],
    )


def _question(rating: str) -> str:
    return {
        "overall": _("Overall"),
        "content": _("Content"),
        "trainer": _("Trainer"),
        "usefulness": _("Usefulness"),
    }.get(rating, rating)


# Awareness


def awareness(period: Period, *, limit: int | None = PAGE_ROWS) -> Section:
    figures = awareness_figures(period.start, period.end)
    by_campaign = [
        [
            row.title or _("No campaign"),
            row.activities,
            row.people_reached,
            row.businesses_contacted,
        ]
        for row in figures.by_campaign
    ]
    url = reverse("awareness:figures")
    return Section(
        "awareness",
        _("Awareness"),
        [
            Table(
                "awareness-by-campaign",
                _("Activities and people reached by campaign"),
                [_("Campaign"), _("Activities"), _("People reached"), _("Businesses contacted")],
                by_campaign,
                url=url,
                links=[
                    reverse("awareness:campaign-detail", args=[row.campaign_id])
                    if row.campaign_id
                    else ""
                    for row in figures.by_campaign
                ],
                chart=BAR,
                summary=_largest([[row[0], row[2]] for row in by_campaign]),
                empty=_("No activity in this range."),
            ),
            Table(
                "awareness-by-language",
                _("Activities and people reached by language"),
                [_("Language"), _("Activities"), _("People reached"), _("Materials handed out")],
                [
                    [row.label, row.activities, row.people_reached, row.materials_distributed]
                    for row in figures.by_language
                ],
                url=url,
                empty=_("No activity in this range."),
            ),
        ],
    )


# The system of care: counts only, never client information.


def system_of_care(period: Period, *, limit: int | None = PAGE_ROWS) -> Section:
    figures = referral_figures(sent_from=period.first, sent_before=period.after)
    upkeep = queries.listing_upkeep()
    rate = figures["closed_loop_rate"]
    median = figures["median_hours_to_accept"]
    by_category = _labelled(figures["by_category"], {}, _("No category"))
    url = reverse("referrals:figures")
    listings = reverse("directory:listing-list")
    return Section(
        "system-of-care",
        _("System of care"),
        [
            Table(
                "referral-summary",
                _("Referrals at a glance"),
                [_("Figure"), _("Value")],
                [
                    [_("Referrals sent"), figures["total"]],
                    [_("Median hours to accept"), _rounded(median)],
                    [_("Closed-loop rate (%)"), "" if rate is None else round(rate * 100, 1)],
                    [_("Overdue responses"), figures["overdue"]],
                    [_("Active listings never verified"), upkeep["unverified"]],
                    [_("Active listings not verified for 12 months"), upkeep["stale"]],
                ],
                url=url,
                links=[url] * 4 + [listings] * 2,
            ),
            Table(
                "referrals-by-category",
                _("Referrals by service category"),
                [_("Service category"), _("Referrals")],
                by_category,
                url=url,
                chart=BAR,
                summary=_largest(by_category),
                empty=_("No referral in this range."),
            ),
            Table(
                "declines-by-reason",
                _("Declines by reason"),
                [_("Reason"), _("Referrals")],
                _labelled(figures["declines_by_reason"], dict(DeclineReason.choices), _("Unknown")),
                url=url,
                empty=_("No referral was declined in this range."),
            ),
        ],
    )


SECTIONS: dict[str, Callable[..., Section]] = {
    "membership": membership,
    "participation": participation,
    "training": training_and_assistance,
    "awareness": awareness,
    "system-of-care": system_of_care,
}
# Every exportable table and the section that makes it: the export's ``table`` parameter
# must be one of these keys.
TABLE_SECTIONS: dict[str, str] = {
    "agencies-by-sector": "membership",
    "applications-waiting": "membership",
    "renewals-due": "membership",
    "lapsed-agencies": "membership",
    "coalition-attendance": "participation",
    "below-commitment": "participation",
    "committees": "participation",
    "subcommittees-near-sunset": "participation",
    "overdue-action-items": "participation",
    "training-summary": "training",
    "trained-by-sector": "training",
    "trained-by-training": "training",
    "evaluation-averages": "training",
    "assistance-by-status": "training",
    "assistance-by-topic": "training",
    "awareness-by-campaign": "awareness",
    "awareness-by-language": "awareness",
    "referral-summary": "system-of-care",
    "referrals-by-category": "system-of-care",
    "declines-by-reason": "system-of-care",
}
# Referral counts leave the dashboard with their small cells suppressed, as the referral
# figures' own export does.
SUPPRESSED_IN_EXPORTS = frozenset(
    {"referrals-by-category", "declines-by-reason", "referral-summary"}
)


def dashboard(period: Period) -> list[Section]:
    return [make(period) for make in SECTIONS.values()]


def table_for_export(key: str, period: Period) -> Table:
    """One table with every row; referral counts from 1 to 4 suppressed."""
    section = SECTIONS[TABLE_SECTIONS[key]](period, limit=None)
    table = next(table for table in section.tables if table.key == key)
    if key in SUPPRESSED_IN_EXPORTS:
        table.rows = [[row[0], *suppress_cells(row[1:])] for row in table.rows]
    if key == "referral-summary" and table.rows[0][1] is None:
        # A rate or a median over a suppressed total could point at a person too.
        table.rows[1][1] = table.rows[2][1] = ""
    return table


def suppress_cells(cells: list[Any]) -> list[Any]:
    """Whole counts from 1 to 4 become None; other values (rates, hours) stay."""
    return [
        suppress_small({"cell": cell})["cell"]
        if isinstance(cell, int) and not isinstance(cell, bool)
        else cell
        for cell in cells
    ]


def outcome_rows(period: Period) -> list[list[Any]]:
    outcomes = dict(Outcome.choices)
    return _labelled(queries.referral_outcomes(period), outcomes, _("No outcome recorded yet"))
