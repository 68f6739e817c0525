"""The service directory on Open Referral HSDS 3.0: one model per HSDS table, with the
HSDS field names, so that serialization and import are mechanical."""

from concord.directory.models.base import (
    Frequency,
    HsdsModel,
    LocationType,
    ServiceStatus,
    Visibility,
    Weekday,
)
from concord.directory.models.contacts import Contact, Language, Phone, Schedule
from concord.directory.models.imports import (
    PROBLEMS_KEPT,
    ImportFormat,
    ImportPhase,
    ImportRun,
    ImportStatus,
)
from concord.directory.models.listings import (
    CHANGE_TRANSITIONS,
    EDITABLE_FIELDS,
    LOCATION_FIELDS,
    SERVICE_DETAILS,
    ChangeKind,
    ChangeStatus,
    ListingChange,
    ListingReminder,
    ReminderKind,
)
from concord.directory.models.locations import Accessibility, Address, Location
from concord.directory.models.organizations import (
    Funding,
    Organization,
    OrganizationIdentifier,
    Program,
)
from concord.directory.models.services import (
    CostOption,
    RequiredDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from concord.directory.models.taxonomy import Attribute, Metadata, Taxonomy, TaxonomyTerm

__all__ = [
    "CHANGE_TRANSITIONS",
    "EDITABLE_FIELDS",
    "LOCATION_FIELDS",
    "PROBLEMS_KEPT",
    "SERVICE_DETAILS",
    "Accessibility",
    "Address",
    "Attribute",
    "ChangeKind",
    "ChangeStatus",
    "Contact",
    "CostOption",
    "Frequency",
    "Funding",
    "HsdsModel",
    "ImportFormat",
    "ImportPhase",
    "ImportRun",
    "ImportStatus",
    "Language",
    "ListingChange",
    "ListingReminder",
    "Location",
    "LocationType",
    "Metadata",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "Program",
    "ReminderKind",
    "RequiredDocument",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
    "Visibility",
    "Weekday",
]
