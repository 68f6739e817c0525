"""Public awareness (issue 7): campaigns, the activities within or outside them with their
reach (people attending, businesses contacted, materials handed out by language), and the
library of materials (posters, flyers, cards) that anyone may download.

Everything here is about the coalition's outreach, never about a person: reach is counted,
not listed.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.core.storage import encrypted_storage

SUMMARY_LIMIT = 4000


class Language(models.TextChoices):
    """Languages of materials and activities: the county's most spoken ones."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    TAGALOG = "tl", _("Tagalog")
    PUNJABI = "pa", _("Punjabi")
    KOREAN = "ko", _("Korean")
    ARABIC = "ar", _("Arabic")
    RUSSIAN = "ru", _("Russian")
    OTHER = "other", _("Another language")


class Audience(models.TextChoices):
    GENERAL_PUBLIC = "general_public", _("The general public")
    BUSINESSES = "businesses", _("Businesses")
    WORKERS = "workers", _("Workers")
    YOUTH = "youth", _("Youth and schools")
    PARENTS = "parents", _("Parents and caregivers")
    SERVICE_PROVIDERS = "service_providers", _("Service providers")
    HEALTH_CARE = "health_care", _("Health care")
    FAITH_COMMUNITIES = "faith_communities", _("Faith communities")


def _localized(english: str, spanish: str) -> str:
    return spanish if get_language() == "es" and spanish else english


class MaterialKind(models.TextChoices):
    POSTER = "poster", _("Poster")
    FLYER = "flyer", _("Flyer")
    CARD = "card", _("Card")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class Material(models.Model):
    """A downloadable material. The file is kept outside the web root under a random name
    and leaves only through the download view, which checks visibility."""

    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=SUMMARY_LIMIT, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MaterialKind.choices, default=MaterialKind.POSTER
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    audience = models.CharField(
        _("audience"), max_length=32, choices=Audience.choices, default=Audience.GENERAL_PUBLIC
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Unchecked: only members see and download it.")
    )
    file = models.FileField(
        _("file"), storage=encrypted_storage, upload_to="awareness/", max_length=200
    )
    # Told by the file's content when it was uploaded, never by its name.
    content_type = models.CharField(max_length=64)
    file_size = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        indexes = [models.Index(fields=["language", "audience"], name="awareness_material_filter")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awareness:material-download", kwargs={"pk": self.pk})

    @property
    def title_text(self) -> str:
        return _localized(self.title, self.title_es)

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
            self.content_type, "bin"
        )

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Campaign(models.Model):
    """A period of outreach with its audiences, languages and materials, such as January's
    Human Trafficking Awareness Month."""

    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=SUMMARY_LIMIT)
    summary_es = models.TextField(_("summary (Spanish)"), max_length=SUMMARY_LIMIT, blank=True)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    materials = models.ManyToManyField(
        Material, blank=True, related_name="campaigns", verbose_name=_("materials")
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Unchecked: only members see it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="awareness_campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awareness:campaign-detail", kwargs={"pk": self.pk})

    @property
    def title_text(self) -> str:
        return _localized(self.title, self.title_es)

    @property
    def summary_text(self) -> str:
        return _localized(self.summary, self.summary_es)

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[value]) for value in self.audiences if value in labels]

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[value]) for value in self.languages if value in labels]


class ActivityKind(models.TextChoices):
    COMMUNITY_EVENT = "community_event", _("Community event")
    PROCLAMATION = "proclamation", _("Proclamation")
    SCREENING = "screening", _("Film screening")
    BUSINESS_TRAINING = "business_training", _("Training for businesses")
    POSTER_OUTREACH = "poster_outreach", _("Poster outreach to businesses (SB 1193)")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class Activity(models.Model):
    """An awareness activity; ``uid`` and ``sequence`` play the same part as a meeting's
    in calendar feeds. Its reach is recorded once it is held."""

    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=ActivityKind.choices, default=ActivityKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=SUMMARY_LIMIT, blank=True)
    description_es = models.TextField(
        _("description (Spanish)"), max_length=SUMMARY_LIMIT, blank=True
    )
    language = models.CharField(
        _("main language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    location = models.CharField(_("location"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Unchecked: only members see it.")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.SCHEDULED,
    )
    people_reached = models.PositiveIntegerField(_("people attending or reached"), default=0)
    businesses_contacted = models.PositiveIntegerField(_("businesses contacted"), default=0)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="awareness_activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awareness:activity-detail", kwargs={"pk": self.pk})

    @property
    def title_text(self) -> str:
        return _localized(self.title, self.title_es)

    @property
    def description_text(self) -> str:
        return _localized(self.description, self.description_es)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ActivityStatus.CANCELLED


class MaterialDistribution(models.Model):
    """Copies of materials handed out at an activity, in one language."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="distributions")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    material = models.ForeignKey(
        Material,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="distributions",
        verbose_name=_("material"),
    )
    quantity = models.PositiveIntegerField(_("copies"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("materials distributed")
        verbose_name_plural = _("materials distributed")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="awareness_distribution_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} ({self.language})"


_STAMPS = ("created_at", "updated_at")
classify(
    "awareness.material",
    public=(
        "id",
        "title",
        "title_es",
        "description",
        "kind",
        "language",
        "audience",
        "is_public",
        "file",
        "content_type",
        "file_size",
        "retired_at",
        *_STAMPS,
    ),
)
classify(
    "awareness.campaign",
    public=(
        "id",
        "title",
        "title_es",
        "summary",
        "summary_es",
        "starts_on",
        "ends_on",
        "audiences",
        "languages",
        "materials",
        "is_public",
        *_STAMPS,
    ),
)
classify(
    "awareness.activity",
    public=(
        "id",
        "campaign",
        "kind",
        "title",
        "title_es",
        "description",
        "description_es",
        "language",
        "starts_at",
        "ends_at",
        "time_zone",
        "location",
        "is_public",
        "status",
        "people_reached",
        "businesses_contacted",
        "uid",
        "sequence",
        *_STAMPS,
    ),
)
classify(
    "awareness.materialdistribution",
    public=("id", "activity", "language", "material", "quantity"),
)
