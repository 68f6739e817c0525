"""Restoring a backup archive into an empty database, or over an existing one."""

import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from concord.audit import triggers
from concord.audit.services import record_event
from concord.backups.services.archive import SCHEMA_TABLES, Archive, ArchiveError, file_roots
from concord.backups.services.dump import stored_fields, table_models
from concord.core.fields import EncryptedFieldMixin
from concord.core.storage import EncryptedFileSystemStorage

INSERT_ROWS = 500
# Filled by `migrate` itself; a database holding only these is as good as empty.
MIGRATE_FILLED = SCHEMA_TABLES | {"django_content_type", "auth_permission"}


class RestoreRefusedError(Exception):
    """The restore would not be safe; nothing was changed. The message says why."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    created_schema: bool


def tables_with_rows(connection: BaseDatabaseWrapper) -> list[str]:
    """Tables holding rows other than those `migrate` puts there."""
    quote = connection.ops.quote_name
    found = []
    present = existing_tables(connection)
    with connection.cursor() as cursor:
        for model in table_models():
            table = model._meta.db_table
            if table in MIGRATE_FILLED or table not in present:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 (a model's table, quoted)
            if cursor.fetchone():
                found.append(table)
    return found


def existing_tables(connection: BaseDatabaseWrapper) -> set[str]:
    return set(connection.introspection.table_names())


def _migration_targets(
    archive_migrations: set[tuple[str, str]], loader: MigrationLoader
) -> list[tuple[str, str]]:
    """Each app's last migration among those the archive's database had applied."""
    by_app: dict[str, list[tuple[str, str]]] = {}
    for key in archive_migrations:
        by_app.setdefault(key[0], []).append(key)
    return [
        max(keys, key=lambda key: len(loader.graph.forwards_plan(key))) for keys in by_app.values()
    ]


def _check_migrations(archive: Archive, connection: BaseDatabaseWrapper) -> set[tuple[str, str]]:
    archived = {(app, name) for app, name in archive.manifest["migrations"]}
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    unknown = sorted(archived - set(loader.disk_migrations))
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise RestoreRefusedError(
            f"The archive was made by a newer Concord: this code lacks the migrations {names}"
            f"{' and more' if len(unknown) > 5 else ''}. Update the code, then restore."
        )
    return archived


def _prepare_schema(archive: Archive, connection: BaseDatabaseWrapper, *, force: bool) -> bool:
    """Bring the schema to the archive's migrations; True when it was created here."""
    archived = _check_migrations(archive, connection)
    executor = MigrationExecutor(connection)
    if existing_tables(connection):
        applied = set(MigrationRecorder(connection).applied_migrations())
        busy = tables_with_rows(connection)
        if busy and not force:
            raise RestoreRefusedError(
                f"The database already holds data ({len(busy)} tables have rows, such as "
                f"{busy[0]}). Restoring replaces all of it: run again with --force."
            )
        if not applied <= archived:
            newer = sorted(f"{app}.{name}" for app, name in applied - archived)[:5]
            raise RestoreRefusedError(
                "The database has migrations the archive does not (such as "
                f"{', '.join(newer)}): restore into an empty database instead."
            )
        created = False
    else:
        created = True
    targets = _migration_targets(archived, executor.loader)
    executor.migrate(targets, plan=executor.migration_plan(targets))
    return created


Prep = Callable[[Any], Any]


def _column_preps(
    model: type[models.Model] | None, columns: list[str], connection: BaseDatabaseWrapper
) -> list[Prep]:
    """Per archived column, how its archived value becomes a value for this database:
    through the field's own conversion, except encrypted tokens, which pass untouched."""
    fields = {field.column: field for field in stored_fields(model)} if model else {}

    def untouched(value: Any) -> Any:
        return value

    def through(field: models.Field[Any, Any]) -> Prep:
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return lambda value: field.get_db_prep_save(field.to_python(value), connection)

    preps: list[Prep] = []
    for column in columns:
        field = fields.get(column)
        if field is None or isinstance(field, EncryptedFieldMixin):
            preps.append(untouched)
        else:
            preps.append(through(field))
    return preps


