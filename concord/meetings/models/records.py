"""What a meeting produces: agenda, minutes, motions, action items, attendance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=150, blank=True)
    minutes_allotted = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    document_url = models.URLField(_("document link"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField(_("minutes"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_at_meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"minutes of {self.meeting_id}"


class Motion(models.Model):
    class Result(models.TextChoices):
        CARRIED = "carried", _("Carried")
        FAILED = "failed", _("Failed")
        TABLED = "tabled", _("Tabled")

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="motions"
    )
    text = models.TextField(_("motion"))
    yes = models.PositiveSmallIntegerField(_("yes"), default=0)
    no = models.PositiveSmallIntegerField(_("no"), default=0)
    abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    committee = models.ForeignKey(
        "meetings.Committee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_owner_open_idx")]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    checked_in = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")
        ]
        indexes = [models.Index(fields=["person", "status"], name="attendance_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.status}"


classify(
    "meetings.agendaitem",
    internal=(
        "id",
        "meeting",
        "position",
        "title",
        "presenter",
        "minutes_allotted",
        "document_url",
    ),
)
classify(
    "meetings.minutes",
    internal=("id", "meeting", "text", "status", "approved_at_meeting", "updated_at"),
)
classify("meetings.motion", internal=("id", "meeting", "text", "yes", "no", "abstain", "result"))
classify(
    "meetings.actionitem",
    internal=("id", "meeting", "committee", "title", "owner", "due_on", "status", "completed_at"),
)
classify(
    "meetings.attendance",
    internal=("id", "meeting", "person", "status", "checked_in", "recorded_at"),
)
