"""Proposed changes to the directory by member agencies, reviewed before they are
published (issue 5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.directory.models.base import choice_constraint


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


# Only a pending change is decided, and a decision is final: a rejected change is
# proposed again as a new one, so the history of each stays as it was.
CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChangeStatus.PENDING: frozenset({ChangeStatus.PUBLISHED, ChangeStatus.REJECTED}),
    ChangeStatus.PUBLISHED: frozenset(),
    ChangeStatus.REJECTED: frozenset(),
}

# The service fields an agency proposes values for, in the order the pages show them.
EDITABLE_FIELDS = (
    "name",
    "description",
    "status",
    "visibility",
    "eligibility_description",
    "fees_description",
    "application_process",
    "minimum_age",
    "maximum_age",
)
# What a service proposal holds besides EDITABLE_FIELDS: category term ids, language
# codes, phones ({"number", "description"}) and weekly hours ({"MO": ["09:00", "17:00"]}).
SERVICE_DETAILS = ("categories", "languages", "phones", "hours")
# The values of a location proposal, in the order the pages show them; "services" holds
# the ids of the organization's services offered there.
LOCATION_FIELDS = (
    "name",
    "is_confidential",
    "address_1",
    "city",
    "state_province",
    "postal_code",
    "country",
    "phones",
    "hours",
    "services",
)


class ChangeKind(models.TextChoices):
    SERVICE = "service", _("Service")
    LOCATION = "location", _("Location")


class ListingChange(models.Model):
    """A proposed new or changed service or location of one organization. One model for
    both kinds, so review, publishing and the queue of pending changes stay one workflow."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=ChangeKind.choices, default=ChangeKind.SERVICE
    )
    # Null for a proposed new service, which publishing creates.
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listing_changes",
    )
    # Null for a proposed new location, which publishing creates.
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listing_changes",
    )
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="listing_changes"
    )
    # The proposed values of EDITABLE_FIELDS plus "categories" (taxonomy term ids), as
    # JSON so a change proposes a whole listing and review compares it field by field.
    values = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="listing_changes",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_listing_changes",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("listing change")
        verbose_name_plural = _("listing changes")
        constraints = [
            choice_constraint("status", ChangeStatus, "directory_listingchange_status_valid"),
            choice_constraint("kind", ChangeKind, "directory_listingchange_kind_valid"),
            # A change names at most the one record of its kind.
            models.CheckConstraint(
                condition=(
                    models.Q(kind=ChangeKind.SERVICE, location__isnull=True)
                    | models.Q(kind=ChangeKind.LOCATION, service__isnull=True)
                ),
                name="directory_listingchange_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.values.get('name', '')}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directory:change-detail", kwargs={"pk": self.pk})


class ReminderKind(models.TextChoices):
    VERIFY = "verify", _("Asked to re-verify")
    STALE = "stale", _("Reported stale")


class ListingReminder(models.Model):
    """A reminder already sent, so the daily job sends each one once: ``verify`` rows
    name an organization, ``stale`` rows a service."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listing_reminders",
    )
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="listing_reminders",
    )
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            choice_constraint("kind", ReminderKind, "directory_listingreminder_kind_valid"),
            models.UniqueConstraint(
                fields=["kind", "organization", "service", "sent_on"],
                name="directory_listingreminder_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_on}"


classify(
    "directory.listingreminder",
    internal=("id", "kind", "organization", "service", "sent_on"),
)
classify(
    "directory.listingchange",
    internal=(
        "id",
        "kind",
        "service",
        "location",
        "organization",
        "values",
        "status",
        "author",
        "reviewer",
        "reason",
        "created_at",
        "decided_at",
    ),
)