def _load_table(
    archive: Archive, table: str, info: dict[str, Any], connection: BaseDatabaseWrapper
) -> int:
    models_by_table = {model._meta.db_table: model for model in table_models()}
    with connection.cursor() as cursor:
        known = {
            column.name for column in connection.introspection.get_table_description(cursor, table)
        }
    columns: list[str] = info["columns"]
    if not set(columns) <= known:
        raise RestoreRefusedError(
            f"The table {table} has no columns {sorted(set(columns) - known)} in this schema."
        )
    preps = _column_preps(models_by_table.get(table), columns, connection)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 (names checked against the schema, quoted)
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in archive.rows(table):
            batch.append([prep(value) for prep, value in zip(preps, row, strict=True)])
            if len(batch) >= INSERT_ROWS:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _load_tables(archive: Archive, connection: BaseDatabaseWrapper) -> int:
    """Empty every table and load the archive's rows, in one transaction.

    The audit table's append-only triggers refuse the emptying, deliberately: they are
    dropped for it and installed again before the transaction commits, so no other client
    ever sees the table without them.
    """
    tables: dict[str, Any] = archive.manifest["tables"]
    present = existing_tables(connection)
    missing = sorted(set(tables) - present)
    if missing:
        raise RestoreRefusedError(f"The schema lacks the archive's tables {missing[:5]}.")
    flushable = sorted(
        model._meta.db_table
        for model in table_models()
        if model._meta.db_table in present and model._meta.db_table not in SCHEMA_TABLES
    )
    rows = 0
    with transaction.atomic(using=connection.alias):
        triggers.remove(connection)
        flush = connection.ops.sql_flush(no_style(), flushable, reset_sequences=True)
        with connection.cursor() as cursor:
            for statement in flush:
                cursor.execute(statement)
        for table, info in tables.items():
            if table not in SCHEMA_TABLES:
                rows += _load_table(archive, table, info, connection)
        reset = connection.ops.sequence_reset_sql(no_style(), table_models())
        with connection.cursor() as cursor:
            for statement in reset:
                cursor.execute(statement)
        triggers.install(connection)
    return rows


def _unpack_files(archive: Archive) -> dict[str, Path]:
    """Each root's files unpacked beside it, ready to take its place; none written over."""
    roots = file_roots()
    unknown = {root for root, _path, _name in archive.file_members()} - set(roots)
    if unknown:
        raise RestoreRefusedError(
            f"The archive holds files for storages this site does not have: {sorted(unknown)}."
        )
    private = {
        name
        for name in roots
        if name in settings.STORAGES and isinstance(storages[name], EncryptedFileSystemStorage)
    }
    staged: dict[str, Path] = {}
    for root_name, root in roots.items():
        root.parent.mkdir(parents=True, exist_ok=True)
        stage = root.with_name(f".{root.name}.restoring-{secrets.token_hex(6)}")
        stage.mkdir(mode=0o700 if root_name in private else 0o755)
        staged[root_name] = stage
    for root_name, path, member in archive.file_members():
        target = staged[root_name].joinpath(*path.parts)
        target.parent.mkdir(
            parents=True, exist_ok=True, mode=0o700 if root_name in private else 0o755
        )
        with archive.open_member(member) as source, target.open("wb") as handle:
            shutil.copyfileobj(source, handle)
        target.chmod(0o600 if root_name in private else 0o644)
    return staged


def _swap_files(staged: dict[str, Path]) -> None:
    roots = file_roots()
    for root_name, stage in staged.items():
        root = roots[root_name]
        if root.exists():
            shutil.rmtree(root)
        stage.rename(root)


def _discard(staged: dict[str, Path]) -> None:
    for stage in staged.values():
        shutil.rmtree(stage, ignore_errors=True)


def restore_backup(
    path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Restore ``path`` after checking every checksum; see the ``restore`` command."""
    connection = connections[using]
    with Archive(path) as archive:
        created = _prepare_schema(archive, connection, force=force)
        staged = _unpack_files(archive)
        try:
            rows = _load_tables(archive, connection)
            # Migrations newer than the archive, then what `migrate` adds after them.
            call_command("migrate", database=using, verbosity=0, interactive=False)
            # The cache table is not backed up (it holds nothing that cannot be rebuilt).
            call_command("createcachetable", database=using, verbosity=0)
            with transaction.atomic(using=using):
                record_event(
                    actor=None,
                    action="concord.backups.restored",
                    data={"created_at": archive.manifest["created_at"], "rows": rows},
                )
        except BaseException:
            _discard(staged)
            raise
        _swap_files(staged)
        files = sum(1 for _ in archive.file_members())
    return RestoreResult(len(archive.manifest["tables"]), rows, files, created)


__all__ = ["ArchiveError", "RestoreRefusedError", "RestoreResult", "restore_backup"]
