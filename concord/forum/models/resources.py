"""The resource library: curated pointers to the coalition's documents, to forum threads
shared as best practices, and to other sites."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", _("Coalition document")
    THREAD = "thread", _("Best practice from the forum")
    LINK = "link", _("External link")


class ResourceVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")


class ResourceAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    SERVICE_PROVIDERS = "service_providers", _("Service providers and advocates")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement and prosecutors")
    HEALTH = "health", _("Health care")
    EDUCATION = "education", _("Schools and youth workers")
    BUSINESSES = "businesses", _("Businesses")
    SURVIVORS = "survivors", _("Survivors and families")


class ResourceLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    BOTH = "en-es", _("English and Spanish")
    OTHER = "other", _("Other languages")


class Resource(models.Model):
    """One entry of the resource library. Exactly one of ``document``, ``thread`` and
    ``url`` is set, as ``kind`` says. A thread is members-only whatever ``visibility``
    says: the forum is."""

    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), max_length=2000, blank=True)
    audience = models.CharField(
        _("audience"), max_length=24, choices=ResourceAudience.choices, default="everyone"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=ResourceLanguage.choices, default="en"
    )
    tags = models.CharField(
        _("tags"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, for example: labor trafficking, hotels"),
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=16,
        choices=ResourceVisibility.choices,
        default=ResourceVisibility.MEMBERS,
    )
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resources",
    )
    thread = models.OneToOneField(
        "forum.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="resource"
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="document", document__isnull=False, thread__isnull=True, url="")
                    | models.Q(kind="thread", document__isnull=True, thread__isnull=False, url="")
                    | (
                        models.Q(kind="link", document__isnull=True, thread__isnull=True)
                        & ~models.Q(url="")
                    )
                ),
                name="forum_resource_kind_matches_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="thread") | models.Q(visibility="members"),
                name="forum_resource_thread_members_only",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        return (self.title_es if get_language() == "es" else "") or self.title

    @property
    def summary_text(self) -> str:
        return (self.summary_es if get_language() == "es" else "") or self.summary

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def href(self) -> str:
        if self.kind == ResourceKind.DOCUMENT and self.document is not None:
            return self.document.get_absolute_url()
        if self.kind == ResourceKind.THREAD and self.thread is not None:
            return self.thread.get_absolute_url()
        return self.url

    @property
    def is_external(self) -> bool:
        return self.kind == ResourceKind.LINK


classify(
    "forum.resource",
    public=(
        "id",
        "kind",
        "title",
        "title_es",
        "summary",
        "summary_es",
        "audience",
        "language",
        "tags",
        "visibility",
        "document",
        "url",
    ),
    internal=("thread", "created_by", "created_at", "updated_at"),
)
