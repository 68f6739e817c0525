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
    Attribute,
    ChangeStatus,
    ListingChange,
    Metadata,
    Organization,
    Service,
)

CATEGORIES = "categories"


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
    return values


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
    clean = {name: values.get(name) for name in (*EDITABLE_FIELDS, CATEGORIES)}
    clean[CATEGORIES] = sorted(str(term_id) for term_id in values.get(CATEGORIES) or [])
    change = ListingChange.objects.create(
        service=service, organization=organization, values=clean, author=actor
    )
    record_event(
        actor=actor,
        action="concord.listing.proposed",
        target=change,
        agency=organization.agency,
        data={"service": str(service.pk) if service else "", "new": service is None},
    )
    return change


def _locked(change: ListingChange) -> ListingChange:
    return ListingChange.objects.select_for_update().get(pk=change.pk)


def _check_transition(change: ListingChange, to: str) -> None:
    if to not in CHANGE_TRANSITIONS[change.status]:
        raise ValidationError(
            _("This change is %(status)s and cannot be changed that way.")
            % {"status": change.get_status_display().lower()},
            code="invalid_transition",
        )


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


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


@transaction.atomic
def publish_change(*, actor: User, change: ListingChange) -> Service:
    """Apply a pending change to its service (creating it if new), writing one HSDS
    metadata row per changed field, and mark the listing verified today."""
    change = _locked(change)
    _check_transition(change, ChangeStatus.PUBLISHED)
    now = timezone.now()
    service_id = change.service_id
    if service_id is None:
        service = Service(organization_id=change.organization_id)
        before: dict[str, Any] = dict.fromkeys((*EDITABLE_FIELDS, CATEGORIES))
        before[CATEGORIES] = []
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
    _set_categories(service, list(change.values.get(CATEGORIES) or []))
    changed = [
        name
        for name in (*EDITABLE_FIELDS, CATEGORIES)
        if _as_text(before.get(name)) != _as_text(change.values.get(name))
    ]
    Metadata.objects.bulk_create(
        Metadata(
            resource_id=service.pk,
            resource_type="service",
            last_action_date=now,
            last_action_type="create" if created else "update",
            field_name=name,
            previous_value=_as_text(before.get(name)),
            replacement_value=_as_text(change.values.get(name)),
            updated_by=str(actor.pk),
        )
        for name in changed
    )
    change.service = service
    change.status = ChangeStatus.PUBLISHED
    change.reviewer = actor
    change.decided_at = now
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
    change = _locked(change)
    _check_transition(change, ChangeStatus.REJECTED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the change is rejected.")})
    change.status = ChangeStatus.REJECTED
    change.reason = reason.strip()
    change.reviewer = actor
    change.decided_at = timezone.now()
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
