"""Concord's own OpenAPI document for its HSDS 3.0 API.

It starts from HSDS's openapi.json and says what Concord actually does, so that clients
and the fuzzing tests can rely on it:

- the schemas travel inside the document: HSDS's file points at raw.githubusercontent.com,
  and the compiled detail schemas weigh megabytes each, so the per-table schemas go under
  ``components/schemas`` with their references rewritten, and the small compiled list
  schemas go there whole;
- each parameter is as strict as the views (ids are UUIDs, pages start at 1, ``per_page``
  is capped), and the 400 and 404 answers are documented;
- ``proximity`` is left out: it needs the centroid of a postcode, which Concord has no
  data for;
- ``/service_at_locations/{id}`` answers a service_at_location, as HSDS's own reference
  API does, where HSDS's file says service by mistake.
"""

import copy
import json
from functools import cache
from typing import Any

from concord.directory.tables import SCHEMA_DIR

Json = dict[str, Any]

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
# The widest proximity the API answers: a county is about 50 km across.
MAX_PROXIMITY_M = 100_000
NDJSON = "application/x-ndjson"
_REMOTE_PREFIX = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# Compiled list schemas are small and self-contained: embedded whole.
_COMPILED = ("service_list", "organization_list", "service_at_location_list")
_DETAIL_SCHEMAS = {
    "/services/{id}": "service",
    "/organizations/{id}": "organization",
    "/service_at_locations/{id}": "service_at_location",
    "/taxonomies/{id}": "taxonomy",
    "/taxonomy_terms/{id}": "taxonomy_term",
}
_UUID_PARAMETERS = ("taxonomy_term_id", "taxonomy_id", "organization_id")
_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}},
}


def _load(relative: str) -> Json:
    with (SCHEMA_DIR / relative).open(encoding="utf-8") as handle:
        data: Json = json.load(handle)
    return data


def _local_ref(ref: str) -> str:
    """``phone.json`` or HSDS's raw URL of a schema → its place in this document."""
    if ref.startswith("#"):
        return ref
    name = ref.removeprefix(_REMOTE_PREFIX).removeprefix("compiled/").removesuffix(".json")
    return f"#/components/schemas/{name}"


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _local_ref(value) if key == "$ref" else _rewrite_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def _schemas() -> Json:
    schemas: Json = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.stem not in {"openapi", "meta_table_description"}:
            schemas[path.stem] = _load(path.name)
    for name in _COMPILED:
        schemas[name] = _load(f"compiled/{name}.json")
    return schemas


def _tighten_parameters(parameters: Json) -> None:
    parameters["page"]["schema"] = {"type": "integer", "minimum": 1}
    parameters["per_page"]["schema"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_PER_PAGE,
        "default": DEFAULT_PER_PAGE,
    }
    # HSDS writes "datetime", which no JSON Schema format checker knows.
    parameters["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    parameters["format"]["schema"] = {"type": "string", "enum": ["json", "ndjson"]}
    for name in _UUID_PARAMETERS:
        parameters[name]["schema"] = {"type": "string", "format": "uuid"}
    parameters["proximity"]["schema"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_PROXIMITY_M,
    }
    parameters["proximity"]["description"] = (
        "Return services at locations within this many metres of the centroid of `postcode` "
        "(without one, nothing is near): the centroid of the directory's published "
        "locations there. Confidential locations never count."
    )


def _add_error_responses(paths: Json) -> None:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, item in paths.items():
        operation = item["get"]
        if any(
            parameter.get("in") == "query" or "$ref" in parameter
            for parameter in operation.get("parameters", [])
        ):
            operation["responses"]["400"] = {"description": "A parameter is invalid.", **error}
        if "{id}" in path:
            operation["responses"]["404"] = {
                "description": "No public record has this id.",
                **error,
            }
            for parameter in item.get("parameters", []):
                if parameter["name"] == "id":
                    parameter["schema"] = {"type": "string", "format": "uuid"}


@cache
def _document_template() -> Json:
    document = _load("openapi.json")
    _tighten_parameters(document["components"]["parameters"])
    for path, item in document["paths"].items():
        operation = item["get"]
        if any(
            parameter.get("$ref") == "#/components/parameters/format"
            for parameter in operation.get("parameters", [])
        ):
            # format=ndjson: every result, one object a line, without the page around them.
            operation["responses"]["200"]["content"][NDJSON] = {"schema": {"type": "string"}}
        if path in _DETAIL_SCHEMAS:
            content = operation["responses"]["200"]["content"]["application/json"]
            content["schema"] = {"$ref": f"#/components/schemas/{_DETAIL_SCHEMAS[path]}"}
        if path == "/taxonomy_terms":
            for parameter in operation["parameters"]:
                if parameter.get("name") == "parent_id":
                    parameter["schema"] = {"type": "string", "format": "uuid"}
    _add_error_responses(document["paths"])
    document = _rewrite_refs(document)
    document["components"]["schemas"].update(_rewrite_refs(_schemas()))
    document["components"]["schemas"]["Error"] = _ERROR
    return document


def openapi_document(*, server_url: str, version: str) -> Json:
    """The document with this site's server and Concord's name in place of HSDS's blanks."""
    document = copy.deepcopy(_document_template())
    document["info"] = {
        "title": "Concord service directory (HSDS 3.0)",
        "version": version,
        "summary": "The public listings of Concord's service directory, read-only.",
        "description": (
            "Services marked for coalition partners only, and the addresses of "
            "confidential locations, are never part of this API."
        ),
    }
    document["servers"] = [{"url": server_url}]
    return document
