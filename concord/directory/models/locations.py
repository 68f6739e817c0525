"""Locations, their addresses and accessibility."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify
from concord.directory.models.base import HsdsModel, LocationType, choice_constraint


class Location(HsdsModel):
    location_type = models.CharField(
        _("location type"), max_length=16, choices=LocationType.choices
    )
    url = models.CharField(max_length=500, blank=True)
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=200, blank=True)
    external_identifier_type = models.CharField(max_length=200, blank=True)
    # Concord's addition, which HSDS lacks: a shelter or safe house. Its addresses,
    # coordinates and anything else that pinpoints it never leave in public output.
    is_confidential = models.BooleanField(_("confidential location"), default=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            choice_constraint("location_type", LocationType, "directory_location_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(HsdsModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=300)
    address_2 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=200)
    region = models.CharField(max_length=200, blank=True)
    state_province = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=32)
    country = models.CharField(max_length=2)
    address_type = models.CharField(max_length=16, choices=LocationType.choices)

    class Meta:
        verbose_name_plural = _("addresses")
        # The search's city filter compares cities without regard to case.
        indexes = [models.Index(Lower("city"), name="directory_address_city_idx")]
        constraints = [
            choice_constraint("address_type", LocationType, "directory_address_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Accessibility(HsdsModel):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return self.description[:60]


# Where a location is confidential, its address and position would lead to the people it
# shelters. The class is per field, not per row, so these fields take the stricter class;
# the public serializer publishes them only for locations that are not confidential.
classify(
    "directory.location",
    public=(
        "id",
        "location_type",
        "url",
        "organization",
        "name",
        "alternate_name",
        "description",
        "is_confidential",
    ),
    internal=(
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ),
)
classify(
    "directory.address",
    public=("id", "location", "address_type", "country"),
    internal=(
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
    ),
)
classify("directory.accessibility", public=("id", "location", "description", "details", "url"))
