"""Production operations (issue 10): request ids, JSON log lines, the database outage page
and the readiness check."""

import datetime
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.core.requestid import RequestIdFilter
from config.settings import LOGGING


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Point the connection at a database that is not there, for real: a SQLite file in a
    directory that does not exist, or a PostgreSQL port nobody listens on."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-concord-dir/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "9"  # discard: nothing listens there
        connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), "connect_timeout": 2}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_every_response_carries_a_request_id(client: Client, db: None) -> None:
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client: Client, db: None) -> None:
    kept = client.get("/health/", headers={"X-Request-ID": "nginx-abc123def456"})
    replaced = client.get("/health/", headers={"X-Request-ID": "<script>alert(1)</script>"})

    assert kept["X-Request-ID"] == "nginx-abc123def456"
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_a_json_log_line_carries_the_request_id(db: None) -> None:
    formatter = logging.config.dictConfigClass(LOGGING).configure_custom(  # type: ignore[attr-defined]
        dict(LOGGING["formatters"]["json"])  # type: ignore[index]
    )
    record = logging.LogRecord(
        "concord.test", logging.WARNING, __file__, 1, "Saved %s", ("x",), None
    )
    RequestIdFilter().filter(record)

    line = json.loads(formatter.format(record))

    assert line["level"] == "WARNING"
    assert line["logger"] == "concord.test"
    assert line["message"] == "Saved x"
    assert line["request_id"] == "-"  # outside a request
    # ISO 8601 in UTC: the coalition's local time without an offset was ambiguous.
    assert datetime.datetime.fromisoformat(line["time"]).utcoffset() == datetime.timedelta(0)


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_is_a_503_page_and_the_site_recovers_by_itself() -> None:
    client = Client(raise_request_exception=False)

    with database_unreachable():
        down = client.get("/about/")
    back = client.get("/about/")

    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert b"Back in a moment" in down.content
    assert b'class="usa-header' in down.content  # in the site's layout
    assert b"1-888-373-7888" in down.content
    assert back.status_code == 200


def test_ready_answers_ok_when_the_database_answers_and_the_queue_moves(
    client: Client, db: None
) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "ok"}


def test_ready_says_the_queue_is_stalled_when_a_due_task_waits_too_long(
    client: Client, db: None
) -> None:
    from concord.referrals.tasks import referrals_upkeep

    result = referrals_upkeep.enqueue()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=long_ago)

    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["tasks"] == "stalled"


@pytest.mark.django_db(transaction=True)
def test_ready_is_503_when_the_database_is_down() -> None:
    with database_unreachable():
        response = Client(raise_request_exception=False).get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "tasks": "unknown",
    }
