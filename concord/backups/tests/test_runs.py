"""The nightly task and the record of each run."""

import datetime
import stat
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from concord.audit.models import AuditEvent
from concord.backups.models import BackupRun, BackupTrigger
from concord.backups.services.runs import nightly_archive_name, prune_backups, run_backup
from concord.backups.tasks import nightly_backup
from concord.meetings.tasks import daily_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.ENCRYPTED_FILES_ROOT = tmp_path / "encrypted"
    settings.BACKUP_DIR = tmp_path / "backups"


def test_the_nightly_backup_is_a_daily_job() -> None:
    assert nightly_backup in daily_jobs()


def test_the_nightly_backup_keeps_the_newest_archives(settings: Any, tmp_path: Path) -> None:
    settings.BACKUP_KEEP = 2
    directory = tmp_path / "backups"
    directory.mkdir()
    for day in (1, 2, 3):
        old = directory / nightly_archive_name(
            datetime.datetime(2020, 3, day, 2, tzinfo=datetime.UTC)
        )
        old.write_bytes(b"an older archive")
        old.with_name(old.name + ".sha256").write_text("x")
    (directory / "kept-by-hand.zip").write_bytes(b"not the task's")

    result = nightly_backup.call()

    names = sorted(path.name for path in directory.iterdir())
    newest = BackupRun.objects.get()
    assert result == {"ok": True, "size_bytes": newest.size_bytes}
    assert names == sorted(
        [
            "concord-backup-20200303T020000Z.zip",
            "concord-backup-20200303T020000Z.zip.sha256",
            newest.file_name,
            newest.file_name + ".sha256",
            "kept-by-hand.zip",
        ]
    )
    assert newest.trigger == "nightly"
    assert stat.S_IMODE((directory / newest.file_name).stat().st_mode) == 0o600
    assert AuditEvent.objects.filter(action="concord.backups.completed").count() == 1


def test_a_failed_backup_is_recorded_without_details(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the archive's directory should be")

    with pytest.raises(FileExistsError):
        run_backup(output=blocker / "backup.zip", trigger=BackupTrigger.COMMAND)

    run = BackupRun.objects.get()
    assert (run.ok, run.error_class, run.size_bytes, run.sha256) == (
        False,
        "FileExistsError",
        None,
        "",
    )
    assert AuditEvent.objects.filter(action="concord.backups.failed").count() == 1


def test_pruning_keeps_at_least_one_archive(tmp_path: Path) -> None:
    archive = tmp_path / nightly_archive_name(timezone.now())
    archive.write_bytes(b"the only one")

    assert prune_backups(tmp_path, keep=0) == []
    assert archive.exists()
