"""Agencies propose new or changed locations of their organization; coordinators publish
or reject them through the same review as services (issue 5)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.directory.models import (
    LOCATION_FIELDS,
    Address,
    ChangeKind,
    ChangeStatus,
    ListingChange,
    Location,
    LocationType,
    Organization,
    Service,
    ServiceAtLocation,
)
from concord.directory.services import listing_details as details
from concord.directory.services.listings import (
    changed_fields,
    check_transition,
    decide,
    locked,
    write_metadata,
)

ADDRESS_FIELDS = ("address_1", "city", "state_province", "postal_code", "country")


def location_values(location: Location) -> dict[str, Any]:
    address = location.addresses.order_by("id").first()
    values: dict[str, Any] = {
        "name": location.name,
        "is_confidential": location.is_confidential,
        **{name: getattr(address, name, "") for name in ADDRESS_FIELDS},
        "phones": details.phones_of(location),
        "hours": details.hours_of(location),
        "services": sorted(
            str(service_id)
            for service_id in location.service_at_locations.values_list("service_id", flat=True)
        ),
    }
    return values


def clean_location_values(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {
        name: str(values.get(name) or "").strip() for name in ("name", *ADDRESS_FIELDS)
    }
    clean["is_confidential"] = bool(values.get("is_confidential"))
    clean["phones"] = details.clean_phones(values.get("phones"))
    clean["hours"] = details.clean_hours(values.get("hours"))
    clean["services"] = sorted({str(service_id) for service_id in values.get("services") or []})
    return clean


def _check_values(organization: Organization, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not values["is_confidential"]:
        for name in ("address_1", "city", "state_province", "postal_code"):
            if not values[name]:
                errors[name] = _("Required unless the location is confidential.")
    own = {
        str(pk)
        for pk in Service.objects.filter(organization=organization).values_list("pk", flat=True)
    }
    if set(values["services"]) - own:
        errors["services"] = _("Choose only services of this organization.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def propose_location_change(
    *,
    actor: User,
    organization: Organization,
    location: Location | None,
    values: dict[str, Any],
) -> ListingChange:
    """Record a pending change to ``location`` of ``organization`` (a new one when None)."""
    if location is not None and location.organization_id != organization.pk:
        raise ValidationError(_("This location belongs to another organization."))
    clean = clean_location_values(values)
    _check_values(organization, clean)
    change = ListingChange.objects.create(
        kind=ChangeKind.LOCATION,
        location=location,
        organization=organization,
        values=clean,
        author=actor,
    )
    record_event(
        actor=actor,
        action="concord.listing.location_proposed",
        target=change,
        agency=organization.agency,
        data={"location": str(location.pk) if location else "", "new": location is None},
    )
    return change


def _write_address(location: Location, values: dict[str, Any]) -> None:
    addresses = location.addresses.order_by("id")
    if not values["address_1"]:
        addresses.delete()
        return
    address = addresses.first() or Address(location=location, address_type=LocationType.PHYSICAL)
    for name in ADDRESS_FIELDS:
        setattr(address, name, values[name])
    address.country = address.country or "US"
    address.save()


def _write_services(location: Location, organization_id: Any, service_ids: list[str]) -> None:
    # Links to other organizations' services at a shared location stay as they are.
    links = ServiceAtLocation.objects.filter(
        location=location, service__organization_id=organization_id
    )
    links.exclude(service_id__in=service_ids).delete()
    linked = {str(pk) for pk in links.values_list("service_id", flat=True)}
    ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(location=location, service_id=service_id)
        for service_id in service_ids
        if service_id not in linked
    )


@transaction.atomic
def publish_location_change(*, actor: User, change: ListingChange) -> Location:
    """Apply a pending location change (creating the location if new), with one HSDS
    metadata row per changed field."""
    change = locked(change)
    check_transition(change, ChangeStatus.PUBLISHED)
    after = clean_location_values(change.values)
    # Services may have left the organization since the proposal.
    own = Service.objects.filter(organization_id=change.organization_id)
    after["services"] = sorted(
        str(pk) for pk in own.filter(pk__in=after["services"]).values_list("pk", flat=True)
    )
    created = change.location_id is None
    if change.location_id is None:
        location = Location(
            organization_id=change.organization_id, location_type=LocationType.PHYSICAL
        )
        before: dict[str, Any] = {}
    else:
        location = Location.objects.select_for_update().get(pk=change.location_id)
        before = location_values(location)
    location.name = after["name"]
    location.is_confidential = after["is_confidential"]
    location.save()
    _write_address(location, after)
    details.write_phones(location, after["phones"])
    details.write_hours(location, after["hours"])
    _write_services(location, change.organization_id, after["services"])
    changed = changed_fields(LOCATION_FIELDS, before, after)
    write_metadata(
        actor=actor,
        resource=location,
        resource_type="location",
        created=created,
        changed=changed,
        before=before,
        after=after,
    )
    change.location = location
    decide(change, actor=actor, status=ChangeStatus.PUBLISHED)
    change.save(update_fields=["location", "status", "reviewer", "decided_at"])
    record_event(
        actor=actor,
        action="concord.listing.location_published",
        target=change,
        agency=change.organization.agency,
        data={"location": str(location.pk), "fields": changed},
    )
    return location
