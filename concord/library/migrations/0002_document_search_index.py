"""Full-text index of documents on SQLite (FTS5), as the directory's services have one.
PostgreSQL searches with a SearchVector over unaccent() instead (the directory's
migration 0002 creates that extension), so that "proteccion" finds "protección" on both.

Triggers keep the index in step with every write, bulk ones included."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = [
    # External content: the index keeps no copy of the text, and its rowid is the
    # document's id, so a search reads the index alone.
    "CREATE VIRTUAL TABLE library_document_fts USING fts5("
    "title, title_es, search_text, content='library_document', content_rowid='id', "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER library_document_fts_insert AFTER INSERT ON library_document BEGIN "
    "INSERT INTO library_document_fts (rowid, title, title_es, search_text) "
    "VALUES (new.id, new.title, new.title_es, new.search_text); END",
    "CREATE TRIGGER library_document_fts_delete AFTER DELETE ON library_document BEGIN "
    "INSERT INTO library_document_fts (library_document_fts, rowid, title, title_es, "
    "search_text) VALUES ('delete', old.id, old.title, old.title_es, old.search_text); END",
    "CREATE TRIGGER library_document_fts_update AFTER UPDATE OF id, title, title_es, "
    "search_text ON library_document BEGIN "
    "INSERT INTO library_document_fts (library_document_fts, rowid, title, title_es, "
    "search_text) VALUES ('delete', old.id, old.title, old.title_es, old.search_text); "
    "INSERT INTO library_document_fts (rowid, title, title_es, search_text) "
    "VALUES (new.id, new.title, new.title_es, new.search_text); END",
    "INSERT INTO library_document_fts (library_document_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS library_document_fts_update",
    "DROP TRIGGER IF EXISTS library_document_fts_delete",
    "DROP TRIGGER IF EXISTS library_document_fts_insert",
    "DROP TABLE IF EXISTS library_document_fts",
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
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
