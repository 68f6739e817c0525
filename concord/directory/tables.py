"""The HSDS tables, each tied to its model: columns in the order of the published schema,
required columns, foreign keys, and the conversion of one value between HSDS and Python.

The published per-table schemas (hsds/schema/*.json) are the source of truth for the column
lists, so a column added by a later HSDS release shows up as unknown instead of vanishing.
"""

import datetime
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models

from concord.directory import models as directory

HSDS_DIR = Path(__file__).resolve().parent / "hsds"
SCHEMA_DIR = HSDS_DIR / "schema"

# Where a model field's name differs from the HSDS column (see TaxonomyTerm).
_RENAMED = {("taxonomy_term", "taxonomy_id"): "taxonomy_detail_id"}
# Concord's own columns, written only in a full (non-public) export and read back on import.
_EXTRA_COLUMNS = {"location": ("is_confidential",), "service": ("visibility",)}
# What public output (JSON and export) leaves out of a confidential location: its position, and the text
# fields that describe how to get there.
CONFIDENTIAL_LOCATION_COLUMNS = frozenset(
    {"latitude", "longitude", "transportation", "external_identifier", "external_identifier_type"}
)
# Internal fields (see the models' sensitivity classes) blanked in a public export.
PUBLIC_BLANK_COLUMNS = {
    "service": frozenset({"assurer_email"}),
    "contact": frozenset({"name", "email"}),
}
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


@dataclass(frozen=True)
class Reference:
    column: str
    table: str
    required: bool


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    file_name: str
    columns: tuple[str, ...]
    required: frozenset[str]
    extra_columns: tuple[str, ...]

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + self.extra_columns

    def field(self, column: str) -> models.Field[Any, Any]:
        attname = _RENAMED.get((self.name, column), column)
        for field in self.model._meta.concrete_fields:
            if field.attname == attname:
                return field
        raise KeyError(column)

    def attname(self, column: str) -> str:
        return self.field(column).attname

    @property
    def references(self) -> tuple[Reference, ...]:
        found = []
        for column in self.columns:
            field = self.field(column)
            related = field.related_model
            if isinstance(field, models.ForeignKey) and isinstance(related, type):
                found.append(Reference(column, TABLE_OF_MODEL[related], required=not field.null))
        return tuple(found)


def _schema(name: str) -> dict[str, Any]:
    with (SCHEMA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _table(name: str, model: type[models.Model]) -> Table:
    schema = _schema(name)
    columns = tuple(
        key
        for key, spec in schema["properties"].items()
        if spec.get("type") not in ("array", "object") and "$ref" not in spec
    )
    required = set(schema.get("required", ())) | set(schema.get("tabular_required", ()))
    return Table(
        name=name,
        model=model,
        file_name=schema["path"],
        columns=columns,
        required=frozenset(required),
        extra_columns=_EXTRA_COLUMNS.get(name, ()),
    )


# In dependency order: a table comes after every table it refers to (but itself).
TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        _table("taxonomy", directory.Taxonomy),
        _table("taxonomy_term", directory.TaxonomyTerm),
        _table("organization", directory.Organization),
        _table("organization_identifier", directory.OrganizationIdentifier),
        _table("program", directory.Program),
        _table("service", directory.Service),
        _table("location", directory.Location),
        _table("service_at_location", directory.ServiceAtLocation),
        _table("address", directory.Address),
        _table("accessibility", directory.Accessibility),
        _table("contact", directory.Contact),
        _table("phone", directory.Phone),
        _table("language", directory.Language),
        _table("schedule", directory.Schedule),
        _table("service_area", directory.ServiceArea),
        _table("cost_option", directory.CostOption),
        _table("required_document", directory.RequiredDocument),
        _table("funding", directory.Funding),
        _table("attribute", directory.Attribute),
        _table("metadata", directory.Metadata),
    )
}
TABLE_OF_MODEL: dict[type[models.Model], str] = {
    table.model: table.name for table in TABLES.values()
}
TABLE_OF_FILE: dict[str, str] = {table.file_name: table.name for table in TABLES.values()}
# Published by HSDS, not kept by Concord: it describes the package, not services.
IGNORED_FILES = frozenset({"meta_table_descriptions.csv"})


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def to_python(field: models.Field[Any, Any], raw: Any) -> Any:
    """One HSDS value (a CSV string or a JSON scalar) as the field's Python value; raises
    ValueError with a message for the person who wrote the file."""
    if is_empty(raw):
        if field.has_default() and not callable(field.default):
            return field.default
        if field.null:
            return None
        if field.blank and not isinstance(field, models.ForeignKey):
            return field.default if isinstance(field.default, str) else ""
        raise ValueError("is required")
    if isinstance(field, (models.ForeignKey, models.UUIDField)):
        try:
            return uuid.UUID(str(raw))
        except ValueError:
            raise ValueError(f"{raw!r} is not a UUID") from None
    if isinstance(field, models.BooleanField):
        text = str(raw).strip().lower()
        if isinstance(raw, bool):
            return raw
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{raw!r} is not true or false")
    if isinstance(field, models.IntegerField):
        number = _number(raw)
        if number != int(number):
            raise ValueError(f"{raw!r} is not a whole number")
        return int(number)
    if isinstance(field, models.FloatField):
        return float(_number(raw))
    if isinstance(field, models.DecimalField):
        number = _number(raw)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > field.decimal_places:
            raise ValueError(f"{raw!r} has more than {field.decimal_places} decimal places")
        return number
    if isinstance(field, models.DateTimeField):
        return _datetime(raw)
    if isinstance(field, models.DateField):
        try:
            return datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None
    if isinstance(raw, (dict, list, bool)):
        raise ValueError(f"{raw!r} is not text")
    text = str(raw)
    if field.choices and text not in {str(value) for value, _label in field.flatchoices}:
        allowed = ", ".join(str(value) for value, _label in field.flatchoices)
        raise ValueError(f"{text!r} is not one of: {allowed}")
    if field.max_length is not None and len(text) > field.max_length:
        raise ValueError(f"is longer than {field.max_length} characters")
    return text


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{raw!r} is not a number")
    return number


def _datetime(raw: Any) -> datetime.datetime:
    text = str(raw).strip()
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date-time (ISO 8601)") from None
    # HSDS: times without an offset are UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def to_hsds(value: Any) -> Any:
    """A model value as a JSON value of HSDS, or None where HSDS would leave it out."""
    if value is None or value == "":
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_csv(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    converted = to_hsds(value)
    return "" if converted is None else str(converted)
