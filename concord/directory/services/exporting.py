"""Export of the directory as an HSDS tabular package: one CSV file per table and the
datapackage.json that describes them, in the layout of HSDS's own package."""

import copy
import csv
import json
import uuid
from pathlib import Path
from typing import Any

from concord.core.exports import neutralise
from concord.directory.models import Visibility
from concord.directory.tables import (
    CONFIDENTIAL_LOCATION_COLUMNS,
    HSDS_DIR,
    PUBLIC_BLANK_COLUMNS,
    TABLES,
    Table,
    to_csv,
)

# Tables that never appear in a public export: change history may hold old addresses.
PUBLIC_SKIPPED_TABLES = frozenset({"metadata"})
_EXTRA_FIELDS = {
    "is_confidential": {
        "name": "is_confidential",
        "type": "boolean",
        "title": "Confidential (Concord)",
        "description": "Concord's extension: the location's address must never be published.",
    },
    "visibility": {
        "name": "visibility",
        "type": "string",
        "title": "Visibility (Concord)",
        "description": "Concord's extension: public, or partners (coalition members only).",
        "constraints": {"enum": list(Visibility.values)},
    },
}


def export_hsds(
    *, directory: Path, public: bool = True, spreadsheet_safe: bool = False
) -> dict[str, int]:
    """Write the package into ``directory`` and return the row count of each table.

    ``public`` (the default) leaves out partners-only services and everything that belongs
    to them, the addresses and position of confidential locations, internal fields and the
    change history; a full export (``public=False``) keeps all of it and adds Concord's own
    columns so that a re-import restores them. ``spreadsheet_safe`` prefixes values that a
    spreadsheet would run as formulas; it is off by default because an HSDS consumer reads
    values literally, and phone numbers and negative numbers start with + and -.
    """
    directory.mkdir(parents=True, exist_ok=True)
    dropped: set[uuid.UUID] = set()
    confidential: set[uuid.UUID] = set()
    counts: dict[str, int] = {}
    for table in TABLES.values():
        columns = table.columns if public else table.all_columns
        path = directory / table.file_name
        rows = [] if public and table.name in PUBLIC_SKIPPED_TABLES else _rows(table)
        written = 0
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                if public and _withheld(table, row, dropped, confidential):
                    dropped.add(row["id"])
                    continue
                if public:
                    row = _public_row(table, row, confidential)
                values = [to_csv(row[column]) for column in columns]
                if spreadsheet_safe:
                    values = [neutralise(value) for value in values]
                writer.writerow(values)
                written += 1
        counts[table.name] = written
    _write_datapackage(directory, public=public)
    return counts


def _rows(table: Table) -> list[dict[str, Any]]:
    names = {column: table.attname(column) for column in table.all_columns}
    queryset = table.model._default_manager.order_by("pk").values(*names.values())
    return [{column: item[attname] for column, attname in names.items()} for item in queryset]


def _withheld(
    table: Table, row: dict[str, Any], dropped: set[uuid.UUID], confidential: set[uuid.UUID]
) -> bool:
    """Whether a public export leaves the row out; tables come in dependency order, so the
    ids a row points at have been judged already."""
    if table.name == "service" and row["visibility"] != Visibility.PUBLIC:
        return True
    if table.name == "location" and row["is_confidential"]:
        confidential.add(row["id"])
    if table.name == "address" and row["location_id"] in confidential:
        return True
    if table.name == "attribute" and row["link_id"] in dropped:
        return True
    # A phone of a named contact is that person's, not the service's.
    if table.name == "phone" and row["contact_id"] is not None:
        return True
    return any(
        row[reference.column] in dropped
        for reference in table.references
        if row[reference.column] is not None
    )


def _public_row(table: Table, row: dict[str, Any], confidential: set[uuid.UUID]) -> dict[str, Any]:
    blank = set(PUBLIC_BLANK_COLUMNS.get(table.name, ()))
    if table.name == "location" and row["id"] in confidential:
        blank |= CONFIDENTIAL_LOCATION_COLUMNS
    return {column: (None if column in blank else value) for column, value in row.items()}


def _write_datapackage(directory: Path, *, public: bool) -> None:
    with (HSDS_DIR / "datapackage.json").open(encoding="utf-8") as handle:
        package = json.load(handle)
    resources = []
    for resource in package["resources"]:
        table = TABLES.get(resource["name"])
        if table is None:
            continue  # a table Concord does not keep (meta_table_description)
        resource = copy.deepcopy(resource)
        if not public:
            resource["schema"]["fields"] += [_EXTRA_FIELDS[name] for name in table.extra_columns]
        resources.append(resource)
    package["resources"] = resources
    with (directory / "datapackage.json").open("w", encoding="utf-8") as handle:
        json.dump(package, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
