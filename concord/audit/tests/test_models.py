import pytest
from django.db import DatabaseError, connection, transaction

from concord.audit.models import AppendOnlyError, AuditEvent
from concord.audit.services import record_event


@pytest.fixture
def event(coordinator) -> AuditEvent:
    return record_event(actor=coordinator, action="concord.test.happened", target=coordinator)


def test_record_event_names_actor_action_and_object(event: AuditEvent, coordinator) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)

    assert stored.actor == coordinator
    assert stored.action == "concord.test.happened"
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(coordinator.pk))


def test_saving_an_existing_event_again_fails(event: AuditEvent) -> None:
    event.action = "concord.test.rewritten"

    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_through_the_orm_fails(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_the_database_refuses_update_and_delete_from_raw_sql(event: AuditEvent) -> None:
    table = AuditEvent._meta.db_table
    for statement in (f"UPDATE {table} SET action = 'x'", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)

    assert AuditEvent.objects.get(pk=event.pk).action == "concord.test.happened"
