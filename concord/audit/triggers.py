"""Database triggers that make the audit table append-only for every client, not just the ORM."""

from django.db.backends.base.base import BaseDatabaseWrapper

_INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$""",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
        """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
           FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
        # TRUNCATE skips row triggers; refuse it too.
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
        """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
           FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
    ],
}
_REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
    ],
}


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _INSTALL.get(connection.vendor, []):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Only for migrating backwards and for test teardown, which empties every table."""
    with connection.cursor() as cursor:
        for statement in _REMOVE.get(connection.vendor, []):
            cursor.execute(statement)
