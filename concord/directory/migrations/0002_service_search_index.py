"""Full-text index of services on SQLite (FTS5). PostgreSQL searches with a SearchVector
instead, and needs only the unaccent extension (trusted since PostgreSQL 13, so the
database owner may create it), so that "ninos" finds "niños" on both.

Triggers keep the index in step with every write, bulk ones included, so no code path can
leave it stale. The index keeps the service's id rather than relying on rowid, which
VACUUM may renumber in a table whose primary key is not an integer."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = [
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "service_id UNINDEXED, name, alternate_name, description, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER directory_service_fts_insert AFTER INSERT ON directory_service BEGIN "
    "INSERT INTO directory_service_fts (service_id, name, alternate_name, description) "
    "VALUES (new.id, new.name, new.alternate_name, new.description); END",
    "CREATE TRIGGER directory_service_fts_delete AFTER DELETE ON directory_service BEGIN "
    "DELETE FROM directory_service_fts WHERE service_id = old.id; END",
    "CREATE TRIGGER directory_service_fts_update AFTER UPDATE OF id, name, alternate_name, "
    "description ON directory_service BEGIN "
    "DELETE FROM directory_service_fts WHERE service_id = old.id; "
    "INSERT INTO directory_service_fts (service_id, name, alternate_name, description) "
    "VALUES (new.id, new.name, new.alternate_name, new.description); END",
    "INSERT INTO directory_service_fts (service_id, name, alternate_name, description) "
    "SELECT id, name, alternate_name, description FROM directory_service",
]
DROP = [
    "DROP TRIGGER IF EXISTS directory_service_fts_update",
    "DROP TRIGGER IF EXISTS directory_service_fts_delete",
    "DROP TRIGGER IF EXISTS directory_service_fts_insert",
    "DROP TABLE IF EXISTS directory_service_fts",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql" and statements is CREATE:
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_create_directory")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
