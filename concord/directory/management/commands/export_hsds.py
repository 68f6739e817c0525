from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from concord.directory.services.exporting import export_hsds


class Command(BaseCommand):
    help = (
        "Write the directory as an Open Referral HSDS 3.0 tabular package (CSV files and "
        "datapackage.json) into DIR. By default only what the public may see."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--all",
            action="store_true",
            help=(
                "include partners-only services, confidential addresses, internal fields, "
                "change history and Concord's own columns (for backup or moving the directory)"
            ),
        )
        parser.add_argument(
            "--spreadsheet-safe",
            action="store_true",
            help="prefix values a spreadsheet would run as formulas (changes the data)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        counts = export_hsds(
            directory=directory,
            public=not options["all"],
            spreadsheet_safe=options["spreadsheet_safe"],
        )
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count}")
        kind = "full" if options["all"] else "public"
        self.stdout.write(self.style.SUCCESS(f"Wrote the {kind} HSDS package to {directory}."))
