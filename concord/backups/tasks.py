"""The nightly backup, queued by the scheduler's daily jobs (concord.meetings.tasks)."""

from typing import Any

from django_tasks import task

from concord.backups.services.runs import make_nightly_backup


@task()
def nightly_backup() -> dict[str, Any]:
    """Back up into BACKUP_DIR and keep the newest BACKUP_KEEP archives. The result holds
    no path, only whether it worked and the size."""
    run = make_nightly_backup()
    return {"ok": run.ok, "size_bytes": run.size_bytes}
