"""Sentinel checks (SECURITY.md rules 14 and 16).

Test data writes a unique marker into every personal field; these helpers then search the
places personal data must never reach: sent mail, log records, requested URLs and redirect
targets, and the raw bytes of the database file.
"""

import logging
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_started
from django.db import connection, models

from concord.core.sensitivity import Sensitivity, sensitivity_of

SENTINEL = "Qx7Sentinel"


def sentinel_value(model_field: models.Field, index: int = 0) -> str:
    """A valid value for a personal field that carries the marker."""
    if isinstance(model_field, models.EmailField):
        return f"{SENTINEL.lower()}{index}@example.org"
    return f"{SENTINEL} {model_field.name} {index}"


def mark_personal_fields(instance: models.Model, index: int = 0) -> models.Model:
    """Write the marker into every text field of ``instance`` classified personal."""
    for model_field in instance._meta.concrete_fields:
        text = isinstance(model_field, models.CharField | models.TextField)
        personal = sensitivity_of(type(instance), model_field.name) == Sensitivity.PERSONAL
        if text and personal and model_field.name != "password":
            setattr(instance, model_field.attname, sentinel_value(model_field, index))
    return instance


@dataclass
class Trail:
    """Everything a test run sent out or wrote down that could carry personal data."""

    urls: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)

    def leaks(self, *, mails: list[EmailMessage] = (), db_file: bool = False) -> list[str]:  # type: ignore[assignment]
        found = [f"url: {url}" for url in self.urls if SENTINEL.lower() in url.lower()]
        found += [f"log: {line}" for line in self.logs if SENTINEL.lower() in line.lower()]
        for message in mails:
            if SENTINEL.lower() in message.as_string().lower():
                found.append(f"mail: {message['Subject']}")
        if db_file:
            found += [f"database file: {path}" for path in database_files_with_sentinel()]
        return found


def database_files_with_sentinel() -> list[str]:
    """The SQLite database and WAL files whose raw bytes contain the marker."""
    if connection.vendor != "sqlite":
        return []
    name = Path(str(connection.settings_dict["NAME"]))
    marker = SENTINEL.encode()
    paths = [name, name.with_name(name.name + "-wal")]
    return [str(path) for path in paths if path.exists() and marker in path.read_bytes()]


def _sqlite_dump() -> str:
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump())


def _postgres_dump() -> str:
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    if not binaries:
        pytest.skip("pg_dump is not installed (scripts/system-deps.sh test installs it).")
    config = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(config.get("PASSWORD") or "")}
    return subprocess.run(  # noqa: S603 (fixed arguments, the test database)
        [
            str(binaries[-1]),
            "--data-only",
            f"--host={config['HOST'] or '127.0.0.1'}",
            f"--port={config['PORT'] or 5432}",
            f"--username={config['USER']}",
            str(config["NAME"]),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def database_dump() -> str:
    """A plain-text dump of the test database: SQLite's iterdump, or pg_dump's data."""
    return _sqlite_dump() if connection.vendor == "sqlite" else _postgres_dump()


class _Collect(logging.Handler):
    def __init__(self, trail: Trail) -> None:
        super().__init__(level=logging.DEBUG)
        self.trail = trail

    def emit(self, record: logging.LogRecord) -> None:
        self.trail.logs.append(self.format(record))


@pytest.fixture
def trail() -> Iterator[Trail]:
    """Records every requested URL (with query string) and every log line during a test."""
    collected = Trail()

    def on_request(sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        query = environ.get("QUERY_STRING", "")
        collected.urls.append(environ.get("PATH_INFO", "") + (f"?{query}" if query else ""))

    handler = _Collect(collected)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    request_started.connect(on_request)
    try:
        yield collected
    finally:
        request_started.disconnect(on_request)
        root.removeHandler(handler)
        root.setLevel(previous_level)
