from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class Sector(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PROSECUTION = "prosecution", _("Prosecution")
    VICTIM_SERVICES = "victim_services", _("Victim services")
    HEALTH_CARE = "health_care", _("Health care")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    EDUCATION = "education", _("Education")
    LABOR_WORKFORCE = "labor_workforce", _("Labor and workforce")
    IMMIGRATION_LEGAL = "immigration_legal", _("Immigration and legal services")
    FAITH_BASED = "faith_based", _("Faith-based")
    COMMUNITY_BASED = "community_based", _("Community-based")
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    SURVIVOR_LED = "survivor_led", _("Survivor-led")
    OTHER = "other", _("Other")


class AgencyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> "AgencyQuerySet":
        return self.filter(status=AgencyStatus.ACTIVE)


class Agency(models.Model):
    """A member organisation of the coalition."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True, default="CA")
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    service_area = models.CharField(_("service area"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AgencyStatus.choices, default=AgencyStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        # The duplicates flag of membership applications looks agencies up by name,
        # whatever its case.
        indexes = [models.Index(Lower("name"), name="agency_name_lower_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AgencyStatus.values), name="agency_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(sector__in=Sector.values), name="agency_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:agency-detail", args=[self.pk])


classify(
    "agencies.agency",
    public=("name", "sector", "website", "service_area"),
    internal=(
        "id",
        "street_address",
        "city",
        "state",
        "postal_code",
        "phone",
        "status",
        "created_at",
        "updated_at",
    ),
)
