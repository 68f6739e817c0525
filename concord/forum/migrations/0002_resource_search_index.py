"""Full-text index of resources on SQLite (FTS5), as the directory's services have one.
PostgreSQL searches with a SearchVector over unaccent instead (the directory's migration
creates that extension), so that "guia" finds "guía" on both.

Triggers keep the index in step with every write, so no code path can leave it stale."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = [
    "CREATE VIRTUAL TABLE forum_resource_fts USING fts5("
    "resource_id UNINDEXED, title, title_es, summary, summary_es, tags, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER forum_resource_fts_insert AFTER INSERT ON forum_resource BEGIN "
    "INSERT INTO forum_resource_fts (resource_id, title, title_es, summary, summary_es, tags) "
    "VALUES (new.id, new.title, new.title_es, new.summary, new.summary_es, new.tags); END",
    "CREATE TRIGGER forum_resource_fts_delete AFTER DELETE ON forum_resource BEGIN "
    "DELETE FROM forum_resource_fts WHERE resource_id = old.id; END",
    "CREATE TRIGGER forum_resource_fts_update AFTER UPDATE OF id, title, title_es, summary, "
    "summary_es, tags ON forum_resource BEGIN "
    "DELETE FROM forum_resource_fts WHERE resource_id = old.id; "
    "INSERT INTO forum_resource_fts (resource_id, title, title_es, summary, summary_es, tags) "
    "VALUES (new.id, new.title, new.title_es, new.summary, new.summary_es, new.tags); END",
    "INSERT INTO forum_resource_fts (resource_id, title, title_es, summary, summary_es, tags) "
    "SELECT id, title, title_es, summary, summary_es, tags FROM forum_resource",
]
DROP = [
    "DROP TRIGGER IF EXISTS forum_resource_fts_update",
    "DROP TRIGGER IF EXISTS forum_resource_fts_delete",
    "DROP TRIGGER IF EXISTS forum_resource_fts_insert",
    "DROP TABLE IF EXISTS forum_resource_fts",
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
    dependencies = [("forum", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
