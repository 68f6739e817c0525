"""The grant-report figures and the members' figures: aggregate counts only, every count
from 1 to 4 suppressed, no agency named next to a referral count.

Federal victim-services grantees report people trained by discipline, technical
assistance given, victims served by service type and awareness activities (DOMAIN.md);
these tables carry those counts and nothing that could point at a person.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from concord.agencies.models import Sector
from concord.assistance.models import Topic
from concord.assistance.queries import assistance_figures
from concord.awareness.queries import awareness_figures
from concord.referrals.queries import SMALL_CELL, referral_figures
from concord.reports import queries
from concord.reports.queries import Period
from concord.reports.tables import BAR, Table, _labelled, _largest, outcome_rows, suppress_cells
from concord.trainings.queries_figures import training_figures


def suppressed_label() -> str:
    return _("fewer than %(count)s") % {"count": SMALL_CELL}


def _suppressed(rows: list[list[Any]]) -> list[list[Any]]:
    return [[row[0], *suppress_cells(row[1:])] for row in rows]


def _total(rows: list[list[Any]], total: list[Any]) -> list[list[Any]]:
    """The rows and their suppressed total; where exactly one cell of a column is
    suppressed, the total would give it away (total minus the others), so it goes too."""
    row = _suppressed([total])[0]
    for column in range(1, len(row)):
        if sum(1 for cells in rows if cells[column] is None) == 1:
            row[column] = _("withheld")
    return [*rows, row]


def grant_tables(period: Period) -> list[Table]:
    """People trained by discipline, assistance given, referrals by service type and by
    outcome, and awareness reach, for the range; small cells suppressed."""
    trained = training_figures(period.start, period.end)
    helped = assistance_figures(period.first, period.after)
    referred = referral_figures(sent_from=period.first, sent_before=period.after)
    aware = awareness_figures(period.start, period.end)
    sectors = dict(Sector.choices)
    by_discipline = _suppressed(
        [
            [str(sectors.get(row["sector"], row["label"])), row["people"]]
            for row in trained["by_sector"]
        ]
    )
    by_category = _suppressed(_labelled(referred["by_category"], {}, _("No category")))
    reach = _suppressed(
        [
            [row.title or _("No campaign"), row.people_reached, row.activities]
            for row in aware.by_campaign
        ]
    )
    return [
        Table(
            "grant-training",
            _("People trained by discipline"),
            [_("Discipline (sector)"), _("People trained")],
            _total(by_discipline, [_("All disciplines"), trained["people_trained"]]),
            url=reverse("trainings:figures"),
            chart=BAR,
            summary=_largest(by_discipline),
            empty=_("Nobody was trained in this range."),
        ),
        Table(
            "grant-assistance",
            _("Technical assistance given"),
            [_("Figure"), _("Value")],
            [
                *_suppressed(
                    [
                        [_("Requests received"), helped["total"]],
                        [_("Requests completed"), helped["completed"]],
                        *_labelled(helped["by_topic"], dict(Topic.choices), _("Unknown")),
                    ]
                ),
                # Hours count time, not people: they stay.
                [_("Hours of assistance given"), round(float(helped["hours"]), 1)],
            ],
            url=reverse("assistance:figures"),
        ),
        Table(
            "grant-referrals-by-service",
            _("Referrals by service type"),
            [_("Service type"), _("Referrals")],
            _total(by_category, [_("All referrals"), referred["total"]]),
            url=reverse("referrals:figures"),
            chart=BAR,
            summary=_largest(by_category),
            empty=_("No referral in this range."),
        ),
        Table(
            "grant-referrals-by-outcome",
            _("Referrals by outcome"),
            [_("Outcome"), _("Referrals")],
            _suppressed(outcome_rows(period)),
            url=reverse("referrals:figures"),
            empty=_("No referral in this range."),
        ),
        Table(
            "grant-awareness",
            _("Awareness reach by campaign"),
            [_("Campaign"), _("People reached"), _("Activities")],
            _total(reach, [_("All campaigns"), aware.people_reached, aware.activities]),
            url=reverse("awareness:figures"),
            chart=BAR,
            summary=_largest(reach),
            empty=_("No activity in this range."),
        ),
    ]


def member_tables(period: Period) -> list[Table]:
    """What every member may see: the coalition's size, its meetings, and the grant
    figures. Never a referral count by agency."""
    sectors = dict(Sector.choices)
    by_sector = _suppressed(_labelled(queries.agencies_by_sector(), sectors, _("Unknown")))
    held = queries.meetings_summary(period)
    return [
        Table(
            "members-agencies",
            _("Member agencies by sector"),
            [_("Sector"), _("Agencies")],
            by_sector,
            chart=BAR,
            summary=_largest(by_sector),
            empty=_("No member agency yet."),
        ),
        Table(
            "members-meetings",
            _("Meetings and decisions"),
            [_("Figure"), _("Count")],
            [
                [_("Coalition meetings held"), held["coalition_meetings"]],
                [_("Committee meetings held"), held["committee_meetings"]],
                [_("Motions carried"), held["motions_carried"]],
                [_("Action items completed"), held["actions_completed"]],
            ],
        ),
        *grant_tables(period),
    ]
