"""The policies and protocols library (issue 8): documents owned by a committee (or the
whole coalition), their versions (Markdown written in the site, or an uploaded file, never
both), members' comments on a version, and the history of the workflow.

Documents are the coalition's own knowledge, never about a survivor: no field here may
hold survivor data, and the comment form says so.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.core.storage import encrypted_storage

TEXT_LIMIT = 200_000
COMMENT_LIMIT = 10_000


class DocumentKind(models.TextChoices):
    PROTOCOL = "protocol", _("Protocol")
    POLICY = "policy", _("Policy")
    MOU = "mou", _("Memorandum of understanding")
    BEST_PRACTICE = "best_practice", _("Best practice")
    TEMPLATE = "template", _("Template")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    COMMITTEE = "committee", _("The owner committee")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMITTEE_REVIEW = "committee_review", _("Committee review")
    OPEN_FOR_COMMENT = "open_for_comment", _("Open for comment")
    COALITION_VOTE = "coalition_vote", _("Coalition vote")
    ADOPTED = "adopted", _("Adopted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETIRED = "retired", _("Retired")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    TAGALOG = "tl", _("Tagalog")
    OTHER = "other", _("Another language")


class Tag(models.Model):
    """A keyword shared by documents; names are kept in lower case."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """A policy, protocol, MOU, best practice or template.

    ``search_text`` is the document's tags and the text of its current version, folded for
    the full-text index; services keep it in step. ``review_reminded_for`` holds the
    review date the chairs were last reminded of, so each review cycle reminds once.
    """

    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    owner_committee = models.ForeignKey(
        "meetings.Committee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("owner committee"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents", verbose_name=_("tags"))
    # Comma-separated language codes ("en,es"), filtered with the helpers in queries.py.
    languages = models.CharField(_("languages"), max_length=100, default="en")
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    comment_closes_on = models.DateField(_("comments close on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    votes_yes = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    votes_no = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    vote_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted_documents",
        verbose_name=_("meeting of the vote"),
    )
    next_review_on = models.DateField(_("next review on"), null=True, blank=True, db_index=True)
    review_reminded_for = models.DateField(null=True, blank=True)
    current_version = models.ForeignKey(
        "library.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="committee") | Q(owner_committee__isnull=False),
                name="library_committee_document_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="open_for_comment") | Q(comment_closes_on__isnull=False),
                name="library_comment_period_has_end",
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "status"], name="library_document_visible"),
            models.Index(fields=["kind", "status"], name="library_document_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:document-detail", kwargs={"pk": self.pk})

    @property
    def title_text(self) -> str:
        return (self.title_es if get_language() == "es" else "") or self.title

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.language_codes]


class DocumentVersion(models.Model):
    """One version of a document: Markdown text or an uploaded file, never both.

    The file is stored encrypted under a random name outside the web root; ``file_name``
    is the uploader's name, cleaned, used only as the download name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_note = models.CharField(_("change note"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), max_length=TEXT_LIMIT, blank=True)
    file = models.FileField(
        _("file"), storage=encrypted_storage, upload_to="library/", max_length=200, blank=True
    )
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_number"),
            models.CheckConstraint(
                condition=(Q(text="") & ~Q(file="")) | (~Q(text="") & Q(file="")),
                name="library_version_text_or_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "library:version-detail", kwargs={"pk": self.document_id, "number": self.number}
        )

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class Comment(models.Model):
    """A member's comment on a version during its comment period, and the owners' answer."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=COMMENT_LIMIT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"comment {self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class StatusChange(models.Model):
    """One move through the workflow, for the document's history."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=DocumentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DocumentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status} -> {self.to_status}"


classify("library.tag", public=("id", "name"))
classify(
    "library.document",
    public=(
        "id",
        "title",
        "title_es",
        "kind",
        "owner_committee",
        "tags",
        "languages",
        "visibility",
        "status",
        "comment_closes_on",
        "effective_on",
        "votes_yes",
        "votes_no",
        "votes_abstain",
        "vote_meeting",
        "next_review_on",
        "current_version",
        "search_text",
        "created_at",
        "updated_at",
    ),
    internal=("review_reminded_for", "created_by"),
)
classify(
    "library.documentversion",
    public=(
        "id",
        "document",
        "number",
        "change_note",
        "text",
        "file",
        "file_name",
        "content_type",
        "file_size",
        "sha256",
        "created_at",
    ),
    internal=("author",),
)
classify(
    "library.comment",
    internal=(
        "id",
        "version",
        "author",
        "body",
        "created_at",
        "answer",
        "answered_by",
        "answered_at",
        "resolved_at",
        "resolved_by",
    ),
)
classify(
    "library.statuschange",
    internal=("id", "document", "from_status", "to_status", "actor", "changed_at"),
)
