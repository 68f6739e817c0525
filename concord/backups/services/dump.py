"""Writing a backup archive (see ``archive`` for its format)."""

import json
import os
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from concord.backups.services.archive import (
    CHUNK_BYTES,
    FILES,
    FORMAT_VERSION,
    MANIFEST,
    TABLES,
    HashingWriter,
    Member,
    checksum_path,
    dumps_line,
    encode_value,
    file_roots,
    sha256_of_file,
)
from concord.core.fields import EncryptedFieldMixin

FETCH_ROWS = 1000
BASE_DIR = Path(__file__).resolve().parents[3]


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size_bytes: int
    manifest: dict[str, Any]


def table_models() -> list[type[models.Model]]:
    """One model per table that migrations create: auto-created M2M tables and libraries'
    tables included, proxies and unmanaged models left out, in a stable order."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            found.setdefault(meta.db_table, model)
    return [found[table] for table in sorted(found)]


def stored_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns of the model's own table that hold written values: generated columns are
    left out, the database computes them again."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
    ]


Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


def _column_readers(
    model: type[models.Model], connection: BaseDatabaseWrapper
) -> list[tuple[models.Field[Any, Any], Any, list[Converter]]]:
    """Per column: the field, its column expression, and the converters that turn the
    driver's value into a plain Python one. Encrypted fields get none: their token is
    archived as stored. Django's own fields also get their own converters (JSON parsed,
    durations as intervals); other libraries' fields only the backend's."""
    readers = []
    for field in stored_fields(model):
        column = field.get_col(model._meta.db_table)
        converters: list[Converter] = []
        if not isinstance(field, EncryptedFieldMixin):
            converters = list(connection.ops.get_db_converters(column))
            if type(field).__module__.startswith("django.db.models"):
                converters += column.get_db_converters(connection)
        readers.append((field, column, converters))
    return readers


def _rows(model: type[models.Model], connection: BaseDatabaseWrapper) -> Iterator[list[Any]]:
    quote = connection.ops.quote_name
    readers = _column_readers(model, connection)
    columns = ", ".join(quote(field.column) for field, _column, _converters in readers)
    table = quote(model._meta.db_table)
    order = quote(model._meta.pk.column) if model._meta.pk else "1"
    sql = f"SELECT {columns} FROM {table} ORDER BY {order}"  # noqa: S608 (names from the models, quoted)
    # A server-side cursor on PostgreSQL: the table is read in chunks, never whole.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(FETCH_ROWS):
            for raw in batch:
                row = []
                for value, (_field, column, converters) in zip(raw, readers, strict=True):
                    for converter in converters:
                        value = converter(value, column, connection)
                    row.append(encode_value(value))
                yield row


def concord_commit() -> str:
    """The git commit of the running code, read from .git without running git; "" if
    unknown (an installed copy without its repository)."""
    git = BASE_DIR / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head.removeprefix("ref: ")
        if (git / ref).is_file():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return ""


def _write_member(archive: zipfile.ZipFile, name: str) -> Any:
    return archive.open(name, "w", force_zip64=True)


def _write_tables(
    archive: zipfile.ZipFile, connection: BaseDatabaseWrapper
) -> tuple[list[Member], dict[str, Any]]:
    members: list[Member] = []
    tables: dict[str, Any] = {}
    # A model whose migration has not run has no table yet: nothing to back up.
    present = set(connection.introspection.table_names())
    for model in table_models():
        table = model._meta.db_table
        if table not in present:
            continue
        name = f"{TABLES}{table}.jsonl"
        count = 0
        with _write_member(archive, name) as handle:
            writer = HashingWriter(handle)
            for row in _rows(model, connection):
                writer.write(dumps_line(row))
                count += 1
        members.append(Member(name, writer.digest.hexdigest(), writer.size))
        tables[table] = {
            "model": model._meta.label_lower,
            "columns": [field.column for field in stored_fields(model)],
            "encrypted_columns": [
                field.column
                for field in stored_fields(model)
                if isinstance(field, EncryptedFieldMixin)
            ],
            "rows": count,
        }
    return members, tables


def _write_files(archive: zipfile.ZipFile) -> tuple[list[Member], dict[str, int]]:
    members: list[Member] = []
    counts: dict[str, int] = {}
    for root_name, root in file_roots().items():
        counts[root_name] = 0
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            name = f"{FILES}{root_name}/{path.relative_to(root).as_posix()}"
            with path.open("rb") as source, _write_member(archive, name) as handle:
                writer = HashingWriter(handle)
                while chunk := source.read(CHUNK_BYTES):
                    writer.write(chunk)
            members.append(Member(name, writer.digest.hexdigest(), writer.size))
            counts[root_name] += 1
    return members, counts


def write_backup(output: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write a complete archive to ``output`` (mode 0600) and its sha256 beside it.

    The archive is written under a temporary name in the same directory and renamed when
    complete, so ``output`` is never a half-written archive. The tables are read in one
    transaction (REPEATABLE READ on PostgreSQL), so they agree with each other.
    """
    connection = connections[using]
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.{secrets.token_hex(8)}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            created_at = timezone.now()
            outermost = not connection.in_atomic_block
            with transaction.atomic(using=using):
                if outermost and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                applied = sorted(
                    [migration.app, migration.name]
                    for migration in MigrationRecorder.Migration.objects.using(using).all()
                )
                table_members, tables = _write_tables(archive, connection)
            file_members, files = _write_files(archive)
            manifest = {
                "format_version": FORMAT_VERSION,
                "concord_commit": concord_commit(),
                "created_at": created_at.isoformat(),
                "database_vendor": connection.vendor,
                "migrations": applied,
                "tables": tables,
                "files": files,
                "members": [vars(member) for member in [*table_members, *file_members]],
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    digest = sha256_of_file(output)
    checksum = checksum_path(output)
    checksum_partial = checksum.with_name(f".{checksum.name}.partial")
    checksum_partial.write_text(f"{digest}  {output.name}\n")
    os.chmod(checksum_partial, 0o600)
    os.replace(checksum_partial, checksum)
    return BackupResult(output, digest, output.stat().st_size, manifest)
