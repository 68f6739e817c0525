"""Trainings (issue 7): the catalogue, scheduled sessions, registrations with a waitlist,
attendance, certificates of completion and evaluations.

A registration belongs either to a signed-in person (one click) or to a member of the public
(name, email, affiliation), who confirms by email before the seat is theirs. Seats go in the
order registrations are confirmed; the rest wait in that order.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.agencies.models import Sector
from concord.core.sensitivity import classify

SUMMARY_LIMIT = 2000
COMMENT_LIMIT = 2000


class Audience(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    HEALTH_CARE = "health_care", _("Health care")
    SCHOOLS = "schools", _("Schools")
    HOSPITALITY = "hospitality", _("Hospitality")
    LABOR_INSPECTORS = "labor_inspectors", _("Labor inspectors")
    FAITH_COMMUNITIES = "faith_communities", _("Faith communities")
    SERVICE_PROVIDERS = "service_providers", _("Service providers")
    GENERAL_PUBLIC = "general_public", _("The general public")


class TrainingLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    BOTH = "en_es", _("English and Spanish")


class Training(models.Model):
    """A training in the catalogue; it is given in sessions."""

    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=SUMMARY_LIMIT)
    summary_es = models.TextField(_("summary (Spanish)"), max_length=SUMMARY_LIMIT, blank=True)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    learning_objectives = models.TextField(
        _("learning objectives"), max_length=SUMMARY_LIMIT, blank=True, help_text=_("One a line.")
    )
    length_minutes = models.PositiveIntegerField(_("length in minutes"))
    language = models.CharField(
        _("language"), max_length=8, choices=TrainingLanguage.choices, default="en"
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trainings_given",
        verbose_name=_("trainers"),
    )
    trainer_agencies = models.ManyToManyField(
        "agencies.Agency",
        blank=True,
        related_name="trainings_given",
        verbose_name=_("training agencies"),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(length_minutes__gt=0), name="training_length_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:training-detail", kwargs={"pk": self.pk})

    @property
    def title_text(self) -> str:
        return self.title_es if get_language() == "es" and self.title_es else self.title

    @property
    def summary_text(self) -> str:
        return self.summary_es if get_language() == "es" and self.summary_es else self.summary

    @property
    def hours(self) -> float:
        return round(self.length_minutes / 60, 2)


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingSession(models.Model):
    """One scheduled session of a training. ``uid`` and ``sequence`` play the same part as
    a meeting's in calendar feeds."""

    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    location = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_deadline = models.DateTimeField(_("registration closes"))
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    evaluations_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="training_session_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training.title} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session-detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses that hold a place in the session (a seat or a waitlist position).
HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class Registration(models.Model):
    """A person's place in a session: a seat, a waitlist position, or not yet confirmed.

    ``public_id`` is what links in emails carry (signed), never the email address.
    ``queued_at`` orders the waitlist: the time the place was confirmed.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    affiliation = models.CharField(_("agency or affiliation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    language = models.CharField(_("preferred language"), max_length=8, default="en")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live place per address per session: a second registration is refused,
            # and two racing ones give one row.
            models.UniqueConstraint(
                "session",
                models.functions.Lower("email"),
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="one_live_registration_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"], name="registration_queue_idx")
        ]

    def __str__(self) -> str:
        return f"registration {self.public_id}"


class Certificate(models.Model):
    """A certificate of completion; anyone can check ``code`` at /certificates/<code>/.

    The names and figures are copied when it is issued, so a later edit of the training
    does not change what was certified.
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=32, unique=True)
    holder_name = models.CharField(max_length=200)
    training_title = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    session_date = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("trainings:certificate-verify", kwargs={"code": self.code})


class Evaluation(models.Model):
    """An attendee's evaluation of a session: ratings from 1 to 5 and a comment."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    overall = models.PositiveSmallIntegerField(_("overall"))
    content = models.PositiveSmallIntegerField(_("content"))
    trainer = models.PositiveSmallIntegerField(_("trainers"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness for my work"))
    comments = models.TextField(_("comments"), max_length=COMMENT_LIMIT, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__range=(1, 5))
                & Q(content__range=(1, 5))
                & Q(trainer__range=(1, 5))
                & Q(usefulness__range=(1, 5)),
                name="evaluation_ratings_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"evaluation {self.pk}"


_STAMPS = ("created_at", "updated_at")
classify(
    "trainings.training",
    public=(
        "id",
        "title",
        "title_es",
        "summary",
        "summary_es",
        "audiences",
        "learning_objectives",
        "length_minutes",
        "language",
        "trainers",
        "trainer_agencies",
        "is_active",
        *_STAMPS,
    ),
)
classify(
    "trainings.trainingsession",
    public=(
        "id",
        "training",
        "starts_at",
        "ends_at",
        "time_zone",
        "delivery",
        "location",
        "capacity",
        "registration_deadline",
        "visibility",
        "status",
        "uid",
        "sequence",
        *_STAMPS,
    ),
    internal=("online_url", "evaluations_sent_at"),
)
classify(
    "trainings.registration",
    internal=(
        "id",
        "public_id",
        "session",
        "person",
        "sector",
        "language",
        "status",
        "queued_at",
        "attended",
        "attendance_recorded_at",
        *_STAMPS,
    ),
    personal=("name", "email", "affiliation"),
)
classify(
    "trainings.certificate",
    public=("code", "training_title", "hours", "session_date", "issued_at", "revoked_at"),
    internal=("id", "registration"),
    # Shown on the public verification page only to someone who already holds the code.
    personal=("holder_name",),
)
classify(
    "trainings.evaluation",
    internal=(
        "id",
        "registration",
        "overall",
        "content",
        "trainer",
        "usefulness",
        "submitted_at",
    ),
    personal=("comments",),
)
