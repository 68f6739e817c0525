"""`manage.py annual_report --year YYYY --output FILE.pdf [--language es]`."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.audit.services import record_event
from concord.reports.annual import build_annual_report, last_year


class Command(BaseCommand):
    help = "Write the coalition's annual report for the Board of Supervisors as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=last_year(), help="default: last year")
        parser.add_argument("--output", type=Path, required=True, help="the PDF file to write")
        parser.add_argument(
            "--language", default="en", choices=[code for code, _name in settings.LANGUAGES]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("Give a year from 2000 to 2100.")
        output: Path = options["output"]
        started = time.monotonic()
        pdf = build_annual_report(year, options["language"])
        output.write_bytes(pdf)
        record_event(
            actor=None,
            action="concord.reports.annual_report_built",
            data={"year": year, "language": options["language"]},
        )
        self.stdout.write(
            f"Wrote {output} ({len(pdf) // 1024} KB) in {time.monotonic() - started:.1f} s."
        )
