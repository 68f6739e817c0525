import datetime
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition as CoalitionSettings
from concord.reports.annual import annual_report_html, build_annual_report
from concord.reports.tests.conftest import Coalition


@pytest.fixture
def coalition(db: None) -> CoalitionSettings:
    fields = {f.name for f in CoalitionSettings._meta.get_fields()}
    return CoalitionSettings.objects.create(
        **{key: value for key, value in DEMO_COALITION.items() if key in fields}
    )


def test_annual_report_lists_the_goals_and_their_figures_in_english(
    coalition: CoalitionSettings, known: Coalition
) -> None:
    html = annual_report_html(timezone.localdate().year, "en")

    assert f"<h1>Annual report {timezone.localdate().year}</h1>" in html
    assert "<h2>Goal 1: Conducting public awareness activities</h2>" in html
    assert "<h2>Goal 4: Creating a coordinated system of care</h2>" in html
    assert "<h3>Referrals by service category</h3>" in html
    assert "<h3>Activities and people reached by campaign</h3>" in html
    assert "<h2>Members and participation</h2>" in html


def test_annual_report_is_in_spanish_when_asked(
    coalition: CoalitionSettings, known: Coalition
) -> None:
    html = annual_report_html(2026, "es")

    assert '<html lang="es">' in html
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[1].endswith(": Realizar actividades de concienciación pública")
    assert headings[4].endswith(": Crear un sistema de atención coordinado")


def test_annual_report_builds_a_pdf(coalition: CoalitionSettings, known: Coalition) -> None:
    pdf = build_annual_report(timezone.localdate().year)

    assert pdf.startswith(b"%PDF")


def test_annual_report_command_writes_the_pdf_and_audits_it(
    coalition: CoalitionSettings, known: Coalition, tmp_path: Path
) -> None:
    output = tmp_path / "report.pdf"

    call_command("annual_report", "--year", "2026", "--output", str(output), "--language", "es")

    assert output.read_bytes().startswith(b"%PDF")
    event = AuditEvent.objects.get(action="concord.reports.annual_report_built")
    assert event.data == {"year": 2026, "language": "es"}


def test_annual_report_command_refuses_an_odd_year(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError):
        call_command("annual_report", "--year", "1066", "--output", str(tmp_path / "x.pdf"))


def test_annual_report_without_coalition_settings_still_builds(known: Coalition) -> None:
    html = annual_report_html(datetime.date.today().year)  # noqa: DTZ011 - a year is enough

    assert "Other work" in html
