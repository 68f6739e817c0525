from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class CommitteeKind(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    SUBCOMMITTEE = "subcommittee", _("Sub-committee")


class CommitteeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class Committee(models.Model):
    """A standing committee, or a time-limited sub-committee with a charge and a sunset.

    A sub-committee belongs to a committee (``parent``) or, with no parent, to the
    coalition itself. Past its sunset it is archived: read-only, still searchable.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    purpose_es = models.TextField(_("purpose (Spanish)"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CommitteeKind.choices, default=CommitteeKind.COMMITTEE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcommittees",
    )
    charge = models.TextField(_("charge"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    sunset_on = models.DateField(_("sunset on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommitteeStatus.choices, default=CommitteeStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=CommitteeKind.SUBCOMMITTEE)
                | models.Q(sunset_on__isnull=False),
                name="subcommittee_has_sunset",
            ),
            models.CheckConstraint(
                condition=models.Q(sunset_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(sunset_on__gte=models.F("starts_on")),
                name="committee_sunset_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:committee-detail", args=[self.pk])

    @property
    def name_text(self) -> str:
        return (self.name_es if get_language() == "es" else "") or self.name

    @property
    def is_archived(self) -> bool:
        return self.status == CommitteeStatus.ARCHIVED


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class CommitteeMembership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    role = models.CharField(
        max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    status = models.CharField(
        max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person"], name="one_membership_per_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.committee}"


classify(
    "meetings.committee",
    public=("id", "name", "name_es", "purpose", "purpose_es", "kind", "parent", "status"),
    internal=("charge", "starts_on", "sunset_on", "created_at", "updated_at"),
)
classify(
    "meetings.committeemembership",
    internal=("id", "committee", "person", "role", "status", "requested_at", "decided_at"),
)
