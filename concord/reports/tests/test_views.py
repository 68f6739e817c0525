import csv
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import AgencyStatus, Sector
from concord.agencies.tests.factories import AgencyFactory
from concord.audit.models import AuditEvent
from concord.reports.tests.conftest import Coalition, attend_training, coalition_meeting_on

DASHBOARD = "/reports/"
EXPORT = "/reports/export/"


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_dashboard_shows_every_section_to_coordinators(
    coordinator_client: Client, known: Coalition
) -> None:
    response = coordinator_client.get(DASHBOARD)

    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Membership",
        "Participation",
        "Training and technical assistance",
        "Awareness",
        "System of care",
    ):
        assert f">{heading}</h2>" in page
    assert "Old Friends" in page  # lapsed
    assert "Draft the protocol" in page  # overdue


def test_dashboard_refuses_members_and_sends_visitors_to_login(
    member_client: Client, client: Client, known: Coalition
) -> None:
    assert member_client.get(DASHBOARD).status_code == 403
    assert member_client.get(EXPORT, {"table": "committees", "format": "csv"}).status_code == 403
    assert member_client.get("/reports/grant/").status_code == 403
    assert client.get(DASHBOARD).status_code == 302


def test_charts_carry_the_responses_style_nonce(
    coordinator_client: Client, known: Coalition
) -> None:
    response = coordinator_client.get(DASHBOARD)

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce is not None
    page = response.content.decode()
    assert f'<style nonce="{nonce.group(1)}">' in page
    assert '<figure class="concord-report' in page
    charts = re.findall(r"<svg role=\"img\".*?</svg>", page, re.S)
    assert len(charts) == 2  # agencies by sector, coalition attendance
    assert not any("<script" in chart for chart in charts)


