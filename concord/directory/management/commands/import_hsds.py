import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.directory.schemas import KINDS
from concord.directory.services.importing import import_hsds


class Command(BaseCommand):
    help = (
        "Import Open Referral HSDS 3.0 data: a JSON file (a service, organization, service at "
        "location, location, taxonomy or taxonomy term, alone, in a list or a paged list, or "
        "tabular JSON) or a tabular package (a directory of CSV files or its datapackage.json). "
        "Everything is validated first; a file with any error writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--kind", choices=KINDS, help="the kind of the JSON objects, when it cannot be told"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        progress = _progress_bar if sys.stderr.isatty() else None
        result = import_hsds(path=path, actor=None, kind=options["kind"], progress=progress)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(
                f"{len(result.problems)} errors; nothing was imported from {path.name}"
            )
        for table, count in result.counts.items():
            self.stdout.write(
                f"{table}: {count['created']} created, {count['updated']} updated, "
                f"{count['unchanged']} unchanged"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {result.total('created')} created, "
                f"{result.total('updated')} updated, {result.total('unchanged')} unchanged."
            )
        )


def _progress_bar(done: int, total: int) -> None:
    width = 40
    filled = width * done // total if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
