"""What every HSDS table shares, and the HSDS enumerations."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class HsdsModel(models.Model):
    # HSDS identifies every record by a UUID named `id`, stable across systems, so records
    # imported from another directory keep their identity and a re-import updates them.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Visibility(models.TextChoices):
    """Concord's addition: who may see a service. HSDS has no such notion."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Coalition partners only")


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")


def choice_constraint(
    field: str, choices: type[models.TextChoices], name: str, *, blank: bool = False
) -> models.CheckConstraint:
    allowed = models.Q(**{f"{field}__in": choices.values})
    if blank:
        allowed |= models.Q(**{field: ""})
    return models.CheckConstraint(condition=allowed, name=name)
