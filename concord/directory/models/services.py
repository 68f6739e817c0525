"""Services and the details only a service has: areas, costs, required documents, and the
link of a service to the locations where it is delivered."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.directory.models.base import (
    HsdsModel,
    ServiceStatus,
    Visibility,
    choice_constraint,
)


class Service(HsdsModel):
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="services"
    )
    program = models.ForeignKey(
        "directory.Program",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.CharField(_("website"), max_length=500, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=ServiceStatus.choices)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    fees_description = models.TextField(blank=True)
    wait_time = models.TextField(blank=True)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    # HSDS types ages as numbers, not integers (an infant service may start at 0.5).
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    # HSDS's "date the information was last checked": Concord's "last verified".
    assured_date = models.DateField(_("last verified"), null=True, blank=True)
    assurer_email = models.CharField(max_length=254, blank=True)
    licenses = models.TextField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    # Concord's addition: a partners-only service never appears in public output.
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["status", "visibility"], name="directory_service_status_idx"),
        ]
        constraints = [
            choice_constraint("status", ServiceStatus, "directory_service_status_valid"),
            choice_constraint("visibility", Visibility, "directory_service_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceArea(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.TextField(blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=32, blank=True)
    uri = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name[:60]


class CostOption(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.TextField(blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.option[:60]


class RequiredDocument(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="required_documents"
    )
    document = models.TextField(blank=True)
    uri = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.document[:60]


class ServiceAtLocation(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        "directory.Location", on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


classify(
    "directory.service",
    public=(
        "id",
        "organization",
        "program",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "licenses",
        "alert",
        "last_modified",
    ),
    # The person who verified the listing may be a named staff member: kept off public
    # output. Visibility itself is an editorial setting, not something to publish.
    internal=("assurer_email", "visibility"),
)
classify(
    "directory.servicearea",
    public=("id", "service", "name", "description", "extent", "extent_type", "uri"),
)
classify(
    "directory.costoption",
    public=(
        "id",
        "service",
        "valid_from",
        "valid_to",
        "option",
        "currency",
        "amount",
        "amount_description",
    ),
)
classify("directory.requireddocument", public=("id", "service", "document", "uri"))
classify("directory.serviceatlocation", public=("id", "service", "location", "description"))
