"""Agencies propose changes to their listings; coordinators publish or reject them
(issue 5). Every state change here is audited in its own transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.directory.models import (
    CHANGE_TRANSITIONS,
    EDITABLE_FIELDS,
    SERVICE_DETAILS,
    Attribute,
    ChangeKind,
    ChangeStatus,
    ListingChange,
    Metadata,
    Organization,
    Service,
)
from concord.directory.services import listing_details as details

CATEGORIES = "categories"
SERVICE_VALUES = (*EDITABLE_FIELDS, *SERVICE_DETAILS)


def _category_attributes(service: Service) -> QuerySet[Attribute]:
    # Categories are the coded terms (what search filters on); other attributes a
    # service carries, imported from elsewhere, are left alone.
    return Attribute.objects.filter(link_id=service.pk, link_entity="service").exclude(
        taxonomy_term__code=""
    )


def category_ids(service: Service) -> list[str]:
    """The ids of the category terms applied to a service, sorted for comparison."""
    return sorted(
        str(term_id)
        for term_id in _category_attributes(service).values_list("taxonomy_term_id", flat=True)
    )


def current_values(service: Service) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(service, name) for name in EDITABLE_FIELDS}
    values[CATEGORIES] = category_ids(service)
    values["languages"] = details.languages_of(service)
    values["phones"] = details.phones_of(service)
    values["hours"] = details.hours_of(service)
    return values


def clean_service_values(values: dict[str, Any]) -> dict[str, Any]:
    """The values a service proposal holds, normalized so review compares like with like."""
    clean = {name: values.get(name) for name in EDITABLE_FIELDS}
    clean[CATEGORIES] = sorted(str(term_id) for term_id in values.get(CATEGORIES) or [])
    clean["languages"] = sorted({str(code) for code in values.get("languages") or []})
    clean["phones"] = details.clean_phones(values.get("phones"))
    clean["hours"] = details.clean_hours(values.get("hours"))
    return clean


@transaction.atomic
def propose_change(
    *,
    actor: User,
    organization: Organization,
    service: Service | None,
    values: dict[str, Any],
) -> ListingChange:
    """Record a pending change to ``service`` (a new service when None)."""
    if service is not None and service.organization_id != organization.pk:
        raise ValidationError(_("This service belongs to another organization."))
    change = ListingChange.objects.create(
        kind=ChangeKind.SERVICE,
        service=service,
        organization=organization,
        values=clean_service_values(values),
        author=actor,
    )
    record_event(
        actor=actor,
        action="concord.listing.proposed",
        target=change,
        agency=organization.agency,
        data={"service": str(service.pk) if service else "", "new": service is None},
    )
    return change


def locked(change: ListingChange) -> ListingChange:
    return ListingChange.objects.select_for_update().get(pk=change.pk)


def check_transition(change: ListingChange, to: str) -> None:
    if to not in CHANGE_TRANSITIONS[change.status]:
        raise ValidationError(
            _("This change is %(status)s and cannot be changed that way.")
            % {"status": change.get_status_display().lower()},
            code="invalid_transition",
        )


def _set_categories(service: Service, term_ids: list[str]) -> None:
    _category_attributes(service).delete()
    Attribute.objects.bulk_create(
        Attribute(
            link_id=service.pk,
            link_entity="service",
            link_type="service_category",
            taxonomy_term_id=term_id,
        )
        for term_id in term_ids
    )


def changed_fields(
    names: tuple[str, ...], before: dict[str, Any], after: dict[str, Any]
) -> list[str]:
    return [
        name
        for name in names
        if details.as_text(name, before.get(name)) != details.as_text(name, after.get(name))
    ]


def write_metadata(
    *,
    actor: User,
    resource: Service | Any,
    resource_type: str,
    created: bool,
    changed: list[str],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """One HSDS metadata row per changed field: what it was, what it became, and who."""
    now = timezone.now()
    Metadata.objects.bulk_create(
        Metadata(
            resource_id=resource.pk,
            resource_type=resource_type,
            last_action_date=now,
            last_action_type="create" if created else "update",
            field_name=name,
            previous_value=details.as_text(name, before.get(name)),
            replacement_value=details.as_text(name, after.get(name)),
            updated_by=str(actor.pk),
        )
        for name in changed
    )


def decide(change: ListingChange, *, actor: User, status: str) -> None:
    change.status = status
    change.reviewer = actor
    change.decided_at = timezone.now()


@transaction.atomic
def publish_change(*, actor: User, change: ListingChange) -> Any:
    """Apply a pending change to its service or location (creating it if new), writing
    one HSDS metadata row per changed field; a service is marked verified today."""
    if change.kind == ChangeKind.LOCATION:
        from concord.directory.services.listing_locations import publish_location_change

        return publish_location_change(actor=actor, change=change)
    change = locked(change)
    check_transition(change, ChangeStatus.PUBLISHED)
    now = timezone.now()
    service_id = change.service_id
    if service_id is None:
        service = Service(organization_id=change.organization_id)
        before: dict[str, Any] = {}
    else:
        service = Service.objects.select_for_update().get(pk=service_id)
        before = current_values(service)
    created = service_id is None
    for name in EDITABLE_FIELDS:
        setattr(service, name, change.values.get(name))
    service.last_modified = now
    service.assured_date = timezone.localdate()
    service.full_clean(exclude=["organization", "program"])
    service.save()
    after = clean_service_values(change.values)
    _set_categories(service, after[CATEGORIES])
    details.write_languages(service, after["languages"])
    details.write_phones(service, after["phones"])
    details.write_hours(service, after["hours"])
    changed = changed_fields(SERVICE_VALUES, before, after)
    write_metadata(
        actor=actor,
        resource=service,
        resource_type="service",
        created=created,
        changed=changed,
        before=before,
        after=after,
    )
    change.service = service
    decide(change, actor=actor, status=ChangeStatus.PUBLISHED)
    change.save(update_fields=["service", "status", "reviewer", "decided_at"])
    record_event(
        actor=actor,
        action="concord.listing.published",
        target=change,
        agency=change.organization.agency,
        data={"service": str(service.pk), "fields": changed},
    )
    return service


@transaction.atomic
def reject_change(*, actor: User, change: ListingChange, reason: str) -> ListingChange:
    change = locked(change)
    check_transition(change, ChangeStatus.REJECTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the change is rejected.")})
    decide(change, actor=actor, status=ChangeStatus.REJECTED)
    change.reason = reason.strip()
    change.save(update_fields=["status", "reason", "reviewer", "decided_at"])
    record_event(
        actor=actor,
        action="concord.listing.rejected",
        target=change,
        agency=change.organization.agency,
    )
    return change


@transaction.atomic
def verify_listing(*, actor: User, service: Service) -> Service:
    """The agency confirms the listing is still correct: no review needed."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.assured_date = timezone.localdate()
    service.save(update_fields=["assured_date"])
    record_event(
        actor=actor,
        action="concord.listing.verified",
        target=service,
        agency=service.organization.agency,
    )
    return service
