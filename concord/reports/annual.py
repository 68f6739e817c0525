"""The annual report for the Board of Supervisors, and the grant report, as PDF.

The report is an HTML page rendered with WeasyPrint: the coalition's goals (from its
settings) and, under each, the figures that show what was done towards it, with their
charts and tables. Charts are embedded as SVG images, which WeasyPrint draws as vectors.
"""

import base64
import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.coalition.queries import current_coalition
from concord.reports import queries
from concord.reports.charts import chart_for
from concord.reports.queries import Period, year_period
from concord.reports.tables import (
    Section,
    Table,
    awareness,
    membership,
    outcome_rows,
    system_of_care,
    training_and_assistance,
)
from concord.reports.tables import participation as participation_section

# A table in print stops here: the Board reads a summary, the dashboard has every row.
PRINT_ROWS = 30


def _printable(table: Table) -> dict[str, Any]:
    chart = chart_for(table)
    image = ""
    if chart is not None:
        image = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode()
    return {
        "table": table,
        "rows": table.rows[:PRINT_ROWS],
        "more": max(0, len(table.rows) - PRINT_ROWS),
        "chart": image,
    }


def _pick(section: Section, *keys: str) -> list[Table]:
    return [table for table in section.tables if table.key in keys]


def _policies(period: Period, committees: list[Table]) -> list[Table]:
    held = queries.meetings_summary(period)
    return [
        Table(
            "policies-summary",
            _("Meetings and decisions"),
            [_("Figure"), _("Count")],
            [
                [_("Coalition meetings held"), held["coalition_meetings"]],
                [_("Committee meetings held"), held["committee_meetings"]],
                [_("Motions carried"), held["motions_carried"]],
                [_("Action items completed"), held["actions_completed"]],
            ],
        ),
        *committees,
    ]


def annual_context(year: int) -> dict[str, Any]:
    period = year_period(year)
    coalition = current_coalition()
    members = membership(period)
    taking_part = participation_section(period)
    training = training_and_assistance(period)
    care = system_of_care(period)
    outcomes = Table(
        "referral-outcomes",
        _("Referrals by outcome"),
        [_("Outcome"), _("Referrals")],
        outcome_rows(period),
        empty=_("No referral in this range."),
    )
    # The seed's four goals, in order: awareness; training, assistance and a forum;
    # policies and protocols; a coordinated system of care.
    work = [
        awareness(period).tables,
        _pick(
            training,
            "training-summary",
            "trained-by-sector",
            "trained-by-training",
            "assistance-by-topic",
        ),
        _policies(period, _pick(taking_part, "committees")),
        [*_pick(care, "referral-summary", "referrals-by-category"), outcomes],
    ]
    goals = coalition.goal_list if coalition is not None else []
    by_goal = [
        {"goal": goal, "tables": [_printable(t) for t in work[index]] if index < len(work) else []}
        for index, goal in enumerate(goals)
    ]
    leftover = [t for tables in work[len(goals) :] for t in tables]
    return {
        "coalition": coalition,
        "year": year,
        "period": period,
        "goals": by_goal,
        "leftover": [_printable(t) for t in leftover],
        "membership": [
            _printable(t)
            for t in [
                *_pick(members, "agencies-by-sector"),
                *_pick(taking_part, "coalition-attendance"),
            ]
        ],
        "made_on": timezone.localdate(),
    }


def annual_report_html(year: int, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string("reports/annual_report.html", annual_context(year))


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def build_annual_report(year: int, language: str = "en") -> bytes:
    return _pdf(annual_report_html(year, language))


def grant_html(period: Period, tables: list[Table]) -> str:
    from concord.reports.grant import suppressed_label

    return render_to_string(
        "reports/grant_report.html",
        {
            "coalition": current_coalition(),
            "period": period,
            "tables": [_printable(t) for t in tables],
            "suppressed": suppressed_label(),
            "made_on": timezone.localdate(),
        },
    )


def grant_pdf(period: Period, tables: list[Table]) -> bytes:
    return _pdf(grant_html(period, tables))


def last_year(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year - 1
