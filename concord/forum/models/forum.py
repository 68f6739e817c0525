"""The members' forum: categories, threads, posts with their edit history, subscriptions
and the reports members make about posts."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify

BODY_LIMIT = 20_000


class Category(models.Model):
    """A place for threads. Without a committee it is open to every member; a committee's
    category is for that committee's members (and coordinators) only."""

    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    committee = models.ForeignKey(
        "meetings.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_categories",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="forum_category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category-detail", args=[self.pk])

    @property
    def name_text(self) -> str:
        return (self.name_es if get_language() == "es" else "") or self.name

    @property
    def description_text(self) -> str:
        return (self.description_es if get_language() == "es" else "") or self.description


class Thread(models.Model):
    """A discussion: its first post opens it, the others reply. ``reply_count`` and
    ``last_post_at`` are kept current by the services, so lists need no counting."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_threads"
    )
    locked = models.BooleanField(_("locked"), default=False)
    is_best_practice = models.BooleanField(_("shared best practice"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField()
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["category", "-last_post_at"], name="forum_thread_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread-detail", args=[self.pk])


class Post(models.Model):
    """One message of a thread, in Markdown. A coordinator may hide it, with a reason;
    members then see that it was hidden, not what it said."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    body = models.TextField(_("message"), max_length=BODY_LIMIT)
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quoted_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Set when the immediate notifications of this post were sent, so a retried task
    # does not send them twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="forum_post_in_thread"),
            models.Index(fields=["created_at"], name="forum_post_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="forum_hidden_post_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:thread-detail", args=[self.thread_id]) + f"#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """The body a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=BODY_LIMIT)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id}"


class SubscriptionMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An email for every new post")
    DIGEST = "digest", _("One email a day listing new posts")


class Subscription(models.Model):
    """A person follows a thread or a whole category, by email."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mode = models.CharField(
        _("how"),
        max_length=16,
        choices=SubscriptionMode.choices,
        default=SubscriptionMode.IMMEDIATE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The daily digest covers posts up to this moment; the next one starts there.
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(thread__isnull=True, category__isnull=False)
                | models.Q(thread__isnull=False, category__isnull=True),
                name="forum_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["person", "thread"],
                condition=models.Q(thread__isnull=False),
                name="forum_one_subscription_per_thread",
            ),
            models.UniqueConstraint(
                fields=["person", "category"],
                condition=models.Q(category__isnull=False),
                name="forum_one_subscription_per_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.thread_id or self.category_id}"


class PostReport(models.Model):
    """A member tells the coordinators that a post should not be in the forum."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_reports"
    )
    reason = models.TextField(_("what is wrong with this post"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["handled_at"], name="forum_report_open")]

    def __str__(self) -> str:
        return f"Report {self.pk} on post {self.post_id}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


# Forum text is members-only (internal). It must never hold survivor data: the forms say so.
classify(
    "forum.category",
    public=("id", "name", "name_es"),
    internal=("description", "description_es", "committee", "position", "created_at"),
)
classify(
    "forum.thread",
    internal=(
        "id",
        "category",
        "title",
        "author",
        "locked",
        "is_best_practice",
        "created_at",
        "last_post_at",
        "reply_count",
    ),
)
classify(
    "forum.post",
    internal=(
        "id",
        "thread",
        "author",
        "body",
        "quoted",
        "created_at",
        "edited_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "notified_at",
    ),
)
classify("forum.postrevision", internal=("id", "post", "body", "edited_by", "edited_at"))
classify(
    "forum.subscription",
    internal=("id", "person", "thread", "category", "mode", "created_at", "digest_sent_at"),
)
classify(
    "forum.postreport",
    internal=("id", "post", "reporter", "reason", "created_at", "handled_at", "handled_by"),
)
