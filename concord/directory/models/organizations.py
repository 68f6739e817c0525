"""Organizations and what hangs off them alone: identifiers, programs, funding."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.directory.models.base import HsdsModel


class Organization(HsdsModel):
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    email = models.CharField(_("email"), max_length=254, blank=True)
    website = models.CharField(_("website"), max_length=500, blank=True)
    tax_status = models.CharField(_("tax status"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=200, blank=True)
    year_incorporated = models.IntegerField(_("year incorporated"), null=True, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    logo = models.CharField(_("logo"), max_length=500, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Concord's addition: the member agency that runs this organization, if any.
    agency = models.OneToOneField(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organization",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=200, blank=True)
    identifier_type = models.CharField(max_length=200)
    identifier = models.CharField(max_length=200)

    class Meta:
        ordering = ["identifier_type", "identifier"]

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"


class Program(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Funding(HsdsModel):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funding",
    )
    source = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.source[:60]


classify(
    "directory.organization",
    public=(
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "uri",
        "parent_organization",
    ),
    internal=("agency",),
)
classify(
    "directory.organizationidentifier",
    public=("id", "organization", "identifier_scheme", "identifier_type", "identifier"),
)
classify(
    "directory.program",
    public=("id", "organization", "name", "alternate_name", "description"),
)
classify("directory.funding", public=("id", "organization", "service", "source"))
