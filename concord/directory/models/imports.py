"""Imports of HSDS data uploaded by coordinators (issue 5): one row per upload, which the
background task updates as it reads, checks and writes the file."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.directory.models.base import choice_constraint

# At most this many problems are kept per run; ``problem_count`` holds the true number.
PROBLEMS_KEPT = 200


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ImportPhase(models.TextChoices):
    WAITING = "waiting", _("Waiting for its turn")
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Writing to the directory")
    DONE = "done", _("Done")


class ImportFormat(models.TextChoices):
    JSON = "json", _("HSDS JSON")
    ZIP = "zip", _("ZIP of a tabular package")


class ImportRun(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="directory_imports",
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # The name as the browser sent it, reduced to its last part without control characters;
    # the file itself is stored under ``stored_name``, random, until the run ends.
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(max_length=8, choices=ImportFormat.choices)
    stored_name = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    phase = models.CharField(
        max_length=16, choices=ImportPhase.choices, default=ImportPhase.WAITING
    )
    # Rows done of the current phase's total, written at most twice a second.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # {table: {"created": n, "updated": n, "unchanged": n}}
    counts = models.JSONField(default=dict, blank=True)
    # The first PROBLEMS_KEPT problems as {"file", "row", "field", "message"}.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("directory import")
        verbose_name_plural = _("directory imports")
        constraints = [
            choice_constraint("status", ImportStatus, "directory_importrun_status_valid"),
            choice_constraint("phase", ImportPhase, "directory_importrun_phase_valid"),
            choice_constraint("file_format", ImportFormat, "directory_importrun_format_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("directory:import-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    def total_of(self, outcome: str) -> int:
        return sum(int(count.get(outcome, 0)) for count in self.counts.values())

    @property
    def created_count(self) -> int:
        return self.total_of("created")

    @property
    def updated_count(self) -> int:
        return self.total_of("updated")

    @property
    def unchanged_count(self) -> int:
        return self.total_of("unchanged")


classify(
    "directory.importrun",
    internal=(
        "id",
        "uploaded_by",
        "created",
        "started",
        "finished",
        "file_name",
        "file_format",
        "stored_name",
        "status",
        "phase",
        "done",
        "total",
        "counts",
        "problems",
        "problem_count",
    ),
)
