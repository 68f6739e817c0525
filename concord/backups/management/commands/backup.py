from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.backups.models import BackupTrigger
from concord.backups.services.runs import run_backup


class Command(BaseCommand):
    help = (
        "Write one archive (ZIP, mode 0600) of every table and every stored file, with the "
        "sha256 of every member inside and of the whole archive in PATH.sha256. Encrypted "
        "fields and files stay encrypted; FIELD_ENCRYPTION_KEY is not in the archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="The archive to write.")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        if output.is_dir():
            raise CommandError(f"{output} is a directory: give the archive's file name.")
        try:
            _run, result = run_backup(output=output, trigger=BackupTrigger.COMMAND)
        except OSError as error:
            raise CommandError(f"The backup failed: {error.strerror or error}.") from error
        assert result is not None  # noqa: S101 (run_backup raises on failure)
        tables = result.manifest["tables"]
        self.stdout.write(
            f"Wrote {result.path} ({result.size_bytes} bytes, {len(tables)} tables, "
            f"{sum(t['rows'] for t in tables.values())} rows, "
            f"{sum(result.manifest['files'].values())} files)."
        )
        self.stdout.write(f"{result.sha256}  {result.path.name}")
