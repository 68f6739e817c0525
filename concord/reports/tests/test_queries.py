import datetime

from django.utils import timezone

from concord.agencies.models import Sector
from concord.directory.tests.factories import ServiceFactory
from concord.membership.models import MembershipTerm
from concord.reports import queries, tables
from concord.reports.queries import Period, default_period
from concord.reports.tests.conftest import Coalition, attend_training, rows_of


def test_default_period_is_the_last_12_months_today_included() -> None:
    period = default_period(datetime.date(2026, 11, 28))

    assert (period.start, period.end) == (datetime.date(2025, 11, 29), datetime.date(2026, 11, 28))


def test_agencies_by_sector_counts_active_agencies_only(known: Coalition) -> None:
    assert queries.agencies_by_sector() == {Sector.VICTIM_SERVICES: 2, Sector.LAW_ENFORCEMENT: 1}


def test_coalition_attendance_counts_people_and_agencies_per_meeting(known: Coalition) -> None:
    rows = queries.coalition_attendance(default_period())

    assert [(row["agencies"], row["people"]) for row in rows] == [(2, 2), (3, 3)]


def test_coalition_attendance_leaves_out_meetings_outside_the_range(known: Coalition) -> None:
    today = timezone.localdate()
    recent = Period(today - datetime.timedelta(days=30), today)

    assert [row["people"] for row in queries.coalition_attendance(recent)] == [3]


def test_lapsed_agencies_overdue_actions_and_sunsets(known: Coalition) -> None:
    assert [row["name"] for row in queries.lapsed_agencies()] == ["Old Friends"]
    assert [row["title"] for row in queries.overdue_action_items()] == ["Draft the protocol"]
    assert queries.overdue_action_count() == 1
    assert [row["name"] for row in queries.subcommittees_near_sunset()] == [
        "Awareness Month planning"
    ]


def test_renewals_due_lists_terms_ending_soon_without_a_later_term(known: Coalition) -> None:
    today = timezone.localdate()
    harbor, shelter, sheriff = known.agencies
    MembershipTerm.objects.create(
        agency=harbor,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=20),
    )
    MembershipTerm.objects.create(
        agency=shelter,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=40),
    )
    # Already renewed: a later term follows.
    MembershipTerm.objects.create(
        agency=shelter,
        starts_on=today + datetime.timedelta(days=41),
        ends_on=today + datetime.timedelta(days=400),
    )
    MembershipTerm.objects.create(
        agency=sheriff,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=355),
    )

    assert [row["name"] for row in queries.renewals_due(today)] == ["Harbor Services"]


def test_below_commitment_lists_agencies_that_missed_meetings(known: Coalition) -> None:
    # Two coalition meetings held: the sheriff attended one, and no agency joined a committee.
    rows, total = queries.below_commitment(default_period())

    assert sorted(row["name"] for row in rows) == [
        "Bay Shelter",
        "County Sheriff",
        "Harbor Services",
    ]
    assert {row["name"]: row["coalition_attended"] for row in rows}["County Sheriff"] == 1
    assert total == 3


def test_below_commitment_counts_every_agency_when_it_reads_the_first_rows(
    known: Coalition,
) -> None:
    rows, total = queries.below_commitment(default_period(), limit=2)

    assert [row["name"] for row in rows] == ["Bay Shelter", "County Sheriff"]
    assert total == 3


def test_listing_upkeep_counts_unverified_and_stale_active_listings(db: None) -> None:
    today = timezone.localdate()
    ServiceFactory(assured_date=None)
    ServiceFactory(assured_date=today - datetime.timedelta(days=400))
    ServiceFactory(assured_date=today - datetime.timedelta(days=10))

    assert queries.listing_upkeep(today) == {"total": 3, "unverified": 1, "stale": 1}


def test_trained_by_sector_table_reads_the_training_figures(db: None) -> None:
    attend_training(Sector.LAW_ENFORCEMENT, 3)
    attend_training(Sector.VICTIM_SERVICES, 6)

    section = tables.training_and_assistance(default_period())
    by_sector = next(table for table in section.tables if table.key == "trained-by-sector")

    assert rows_of(by_sector) == [["Victim services", 6], ["Law enforcement", 3]]
    assert by_sector.summary == "2 rows; the largest is Victim services, with 6."


def test_every_exportable_table_is_made_by_its_section(known: Coalition) -> None:
    period = default_period()
    made = {table.key for make in tables.SECTIONS.values() for table in make(period).tables}

    assert made == set(tables.TABLE_SECTIONS)
