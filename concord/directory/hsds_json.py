"""Directory records as HSDS 3.0 JSON, in the shapes of HSDS's compiled schemas and API.

With ``public=True`` the output is what anyone may see: no partners-only service, no
address or position of a confidential location, no internal field (a contact's own name
and email, the assurer's email, contacts' phones) and no change history. Attributes and
metadata point at records by id, so they are loaded for a whole page in two queries after
the tree is built.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Paginator
from django.db import models

from concord.directory.models import (
    Attribute,
    Contact,
    Location,
    Metadata,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from concord.directory.tables import (
    CONFIDENTIAL_LOCATION_COLUMNS,
    PUBLIC_BLANK_COLUMNS,
    TABLES,
    to_hsds,
)

Json = dict[str, Any]
# Tables whose HSDS objects carry no attributes array.
_WITHOUT_ATTRIBUTES = frozenset({"taxonomy", "taxonomy_term", "attribute", "metadata"})
_CHUNK = 500


class _Tree:
    """One serialization: builds the objects and remembers them for attributes/metadata."""

    def __init__(self, *, public: bool) -> None:
        self.public = public
        self.entities: list[tuple[Json, str]] = []

    def scalars(self, obj: models.Model, table_name: str) -> Json:
        table = TABLES[table_name]
        hidden = PUBLIC_BLANK_COLUMNS.get(table_name, frozenset()) if self.public else frozenset()
        if self.public and isinstance(obj, Location) and obj.is_confidential:
            hidden = hidden | CONFIDENTIAL_LOCATION_COLUMNS
        out: Json = {}
        for column in table.columns:
            if column in hidden:
                continue
            value = to_hsds(getattr(obj, table.attname(column)))
            if value is None and column in table.required:
                value = ""  # a required text left empty (metadata's previous value)
            if value is not None:
                out[column] = value
        return out

    def entity(self, obj: models.Model, table_name: str) -> Json:
        out = self.scalars(obj, table_name)
        self.entities.append((out, table_name))
        return out

    def many(self, objects: Iterable[models.Model], table_name: str) -> list[Json]:
        return [self.entity(obj, table_name) for obj in objects]

    def phones(self, phones: Iterable[Phone]) -> list[Json]:
        out = []
        for phone in phones:
            if self.public and phone.contact_id is not None:
                continue  # a named person's own line
            item = self.entity(phone, "phone")
            item["languages"] = self.many(phone.languages.all(), "language")
            out.append(item)
        return out

    def contacts(self, contacts: Iterable[Contact]) -> list[Json]:
        out = []
        for contact in contacts:
            item = self.entity(contact, "contact")
            item["phones"] = self.phones(contact.phones.all())
            out.append(item)
        return out

    def location(self, location: Location) -> Json:
        out = self.entity(location, "location")
        out["languages"] = self.many(location.languages.all(), "language")
        hide_address = self.public and location.is_confidential
        out["addresses"] = [] if hide_address else self.many(location.addresses.all(), "address")
        out["contacts"] = self.contacts(location.contacts.all())
        out["accessibility"] = self.many(location.accessibility.all(), "accessibility")
        out["phones"] = self.phones(location.phones.all())
        out["schedules"] = self.many(location.schedules.all(), "schedule")
        return out

    def service_summary(self, service: Service) -> Json:
        out = self.entity(service, "service")
        out["organization"] = self.entity(service.organization, "organization")
        if service.program is not None:
            out["program"] = self.entity(service.program, "program")
        return out

    def service(self, service: Service) -> Json:
        out = self.service_summary(service)
        out["phones"] = self.phones(service.phones.all())
        out["schedules"] = self.many(service.schedules.all(), "schedule")
        out["service_areas"] = self.many(service.service_areas.all(), "service_area")
        out["service_at_locations"] = [
            self.service_at_location(link) for link in service.service_at_locations.all()
        ]
        out["languages"] = self.many(service.languages.all(), "language")
        out["funding"] = self.many(service.funding.all(), "funding")
        out["cost_options"] = self.many(service.cost_options.all(), "cost_option")
        out["required_documents"] = self.many(service.required_documents.all(), "required_document")
        out["contacts"] = self.contacts(service.contacts.all())
        return out

    def service_at_location(self, link: ServiceAtLocation, *, with_service: bool = False) -> Json:
        out = self.entity(link, "service_at_location")
        out["contacts"] = self.contacts(link.contacts.all())
        out["phones"] = self.phones(link.phones.all())
        out["schedules"] = self.many(link.schedules.all(), "schedule")
        out["location"] = self.location(link.location)
        if with_service:
            out["service"] = self.service_summary(link.service)
        return out

    def organization(self, organization: Organization) -> Json:
        out = self.entity(organization, "organization")
        out["funding"] = self.many(organization.funding.all(), "funding")
        out["contacts"] = self.contacts(organization.contacts.all())
        out["phones"] = self.phones(organization.phones.all())
        out["locations"] = [self.location(location) for location in organization.locations.all()]
        out["programs"] = self.many(organization.programs.all(), "program")
        out["organization_identifiers"] = self.many(
            organization.organization_identifiers.all(), "organization_identifier"
        )
        out["services"] = [self.service(service) for service in organization.services.all()]
        return out

    def finish(self) -> None:
        """Attach attributes (and, unless public, metadata) to every object built."""
        ids = list({item["id"] for item, _table in self.entities})
        attributes: dict[str, list[Json]] = defaultdict(list)
        for chunk in _chunks(ids):
            queryset = Attribute.objects.filter(link_id__in=chunk).select_related(
                "taxonomy_term__taxonomy_detail"
            )
            for attribute in queryset.order_by("pk"):
                item = self.entity(attribute, "attribute")
                item["taxonomy_term"] = taxonomy_term_json(attribute.taxonomy_term)
                attributes[str(attribute.link_id)].append(item)
        metadata: dict[str, list[Json]] = defaultdict(list)
        if not self.public:
            ids += [item["id"] for items in attributes.values() for item in items]
            for chunk in _chunks(ids):
                for row in Metadata.objects.filter(resource_id__in=chunk).order_by("pk"):
                    metadata[str(row.resource_id)].append(self.scalars(row, "metadata"))
        for item, table_name in self.entities:
            if table_name not in _WITHOUT_ATTRIBUTES:
                item["attributes"] = attributes.get(item["id"], [])
            if not self.public and table_name != "metadata":
                item["metadata"] = metadata.get(item["id"], [])


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def services_json(services: Iterable[Service], *, public: bool, full: bool = True) -> list[Json]:
    """Services fetched with ``queries.services_for_hsds`` (the prefetches matter)."""
    tree = _Tree(public=public)
    out = [
        tree.service(service) if full else tree.service_summary(service)
        for service in services
        if not (public and service.visibility != "public")
    ]
    tree.finish()
    return out


def service_json(service: Service, *, public: bool) -> Json:
    return services_json([service], public=public)[0]


def organizations_json(
    organizations: Iterable[Organization], *, public: bool, full: bool = True
) -> list[Json]:
    tree = _Tree(public=public)
    if full:
        out = [tree.organization(organization) for organization in organizations]
    else:
        out = [tree.entity(organization, "organization") for organization in organizations]
    tree.finish()
    return out


def service_at_locations_json(
    links: Iterable[ServiceAtLocation], *, public: bool, full: bool = True
) -> list[Json]:
    tree = _Tree(public=public)
    out = []
    for link in links:
        if full:
            out.append(tree.service_at_location(link, with_service=True))
        else:
            item = tree.entity(link, "service_at_location")
            item["location"] = tree.scalars(link.location, "location")
            item["service"] = tree.scalars(link.service, "service")
            out.append(item)
    tree.finish()
    return out


def taxonomy_json(taxonomy: Taxonomy) -> Json:
    return _Tree(public=True).scalars(taxonomy, "taxonomy")


def taxonomy_term_json(term: TaxonomyTerm) -> Json:
    out = _Tree(public=True).scalars(term, "taxonomy_term")
    if term.taxonomy_detail is not None:
        out["taxonomy_detail"] = taxonomy_json(term.taxonomy_detail)
    return out


def page_json(
    queryset: models.QuerySet[Any],
    *,
    page: int,
    per_page: int,
    serialize: Callable[[list[Any]], list[Json]],
) -> Json:
    """The paged list envelope of HSDS's OpenAPI file around one page of ``queryset``;
    ``serialize`` turns the page's objects into a list of HSDS objects."""
    paginator = Paginator(queryset, per_page)
    total = paginator.count
    total_pages = max(1, math.ceil(total / per_page))
    number = min(max(1, page), total_pages)
    objects = list(paginator.page(number).object_list)
    contents = serialize(objects)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number == total_pages,
        "empty": total == 0,
        "contents": contents,
    }
