"""Import of HSDS data into the directory: everything is read and validated first, and then
either all of it is written in one transaction or, at the first problem, nothing is.

Records are matched by their HSDS id, so importing the same data twice changes nothing and
a changed record is updated in place. A column the file leaves out (a key missing from a
JSON object) keeps the value already in the directory; a column present but empty clears
it."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.directory import facets
from concord.directory.services.reading import Batch, Problem, Record, read_hsds
from concord.directory.tables import TABLES, Table, to_python

Progress = Callable[[int, int], None]
# Told each phase as it starts: "checking" (outside any transaction, so a progress display
# may write then) and "writing" (one transaction, so progress written there is seen only
# at its end).
Phase = Callable[[str], None]
_CHUNK = 500


@dataclass
class Row:
    values: dict[str, Any]
    file: str
    row: str
    # Columns already reported as wrong, so that they are not reported again as missing.
    invalid: set[str] = field(default_factory=set)


@dataclass
class ImportResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def total(self, outcome: str) -> int:
        return sum(count[outcome] for count in self.counts.values())


def import_hsds(
    *,
    path: Path,
    actor: User | None,
    kind: str | None = None,
    progress: Progress | None = None,
    phase: Phase | None = None,
) -> ImportResult:
    """Import an HSDS file or package; see ``read_hsds`` for what ``path`` may be.
    ``progress`` is told the rows done of each phase in turn, checking then writing."""
    return import_batch(
        batch=read_hsds(path, kind=kind), actor=actor, progress=progress, phase=phase
    )


def import_batch(
    *,
    batch: Batch,
    actor: User | None,
    progress: Progress | None = None,
    phase: Phase | None = None,
) -> ImportResult:
    if phase is not None:
        phase("checking")
    rows = _convert(batch, progress)
    if phase is not None:
        phase("writing")
    with transaction.atomic():
        existing = {
            name: _existing_ids(TABLES[name].model, table_rows) for name, table_rows in rows.items()
        }
        _check_required(rows, existing, batch)
        _check_references(rows, batch)
        if batch.problems:
            # Nested JSON repeats records, and with them their errors: report each once.
            problems = list(dict.fromkeys(batch.problems))
            return ImportResult(problems=problems, warnings=list(dict.fromkeys(batch.warnings)))
        counts = _write(rows, existing, progress)
        # Bulk writes send no signals.
        facets.bump_revision()
        result = ImportResult(counts=counts, warnings=list(dict.fromkeys(batch.warnings)))
        record_event(
            actor=actor,
            action="concord.directory.imported",
            data={
                "created": result.total("created"),
                "updated": result.total("updated"),
                "unchanged": result.total("unchanged"),
                "tables": counts,
            },
        )
    return result


def _convert(batch: Batch, progress: Progress | None = None) -> dict[str, dict[uuid.UUID, Row]]:
    rows: dict[str, dict[uuid.UUID, Row]] = {name: {} for name in TABLES}
    total = len(batch.records)
    for done, record in enumerate(batch.records, start=1):
        if progress is not None and done % 100 == 0:
            progress(done, total)
        table = TABLES[record.table]
        try:
            row_id = to_python(table.field("id"), record.values.get("id"))
        except ValueError as error:
            batch.problems.append(Problem(record.file, record.row, "id", str(error)))
            continue
        values: dict[str, Any] = {}
        invalid: set[str] = set()
        for column, raw in record.values.items():
            if column == "id":
                continue
            try:
                values[column] = to_python(table.field(column), raw)
            except ValueError as error:
                batch.problems.append(Problem(record.file, record.row, column, str(error)))
                invalid.add(column)
        earlier = rows[table.name].get(row_id)
        if earlier is None:
            rows[table.name][row_id] = Row(values, record.file, record.row, invalid)
        else:
            earlier.invalid |= invalid
            _merge(earlier, values, record, batch)
    if progress is not None:
        progress(total, total)
    return rows


def _merge(earlier: Row, values: dict[str, Any], record: Record, batch: Batch) -> None:
    """The same record met twice: nested JSON repeats an organization or a phone under every
    object that has it. Each copy may give some columns; copies must not disagree."""
    if earlier.file == record.file and record.file.endswith(".csv"):
        batch.problems.append(
            Problem(record.file, record.row, "id", f"repeats the id of row {earlier.row}")
        )
        return
    for column, value in values.items():
        current = earlier.values.get(column)
        if current is None or current == "":
            earlier.values[column] = value
        elif value is not None and value != "" and value != current:
            batch.problems.append(
                Problem(
                    record.file,
                    record.row,
                    column,
                    f"differs from the same record in {earlier.file}, row {earlier.row}",
                )
            )


def _needed_columns(table: Table) -> set[str]:
    needed = set(table.required)
    for column in table.columns:
        model_field = table.field(column)
        if not model_field.null and not model_field.blank and not model_field.has_default():
            needed.add(column)
    needed.discard("id")
    return needed


def _check_required(
    rows: dict[str, dict[uuid.UUID, Row]],
    existing: dict[str, set[uuid.UUID]],
    batch: Batch,
) -> None:
    for name, table_rows in rows.items():
        needed = _needed_columns(TABLES[name])
        for row_id, row in table_rows.items():
            if row_id in existing[name]:
                continue
            for column in sorted(needed - row.invalid):
                if row.values.get(column) in (None, ""):
                    batch.problems.append(Problem(row.file, row.row, column, "is required"))


def _check_references(rows: dict[str, dict[uuid.UUID, Row]], batch: Batch) -> None:
    """Every id a row points at must be in the package or already in the directory. An
    optional link that dangles is dropped with a warning: HSDS's own examples point at
    parents outside the package, as any extract of a larger directory does."""
    for table in TABLES.values():
        for reference in table.references:
            in_package = rows[reference.table]
            wanted = {
                row.values[reference.column]
                for row in rows[table.name].values()
                if row.values.get(reference.column) is not None
            } - in_package.keys()
            found = _existing_ids(TABLES[reference.table].model, wanted)
            for row in rows[table.name].values():
                target = row.values.get(reference.column)
                if target is None or target in in_package or target in found:
                    continue
                message = f"refers to {reference.table} {target}, which is not in the package or the directory"
                if reference.required:
                    batch.problems.append(Problem(row.file, row.row, reference.column, message))
                else:
                    batch.warnings.append(
                        Problem(row.file, row.row, reference.column, f"{message}: link left empty")
                    )
                    row.values[reference.column] = None


def _existing_ids(model: type[models.Model], ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    wanted = list(ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(model._default_manager.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _write(
    rows: dict[str, dict[uuid.UUID, Row]],
    existing: dict[str, set[uuid.UUID]],
    progress: Progress | None,
) -> dict[str, dict[str, int]]:
    # Foreign keys are checked at commit (Django declares them deferrable), so a row may be
    # written before the row it points at, as organizations' parents are.
    total = sum(len(table_rows) for table_rows in rows.values())
    done = 0
    counts: dict[str, dict[str, int]] = {}
    for table in TABLES.values():
        table_rows = rows[table.name]
        if not table_rows:
            continue
        model = table.model
        ids = sorted(existing[table.name])
        stored = {
            obj.pk: obj
            for start in range(0, len(ids), _CHUNK)
            for obj in model._default_manager.filter(pk__in=ids[start : start + _CHUNK])
        }
        created: list[models.Model] = []
        updated: list[models.Model] = []
        changed_fields: set[str] = set()
        for row_id, row in table_rows.items():
            attrs = {table.attname(column): value for column, value in row.values.items()}
            obj = stored.get(row_id)
            if obj is None:
                created.append(model(pk=row_id, **attrs))
            else:
                changes = [name for name, value in attrs.items() if getattr(obj, name) != value]
                for name in changes:
                    setattr(obj, name, attrs[name])
                if changes:
                    updated.append(obj)
                    changed_fields.update(changes)
            done += 1
            if progress is not None and done % 100 == 0:
                progress(done, total)
        model._default_manager.bulk_create(created, batch_size=_CHUNK)
        if updated:
            model._default_manager.bulk_update(updated, sorted(changed_fields), batch_size=_CHUNK)
        counts[table.name] = {
            "created": len(created),
            "updated": len(updated),
            "unchanged": len(table_rows) - len(created) - len(updated),
        }
    if progress is not None:
        progress(total, total)
    return counts
