import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class MeetingSeries(models.Model):
    """A recurring meeting of the coalition (no committee) or of one committee.

    ``rule`` is an RFC 5545 RRULE run on local wall time in ``time_zone``; an empty rule
    means "as needed": meetings are added one by one. Occurrences become Meeting rows up to
    ``generated_until`` (a rolling horizon), so agendas, minutes and attendance can attach.
    """

    committee = models.ForeignKey(
        "meetings.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="series",
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    rule = models.CharField(_("recurrence rule"), max_length=300, blank=True)
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    location = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    reminder_days = models.CharField(
        _("reminder days"),
        max_length=40,
        default="7,1",
        help_text=_("Days before each meeting that invitees are reminded, separated by commas."),
    )
    generated_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="series_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_coalition(self) -> bool:
        return self.committee_id is None

    @property
    def title_text(self) -> str:
        return (self.title_es if get_language() == "es" else "") or self.title


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """One meeting, generated from a series or added by hand.

    ``uid`` stays the same for the meeting's whole life and ``sequence`` grows with every
    change, so calendar programs update what they already hold. ``occurrence_date`` is the
    date the series rule gave it; ``is_exception`` marks a meeting changed by hand, which
    a later change of the rule leaves alone.
    """

    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    committee = models.ForeignKey(
        "meetings.Committee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    location = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    occurrence_date = models.DateField(null=True, blank=True)
    is_exception = models.BooleanField(default=False)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    check_in_token = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=models.Q(occurrence_date__isnull=False),
                name="one_meeting_per_series_occurrence",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "starts_at"], name="meeting_committee_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", args=[self.pk])

    @property
    def is_coalition(self) -> bool:
        return self.committee_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def title_text(self) -> str:
        return (self.title_es if get_language() == "es" else "") or self.title


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_rsvp_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.answer}"


class CalendarFeed(models.Model):
    """A person's private calendar feed; its URL carries a secret token and can be revoked."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_feed_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"


class Reminder(models.Model):
    """A reminder or warning that was sent: the unique key makes each one go out once."""

    class Kind(models.TextChoices):
        BEFORE_MEETING = "before_meeting", _("Meeting reminder")
        AGENDA_LATE = "agenda_late", _("Agenda not published")
        MINUTES_UNAPPROVED = "minutes_unapproved", _("Minutes not approved")
        ACTION_DUE = "action_due", _("Action item due")
        SUNSET = "sunset", _("Sub-committee sunset")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        MEETING_MOVED = "meeting_moved", _("Meeting moved")
        AGENDA_PUBLISHED = "agenda_published", _("Agenda published")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    # What the reminder is about, e.g. "meeting:12:7d" or "action:5"; plus who got it.
    subject_key = models.CharField(max_length=80)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    # Set when the email task claims the reminder, so a task run twice mails once.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "person"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key}"


classify(
    "meetings.meetingseries",
    public=(
        "id",
        "committee",
        "title",
        "title_es",
        "rule",
        "starts_on",
        "start_time",
        "end_time",
        "time_zone",
        "location",
    ),
    internal=("online_url", "reminder_days", "generated_until", "created_at", "updated_at"),
)
classify(
    "meetings.meeting",
    public=(
        "id",
        "series",
        "committee",
        "title",
        "title_es",
        "starts_at",
        "ends_at",
        "time_zone",
        "location",
        "status",
        "uid",
        "sequence",
        "occurrence_date",
    ),
    internal=(
        "online_url",
        "is_exception",
        "agenda_published_at",
        "check_in_token",
        "created_at",
        "updated_at",
    ),
)
classify("meetings.rsvp", internal=("id", "meeting", "person", "answer", "answered_at"))
classify("meetings.calendarfeed", internal=("id", "person", "token", "created_at", "revoked_at"))
classify(
    "meetings.reminder",
    internal=("id", "kind", "subject_key", "person", "sent_at", "emailed_at"),
)