def test_bad_dates_answer_with_an_error_and_keep_the_default_range(
    coordinator_client: Client, known: Coalition
) -> None:
    response = coordinator_client.get(DASHBOARD, {"start": "2026-02-30", "end": "2026-01-01"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid date." in page
    default = response.context["period"]
    assert (default.end - default.start).days in (364, 365)


def test_end_before_start_is_an_error(coordinator_client: Client, known: Coalition) -> None:
    response = coordinator_client.get(DASHBOARD, {"start": "2026-05-01", "end": "2026-04-01"})

    assert response.status_code == 400
    assert "The end of the range comes before its start." in response.content.decode()


def test_dashboard_runs_the_same_number_of_queries_with_few_and_many_rows(
    coordinator_client: Client, known: Coalition, settings: Any
) -> None:
    settings.REPORTS_CACHE_SECONDS = 0  # every view works the figures out
    coordinator_client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(DASHBOARD)
    for number in range(12):
        agency = AgencyFactory(name=f"New agency {number}", sector=Sector.HEALTH_CARE)
        person = UserFactory(agency=agency)
        coalition_meeting_on(20 + number, [person, *known.people])
    attend_training(Sector.EDUCATION, 7)
    with CaptureQueriesContext(connection) as many:
        response = coordinator_client.get(DASHBOARD)

    assert response.status_code == 200
    assert len(many) == len(few)


@pytest.mark.django_db(transaction=True)  # the change commits, as it would in the site
def test_kept_figures_serve_the_next_view_until_a_counted_record_changes(
    coordinator_client: Client, known: Coalition
) -> None:
    first = coordinator_client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as kept:
        second = coordinator_client.get(DASHBOARD)
    AgencyFactory(name="Brand New Shelter", sector=Sector.HEALTH_CARE, status=AgencyStatus.LAPSED)
    with CaptureQueriesContext(connection) as renewed:
        third = coordinator_client.get(DASHBOARD)

    assert "Brand New Shelter" not in first.content.decode()
    assert len(kept) < 10 < len(renewed)
    assert _figures(second) == _figures(first)
    assert "Brand New Shelter" in third.content.decode()


def test_kept_figures_carry_each_responses_own_nonce(
    coordinator_client: Client, known: Coalition
) -> None:
    pages = [coordinator_client.get(DASHBOARD) for _ in range(2)]

    nonces = [re.findall(r'<style nonce="([^"]+)"', page.content.decode()) for page in pages]
    headers = [page["Content-Security-Policy"] for page in pages]
    assert nonces[0]
    assert nonces[1]
    assert nonces[0][0] != nonces[1][0]
    for found, header in zip(nonces, headers, strict=True):
        assert set(found) == {found[0]}
        assert f"'nonce-{found[0]}'" in header
    assert "__REPORTS_NONCE__" not in pages[1].content.decode()


def test_the_page_says_when_its_figures_were_worked_out(
    coordinator_client: Client, known: Coalition, settings: Any
) -> None:
    kept = coordinator_client.get(DASHBOARD).content.decode()
    settings.REPORTS_CACHE_SECONDS = 0
    fresh = coordinator_client.get(DASHBOARD).content.decode()

    assert re.search(r"Figures as of \d\d:\d\d\. They are worked out again", kept)
    assert "at least every 5 minutes" in kept
    assert re.search(r"Figures as of \d\d:\d\d\.</p>", fresh)


def _figures(response: Any) -> str:
    """The page from the sections on, without the per-response nonce."""
    page = response.content.decode()
    return re.sub(r'nonce="[^"]+"', "", page[page.index('aria-label="Sections"') :])


def test_csv_export_has_the_tables_rows(coordinator_client: Client, known: Coalition) -> None:
    response = coordinator_client.get(EXPORT, {"table": "agencies-by-sector", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert _csv(response.content) == [
        ["Sector", "Agencies"],
        ["Victim services", "2"],
        ["Law enforcement", "1"],
    ]
    event = AuditEvent.objects.get(action="concord.reports.table_exported")
    assert event.data == {"table": "agencies-by-sector", "format": "csv", "rows": 2}


def test_xlsx_export_has_the_tables_rows(coordinator_client: Client, known: Coalition) -> None:
    response = coordinator_client.get(EXPORT, {"table": "lapsed-agencies", "format": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Agency", "Sector"],
        ["Old Friends", "Faith-based"],
    ]


def test_exports_neutralise_formulas(coordinator_client: Client, known: Coalition) -> None:
    AgencyFactory(name='=HYPERLINK("http://x")', sector=Sector.BUSINESS, status="lapsed")

    got_csv = coordinator_client.get(EXPORT, {"table": "lapsed-agencies", "format": "csv"})
    got_xlsx = coordinator_client.get(EXPORT, {"table": "lapsed-agencies", "format": "xlsx"})

    assert ['\'=HYPERLINK("http://x")', "Business"] in _csv(got_csv.content)
    sheet = load_workbook(io.BytesIO(got_xlsx.content)).active
    assert ('\'=HYPERLINK("http://x")', "Business") in list(sheet.iter_rows(values_only=True))


def test_export_of_every_listed_table_works(coordinator_client: Client, known: Coalition) -> None:
    from concord.reports.tables import TABLE_SECTIONS

    for key in TABLE_SECTIONS:
        response = coordinator_client.get(EXPORT, {"table": key, "format": "csv"})
        assert response.status_code == 200, key


@pytest.mark.parametrize(
    "params",
    [
        {"table": "../../etc/passwd", "format": "csv"},
        {"table": "committees", "format": "html"},
        {"table": "committees", "format": "csv", "start": "not-a-date"},
        {},
    ],
)
def test_export_refuses_anything_off_its_list(
    coordinator_client: Client, known: Coalition, params: dict[str, str]
) -> None:
    assert coordinator_client.get(EXPORT, params).status_code == 400


def test_export_range_filters_the_rows(coordinator_client: Client, known: Coalition) -> None:
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    start = (timezone.localdate() - __import__("datetime").timedelta(days=30)).isoformat()
    response = coordinator_client.get(
        EXPORT, {"table": "coalition-attendance", "format": "csv", "start": start, "end": today}
    )

    rows = _csv(response.content)
    assert len(rows) == 2
    assert rows[1][2:] == ["3", "3"]
