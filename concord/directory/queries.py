"""Reads of the directory reused by serialization, the API and the search pages."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from concord.directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Visibility,
)

_LOCATION_DETAILS = (
    "addresses",
    "phones__languages",
    "languages",
    "accessibility",
    "schedules",
    "contacts__phones__languages",
)
# Everything a fully nested HSDS service holds, fetched in a fixed number of queries
# whatever the number of services.
SERVICE_DETAILS: tuple[str | Prefetch[Any, Any, Any], ...] = (
    "phones__languages",
    "schedules",
    "service_areas",
    "languages",
    "funding",
    "cost_options",
    "required_documents",
    "contacts__phones__languages",
    Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").order_by("pk"),
    ),
    "service_at_locations__phones__languages",
    "service_at_locations__schedules",
    "service_at_locations__contacts__phones__languages",
    *(f"service_at_locations__location__{name}" for name in _LOCATION_DETAILS),
)


def services_for_hsds(
    *, public: bool, full: bool = True, active_only: bool = False
) -> QuerySet[Service]:
    """Services with what their HSDS form needs; ``public`` leaves out partners-only ones,
    ``active_only`` inactive, defunct and closed ones (the public API and pages list only
    services open to people)."""
    services = Service.objects.select_related("organization", "program")
    if public:
        services = services.filter(visibility=Visibility.PUBLIC)
    if active_only:
        services = services.filter(status=ServiceStatus.ACTIVE)
    return services.prefetch_related(*SERVICE_DETAILS) if full else services


def organizations_for_hsds(
    *, public: bool, full: bool = True, active_only: bool = False
) -> QuerySet[Organization]:
    organizations = Organization.objects.all()
    if not full:
        return organizations
    return organizations.prefetch_related(
        "funding",
        "contacts__phones__languages",
        "phones__languages",
        Prefetch("locations", queryset=Location.objects.order_by("pk")),
        *(f"locations__{name}" for name in _LOCATION_DETAILS),
        "programs",
        "organization_identifiers",
        Prefetch(
            "services",
            queryset=services_for_hsds(public=public, active_only=active_only).order_by(
                "name", "pk"
            ),
        ),
    )


def service_at_locations_for_hsds(
    *, public: bool, full: bool = True
) -> QuerySet[ServiceAtLocation]:
    links = ServiceAtLocation.objects.select_related(
        "location", "service__organization", "service__program"
    ).order_by("pk")
    if public:
        links = links.filter(service__visibility=Visibility.PUBLIC)
    if not full:
        return links
    return links.prefetch_related(
        "phones__languages",
        "schedules",
        "contacts__phones__languages",
        *(f"location__{name}" for name in _LOCATION_DETAILS),
    )


# Directory editing (issue 5): listings are reached only through these scoped reads.

VERIFY_EVERY_MONTHS = 6
STALE_AFTER_MONTHS = 12


def stale_before(today: Any) -> Any:
    """Listings last verified before this day are stale."""
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(months=STALE_AFTER_MONTHS)


def listing_services_for(user: Any) -> QuerySet[Service]:
    """The services a person may open to edit: an agency's own, or all for a coordinator.
    Everyone else's are out of scope (404)."""
    from concord.core.permissions import is_active_user, is_coordinator

    services = Service.objects.select_related("organization")
    if is_coordinator(user):
        return services
    if not is_active_user(user) or user.agency_id is None:
        return services.none()
    return services.filter(organization__agency_id=user.agency_id)


def listing_changes_for(user: Any) -> QuerySet[Any]:
    from concord.core.permissions import is_active_user, is_coordinator
    from concord.directory.models import ListingChange

    changes = ListingChange.objects.select_related("organization", "service", "author")
    if is_coordinator(user):
        return changes
    if not is_active_user(user) or user.agency_id is None:
        return changes.none()
    return changes.filter(organization__agency_id=user.agency_id)


def listing_organizations_for(user: Any) -> QuerySet[Organization]:
    """The organizations whose listings a person may open: their agency's, or all for a
    coordinator."""
    from concord.core.permissions import is_active_user, is_coordinator

    organizations = Organization.objects.select_related("agency")
    if is_coordinator(user):
        return organizations
    if not is_active_user(user) or user.agency_id is None:
        return organizations.none()
    return organizations.filter(agency_id=user.agency_id)


def listing_locations_for(user: Any) -> QuerySet[Location]:
    """The locations a person may open to edit: their agency's organization's, or all
    (of an organization) for a coordinator."""
    return Location.objects.select_related("organization").filter(
        organization__in=listing_organizations_for(user)
    )


def organization_of(user: Any) -> Organization | None:
    if getattr(user, "agency_id", None) is None:
        return None
    return Organization.objects.filter(agency_id=user.agency_id).first()
