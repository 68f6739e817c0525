from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.backups.services.archive import ArchiveError
from concord.backups.services.load import RestoreRefusedError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`. Every checksum is verified first. "
        "Into a database without tables the schema is created; over a database holding data "
        "only with --force, which replaces all of it. Stored files are replaced too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of a database that already holds some.",
        )

    def handle(self, *args: Any, path: Path, force: bool, **options: Any) -> None:
        try:
            result = restore_backup(path, force=force)
        except (ArchiveError, RestoreRefusedError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {result.tables} tables ({result.rows} rows) and {result.files} files"
            f"{' into a new schema' if result.created_schema else ''}."
        )
