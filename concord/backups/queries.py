import datetime
from dataclasses import dataclass

from django.utils import timezone

from concord.backups.models import BackupRun

# A nightly backup that has not succeeded for this long has missed a night.
STALE_AFTER = datetime.timedelta(hours=36)


@dataclass(frozen=True)
class BackupStatus:
    last: BackupRun | None
    last_good: BackupRun | None
    stale: bool


def backup_status(*, now: datetime.datetime | None = None) -> BackupStatus:
    """The last run, the last good one, and whether the last good one is too old (or
    missing)."""
    moment = now or timezone.now()
    last = BackupRun.objects.order_by("-started_at", "-id").first()
    last_good = BackupRun.objects.filter(ok=True).order_by("-started_at", "-id").first()
    stale = last_good is None or moment - last_good.finished_at > STALE_AFTER
    return BackupStatus(last=last, last_good=last_good, stale=stale)


def recent_runs(limit: int = 14) -> list[BackupRun]:
    return list(BackupRun.objects.order_by("-started_at", "-id")[:limit])
