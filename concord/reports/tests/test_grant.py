import csv
import io

from django.test import Client

from concord.agencies.models import Sector
from concord.reports.grant import grant_tables, member_tables
from concord.reports.queries import default_period
from concord.reports.tests.conftest import Coalition, attend_training


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_counts_from_1_to_4_are_suppressed_and_5_is_shown(db: None) -> None:
    attend_training(Sector.LAW_ENFORCEMENT, 4)
    attend_training(Sector.VICTIM_SERVICES, 5)
    attend_training(Sector.EDUCATION, 1)

    trained = next(t for t in grant_tables(default_period()) if t.key == "grant-training")

    assert trained.rows == [
        ["Victim services", 5],
        ["Law enforcement", None],
        ["Education", None],
        ["All disciplines", 10],
    ]


def test_a_total_that_would_give_away_its_one_suppressed_cell_is_suppressed(db: None) -> None:
    attend_training(Sector.LAW_ENFORCEMENT, 3)
    attend_training(Sector.VICTIM_SERVICES, 6)

    trained = next(t for t in grant_tables(default_period()) if t.key == "grant-training")

    assert trained.rows == [
        ["Victim services", 6],
        ["Law enforcement", None],
        ["All disciplines", "withheld"],
    ]


def test_grant_csv_says_fewer_than_5_for_small_cells(coordinator_client: Client, db: None) -> None:
    attend_training(Sector.LAW_ENFORCEMENT, 3)
    attend_training(Sector.VICTIM_SERVICES, 6)

    response = coordinator_client.get("/reports/grant/export/", {"format": "csv"})

    assert response.status_code == 200
    rows = _rows(response.content)
    assert rows[0] == ["Table", "Row", "Column", "Value"]
    assert ["People trained by discipline", "Victim services", "People trained", "6"] in rows
    assert [
        "People trained by discipline",
        "Law enforcement",
        "People trained",
        "fewer than 5",
    ] in rows
    assert [
        "People trained by discipline",
        "All disciplines",
        "People trained",
        "withheld",
    ] in rows
    assert not any(row[-1] in {"1", "2", "3", "4"} for row in rows[3:] if "Hours" not in row[1])


def test_grant_pdf_is_a_pdf(coordinator_client: Client, db: None) -> None:
    attend_training(Sector.VICTIM_SERVICES, 6)

    response = coordinator_client.get("/reports/grant/export/", {"format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_grant_page_is_the_coordinators(
    coordinator_client: Client, member_client: Client, db: None
) -> None:
    assert coordinator_client.get("/reports/grant/").status_code == 200
    assert member_client.get("/reports/grant/").status_code == 403
    assert member_client.get("/reports/grant/export/", {"format": "csv"}).status_code == 403


def test_members_page_shows_suppressed_figures_and_no_agency_referral_counts(
    member_client: Client, outsider_client: Client, client: Client, sent_referral: object
) -> None:
    response = member_client.get("/reports/members/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Referrals by service type" in page
    assert "fewer than 5" in page
    assert "Agency B" not in page  # the receiving agency of the referral
    assert "Agency A" not in page
    assert outsider_client.get("/reports/members/").status_code == 200
    assert client.get("/reports/members/").status_code == 302


def test_member_tables_hold_no_referral_counts_by_agency(known: Coalition) -> None:
    keys = [table.key for table in member_tables(default_period())]

    assert keys == [
        "members-agencies",
        "members-meetings",
        "grant-training",
        "grant-assistance",
        "grant-referrals-by-service",
        "grant-referrals-by-outcome",
        "grant-awareness",
    ]
