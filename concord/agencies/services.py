from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.agencies.models import Agency, AgencyStatus
from concord.audit.services import record_event

EDITABLE_FIELDS = (
    "name",
    "sector",
    "street_address",
    "city",
    "state",
    "postal_code",
    "service_area",
    "website",
    "phone",
)

STATUS_TRANSITIONS: dict[str, set[str]] = {
    AgencyStatus.ACTIVE: {AgencyStatus.LAPSED, AgencyStatus.WITHDRAWN},
    AgencyStatus.LAPSED: {AgencyStatus.ACTIVE, AgencyStatus.WITHDRAWN},
    AgencyStatus.WITHDRAWN: {AgencyStatus.ACTIVE},
}


@transaction.atomic
def create_agency(*, actor: User, values: Mapping[str, Any]) -> Agency:
    agency = Agency(**{field: values[field] for field in EDITABLE_FIELDS if field in values})
    agency.full_clean()
    agency.save()
    record_event(actor=actor, action="concord.agency.created", target=agency, agency=agency)
    return agency


@transaction.atomic
def update_agency(*, actor: User, agency: Agency, values: Mapping[str, Any]) -> Agency:
    changed = [
        field
        for field in EDITABLE_FIELDS
        if field in values and getattr(agency, field) != values[field]
    ]
    if not changed:
        return agency
    for field in changed:
        setattr(agency, field, values[field])
    agency.full_clean()
    agency.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action="concord.agency.updated",
        target=agency,
        agency=agency,
        data={"fields": changed},
    )
    return agency


@transaction.atomic
def change_agency_status(*, actor: User | None, agency: Agency, status: str) -> Agency:
    """Move an agency to ``status``; ``actor`` is None for the scheduler's changes."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if status not in STATUS_TRANSITIONS.get(agency.status, set()):
        raise ValidationError(
            _("An agency cannot go from %(old)s to %(new)s.")
            % {
                "old": agency.get_status_display(),
                "new": dict(AgencyStatus.choices).get(status, status),
            },
            code="invalid_transition",
        )
    old = agency.status
    agency.status = status
    agency.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action="concord.agency.status_changed",
        target=agency,
        agency=agency,
        data={"from": old, "to": status},
    )
    return agency
