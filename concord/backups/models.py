from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class BackupTrigger(models.TextChoices):
    COMMAND = "command", _("Command")
    NIGHTLY = "nightly", _("Nightly task")


class BackupRun(models.Model):
    """One backup attempt, written when it ends. Holds no personal data: the archive's file
    name (not its directory), its size and checksum, and the class of a failure's error."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    ok = models.BooleanField()
    trigger = models.CharField(max_length=20, choices=BackupTrigger.choices)
    file_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error_class = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ok=False) | models.Q(error_class=""),
                name="backups_backuprun_ok_has_no_error",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name or '-'} {'ok' if self.ok else 'failed'}"


classify(
    "backups.backuprun",
    internal=(
        "id",
        "started_at",
        "finished_at",
        "ok",
        "trigger",
        "file_name",
        "size_bytes",
        "sha256",
        "error_class",
    ),
)
