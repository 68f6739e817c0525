"""Reading HSDS files into flat records, one per table row, before any validation of the
values: a tabular package (CSV files and datapackage.json), HSDS tabular JSON, or HSDS API
JSON (a service, organization, service at location, location, taxonomy or taxonomy term,
alone, in a list, or in a paged list). Nested JSON is flattened into the same rows the CSV
files would hold, so one validator and one writer serve both."""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from concord.directory.schemas import KINDS, error_path, page_validator, schema_errors
from concord.directory.tables import IGNORED_FILES, TABLE_OF_FILE, TABLES, is_empty

# Arrays of child rows: (parent table, property) -> (child table, the child's column that
# points at the parent).
_CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "funding": ("funding", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
    },
    "organization": {
        "funding": ("funding", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "location": {
        "languages": ("language", "location_id"),
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "accessibility": ("accessibility", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
# Single nested objects: (table, property) -> (nested table, our column that points at it).
_PARENTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "organization": ("organization", "organization_id"),
        "program": ("program", "program_id"),
    },
    "service_at_location": {
        "location": ("location", "location_id"),
        "service": ("service", "service_id"),
    },
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
}
# Keys that only one kind of top-level object has, to tell kinds apart without a tag.
_ORGANIZATION_KEYS = frozenset(
    {
        "services",
        "programs",
        "organization_identifiers",
        "tax_status",
        "tax_id",
        "legal_status",
        "year_incorporated",
        "parent_organization_id",
        "logo",
        "website",
        "locations",
    }
)
_TERM_KEYS = frozenset({"code", "parent_id", "taxonomy", "taxonomy_detail", "taxonomy_id"})


@dataclass(frozen=True)
class Problem:
    file: str
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row:
            where.append(f"row {self.row}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Record:
    table: str
    values: dict[str, Any]
    file: str
    row: str


@dataclass
class Batch:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_hsds(path: Path, *, kind: str | None = None) -> Batch:
    """Read a file or package; ``kind`` forces the kind of the objects in a JSON file."""
    if path.is_dir():
        return read_csv_package(path)
    if path.name == "datapackage.json":
        return read_csv_package(path.parent)
    if path.suffix.lower() == ".json":
        return read_json_file(path, kind=kind)
    batch = Batch()
    batch.problems.append(
        Problem(path.name, "", "", "expected a .json file, a datapackage.json or a directory")
    )
    return batch


def read_csv_package(directory: Path) -> Batch:
    batch = Batch()
    if not directory.is_dir():
        batch.problems.append(Problem(str(directory), "", "", "no such directory"))
        return batch
    known = {table.file_name for table in TABLES.values()} | IGNORED_FILES
    for path in sorted(directory.glob("*.csv")):
        if path.name in IGNORED_FILES:
            batch.warnings.append(Problem(path.name, "", "", "not kept by Concord, skipped"))
        elif path.name not in known:
            batch.warnings.append(Problem(path.name, "", "", "not an HSDS table, skipped"))
    for table in TABLES.values():
        path = directory / table.file_name
        if path.exists():
            _read_csv(path, table.name, batch)
    return batch


def _read_csv(path: Path, table_name: str, batch: Batch) -> None:
    table = TABLES[table_name]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        for column in header:
            if column not in table.all_columns:
                batch.warnings.append(Problem(path.name, "1", column, "unknown column, ignored"))
        for column in sorted(table.required - set(header)):
            batch.problems.append(Problem(path.name, "1", column, "required column is missing"))
        columns = [column for column in header if column in table.all_columns]
        # Row 1 is the header, as a spreadsheet numbers it.
        for number, row in enumerate(reader, start=2):
            values = {column: row.get(column) for column in columns}
            batch.records.append(Record(table_name, values, path.name, str(number)))


def read_json_file(path: Path, *, kind: str | None = None) -> Batch:
    batch = Batch()
    try:
        with path.open(encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        batch.problems.append(Problem(path.name, "", "", f"not readable JSON: {error}"))
        return batch
    read_json_document(document, path.name, batch, kind=kind)
    return batch


def read_json_document(document: Any, file: str, batch: Batch, *, kind: str | None = None) -> None:
    if isinstance(document, dict) and document and all(key.endswith(".csv") for key in document):
        _read_tabular_json(document, file, batch)
        return
    items: list[tuple[int | None, Any]]
    if isinstance(document, dict) and "contents" in document:
        for error in page_validator().iter_errors(document):
            batch.problems.append(Problem(file, "", error_path(error), error.message))
        contents = document.get("contents")
        items = (
            [(index, item) for index, item in enumerate(contents)]
            if isinstance(contents, list)
            else []
        )
        prefix = "contents/"
    elif isinstance(document, list):
        items, prefix = [(index, item) for index, item in enumerate(document)], ""
    elif isinstance(document, dict) and "openapi_url" in document and "id" not in document:
        batch.warnings.append(
            Problem(file, "", "", "an API description, not data: nothing to import")
        )
        return
    else:
        items, prefix = [(None, document)], ""
    for index, item in items:
        where = "" if index is None else f"{prefix}{index}"
        item_kind = kind or detect_kind(item)
        if item_kind is None:
            batch.problems.append(
                Problem(file, where, "", "cannot tell which HSDS object this is; name its kind")
            )
            continue
        errors = list(schema_errors(item_kind, item))
        batch.problems += [_schema_problem(file, where, error) for error in errors]
        if not errors:
            _flatten(item_kind, item, where, file, batch)


def _schema_problem(file: str, where: str, error: Any) -> Problem:
    """A schema error as file, object path and field, like a CSV file's file, row, column."""
    parts = [str(part) for part in error.absolute_path]
    field = ""
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        field = missing[0] if missing else ""
    elif parts and not parts[-1].isdigit():
        field = parts.pop()
    row = "/".join(part for part in (where, *parts) if part)
    return Problem(file, row, field, error.message)


def detect_kind(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    keys = set(item)
    if "status" in keys:
        return "service"
    if "location_type" in keys:
        return "location"
    if keys & {"service", "location", "service_id", "location_id"}:
        return "service_at_location"
    if keys & _TERM_KEYS:
        return "taxonomy_term"
    if keys & _ORGANIZATION_KEYS:
        return "organization"
    if keys & {"version", "uri"}:
        return "taxonomy"
    return None


def _read_tabular_json(document: dict[str, Any], file: str, batch: Batch) -> None:
    for file_name, rows in document.items():
        table_name = TABLE_OF_FILE.get(file_name)
        if table_name is None:
            batch.warnings.append(Problem(file, file_name, "", "not kept by Concord, skipped"))
            continue
        if not isinstance(rows, list):
            batch.problems.append(Problem(file, file_name, "", "expected a list of rows"))
            continue
        columns = TABLES[table_name].all_columns
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                batch.problems.append(Problem(file, f"{file_name}/{index}", "", "not an object"))
                continue
            values = {key: value for key, value in row.items() if key in columns}
            batch.records.append(Record(table_name, values, file, f"{file_name}/{index}"))


def _flatten(table_name: str, item: dict[str, Any], where: str, file: str, batch: Batch) -> Record:
    columns = TABLES[table_name].all_columns
    values = {key: value for key, value in item.items() if key in columns}
    record = Record(table_name, values, file, where)
    batch.records.append(record)
    parent_id = values.get("id")
    nested_program: Record | None = None
    for key, value in item.items():
        path = f"{where}/{key}" if where else key
        if key in _PARENTS.get(table_name, {}) and isinstance(value, dict):
            nested_table, column = _PARENTS[table_name][key]
            nested = _flatten(nested_table, value, path, file, batch)
            _link(record, column, nested.values.get("id"), batch)
            if key == "program":
                nested_program = nested
        elif key in _CHILDREN.get(table_name, {}) and isinstance(value, list):
            child_table, column = _CHILDREN[table_name][key]
            for index, child in _objects(value):
                nested = _flatten(child_table, child, f"{path}/{index}", file, batch)
                _link(nested, column, parent_id, batch)
        elif key == "attributes" and isinstance(value, list):
            for index, child in _objects(value):
                nested = _flatten("attribute", child, f"{path}/{index}", file, batch)
                _link(nested, "link_id", parent_id, batch)
                nested.values.setdefault("link_entity", table_name)
        elif key == "metadata" and isinstance(value, list):
            for index, child in _objects(value):
                nested = _flatten("metadata", child, f"{path}/{index}", file, batch)
                _link(nested, "resource_id", parent_id, batch)
                nested.values.setdefault("resource_type", table_name)
    if nested_program is not None:
        # A program nested in a service leaves out its organization: it is the service's.
        _link(nested_program, "organization_id", values.get("organization_id"), batch)
    return record


def _objects(items: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _link(record: Record, column: str, target_id: Any, batch: Batch) -> None:
    """Point ``record``'s ``column`` at the object it is nested in (or that is nested in it)."""
    if is_empty(target_id):
        return
    current = record.values.get(column)
    if is_empty(current):
        record.values[column] = target_id
    elif str(current).lower() != str(target_id).lower():
        batch.problems.append(
            Problem(
                record.file,
                record.row,
                column,
                f"{current} contradicts the object it is nested in ({target_id})",
            )
        )


__all__ = ["KINDS", "Batch", "Problem", "Record", "detect_kind", "read_hsds"]
