"""Backups as recorded runs: the command's and the nightly task's, with their retention."""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from concord.audit.services import record_event
from concord.backups.models import BackupRun, BackupTrigger
from concord.backups.services.archive import checksum_path
from concord.backups.services.dump import BackupResult, write_backup

logger = logging.getLogger(__name__)
NIGHTLY_PREFIX = "concord-backup-"
NIGHTLY_SUFFIX = ".zip"


def run_backup(*, output: Path, trigger: BackupTrigger) -> tuple[BackupRun, BackupResult | None]:
    """Write a backup to ``output`` and record the run, failed or not.

    A failure is recorded with its error's class only (the message could name a path or a
    value) and then raised again.
    """
    started_at = timezone.now()
    try:
        result = write_backup(output)
    except Exception as error:
        run = _record(
            started_at=started_at,
            trigger=trigger,
            ok=False,
            file_name=output.name,
            error_class=type(error).__name__,
        )
        logger.error("backup failed", extra={"error_class": type(error).__name__})
        raise
    run = _record(
        started_at=started_at,
        trigger=trigger,
        ok=True,
        file_name=result.path.name,
        size_bytes=result.size_bytes,
        sha256=result.sha256,
    )
    logger.info("backup written", extra={"size_bytes": result.size_bytes})
    return run, result


def _record(
    *,
    started_at: datetime.datetime,
    trigger: BackupTrigger,
    ok: bool,
    file_name: str,
    size_bytes: int | None = None,
    sha256: str = "",
    error_class: str = "",
) -> BackupRun:
    with transaction.atomic():
        run = BackupRun.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            ok=ok,
            trigger=trigger,
            file_name=file_name[:255],
            size_bytes=size_bytes,
            sha256=sha256,
            error_class=error_class[:100],
        )
        record_event(
            actor=None,
            action="concord.backups.completed" if ok else "concord.backups.failed",
            target=run,
            data={"trigger": str(trigger), **({"error_class": error_class} if not ok else {})},
        )
    return run


def nightly_archive_name(now: datetime.datetime) -> str:
    """Names sort by time: the UTC moment, to the second."""
    moment = now.astimezone(datetime.UTC)
    return f"{NIGHTLY_PREFIX}{moment.strftime('%Y%m%dT%H%M%SZ')}{NIGHTLY_SUFFIX}"


def prune_backups(directory: Path, *, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` nightly archives (and their checksums) in
    ``directory``; the names of those deleted. Other files are left alone."""
    archives = sorted(
        path for path in directory.glob(f"{NIGHTLY_PREFIX}*{NIGHTLY_SUFFIX}") if path.is_file()
    )
    doomed = archives[: max(len(archives) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
        checksum_path(path).unlink(missing_ok=True)
    return [path.name for path in doomed]


def make_nightly_backup() -> BackupRun:
    """The nightly backup into BACKUP_DIR, then the retention of BACKUP_KEEP archives.
    Older archives are removed only after a new one is complete."""
    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    output = directory / nightly_archive_name(timezone.now())
    run, _result = run_backup(output=output, trigger=BackupTrigger.NIGHTLY)
    prune_backups(directory, keep=settings.BACKUP_KEEP)
    return run
