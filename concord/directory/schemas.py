"""Validation of HSDS JSON against the published schemas kept in hsds/schema/."""

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from concord.directory.tables import SCHEMA_DIR

# The compiled (self-contained) schema of each kind of document HSDS's API returns. The
# kinds without a compiled schema use their per-table schema and its references.
_SCHEMAS = {
    "service": "compiled/service.json",
    "organization": "compiled/organization.json",
    "service_at_location": "compiled/service_at_location.json",
    "service_list": "compiled/service_list.json",
    "organization_list": "compiled/organization_list.json",
    "service_at_location_list": "compiled/service_at_location_list.json",
    "location": "location.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
KINDS = ("service", "organization", "service_at_location", "location", "taxonomy", "taxonomy_term")


def _load(relative: str) -> dict[str, Any]:
    with (SCHEMA_DIR / relative).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def _registry() -> Registry[Any]:
    # The per-table schemas refer to each other by file name ("phone.json").
    resources = [
        (path.name, Resource.from_contents(_load(path.name), default_specification=DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    """The validator for one kind of document; uuid and email formats are checked too."""
    relative = _SCHEMAS[kind]
    schema = _load(relative)
    if "/" not in relative:
        schema = {**schema, "$id": relative}
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def page_validator() -> Draft202012Validator:
    """The paged list envelope of the OpenAPI file (total_items, page_number, ...)."""
    page = _load("openapi.json")["components"]["schemas"]["Page"]
    properties = {**page["properties"], "contents": {"type": "array"}}
    schema = {**page, "required": ["contents"], "properties": properties}
    return Draft202012Validator(schema)


def schema_errors(kind: str, document: Any) -> Iterator[ValidationError]:
    yield from sorted(validator(kind).iter_errors(document), key=error_path)


def error_path(error: ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path)
