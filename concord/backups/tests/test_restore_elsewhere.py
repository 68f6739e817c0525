"""A SQLite backup restored by `manage.py restore` into a database without tables: another
SQLite database, and a PostgreSQL one (the cross-vendor restore). Each side is a separate
`manage.py` process with its own DATABASE_URL and var directory, as on a real server."""

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from concord.backups.tests.helpers import (
    disk_hashes,
    file_hashes,
    manifest,
    table_rows,
    without_restore_event,
)

# Set on a SQLite run to reach a PostgreSQL server for the cross-vendor restore; the
# PostgreSQL run of scripts/test.sh uses its own server without it.
PG_URL_VARIABLE = "CONCORD_BACKUP_TEST_PG_URL"
# Run in one `manage.py shell` each, to start Django (and migrate) as few times as possible.
BUILD_SOURCE = """
from io import StringIO
from pathlib import Path
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable")
call_command("seed_demo", "--quiet-logins", stdout=StringIO())
logos = Path(settings.MEDIA_ROOT) / "logos"
logos.mkdir(parents=True)
(logos / "agency.png").write_bytes(b"PNG not really")
(Path(settings.MEDIA_ROOT) / "notes.txt").write_text("A public file.")
call_command("backup", "--output", "{archive}", stdout=StringIO())
"""
RESTORE_AND_BACK_UP = """
from django.core.management import call_command
call_command("restore", "{archive}")
call_command("backup", "--output", "{again}")
"""
PRINT_CLIENT_LABELS = """
import json
from concord.referrals.models import Referral
labels = sorted(str(r.client_values().get("client_label")) for r in Referral.objects.all())
print("labels:", json.dumps(labels))
"""


def manage(*args: str, var_dir: Path, database_url: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["CONCORD_VAR_DIR"] = str(var_dir)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(  # noqa: S603 (this project's manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def roots_of(var_dir: Path) -> dict[str, Path]:
    return {"default": var_dir / "uploads", "encrypted": var_dir / "encrypted"}


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A demo site on SQLite with a few plain files besides the demo's encrypted ones,
    and its backup."""
    var_dir = tmp_path_factory.mktemp("source")
    archive = var_dir.parent / "source.zip"
    output = manage(
        "shell", "-c", BUILD_SOURCE.format(archive=archive) + PRINT_CLIENT_LABELS, var_dir=var_dir
    )
    return var_dir, archive, client_labels(output)


def _server_url() -> str | None:
    if connection.vendor == "postgresql":
        config = connection.settings_dict
        password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
        host = config.get("HOST") or "127.0.0.1"
        return f"postgres://{config['USER']}{password}@{host}:{config.get('PORT') or 5432}"
    url = os.environ.get(PG_URL_VARIABLE, "")
    return url.rsplit("/", 1)[0] if url else None


@pytest.fixture
def empty_postgresql() -> Iterator[str]:
    """A new PostgreSQL database without tables on the suite's server, dropped afterwards."""
    server = _server_url()
    if server is None:
        pytest.skip(
            "The cross-vendor restore needs a PostgreSQL server: it runs in the PostgreSQL "
            f"run of scripts/test.sh, or here with {PG_URL_VARIABLE}=postgres://user@host:port/db."
        )
    import psycopg

    name = f"concord_restore_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore_and_compare(
    source: tuple[Path, Path, list[str]], target_dir: Path, database_url: str | None
) -> dict[str, Any]:
    source_dir, archive, _labels = source
    again = target_dir.parent / f"{target_dir.name}-again.zip"
    output = manage(
        "shell",
        "-c",
        RESTORE_AND_BACK_UP.format(archive=archive, again=again) + PRINT_CLIENT_LABELS,
        var_dir=target_dir,
        database_url=database_url,
    )

    assert "into a new schema" in output
    assert without_restore_event(table_rows(again)) == table_rows(archive)
    assert file_hashes(again) == file_hashes(archive)
    assert disk_hashes(roots_of(target_dir)) == disk_hashes(roots_of(source_dir))
    return manifest(again) | {"client_labels": client_labels(output)}


def client_labels(output: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith("labels: "))
    return json.loads(line.removeprefix("labels: "))


def test_a_backup_restores_into_an_empty_sqlite_database(
    sqlite_site: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    target = tmp_path / "target"

    described = _restore_and_compare(sqlite_site, target, None)

    assert described["database_vendor"] == "sqlite"
    assert described["client_labels"] == sqlite_site[2]


def test_a_sqlite_backup_restores_into_postgresql_and_still_decrypts(
    sqlite_site: tuple[Path, Path, list[str]], tmp_path: Path, empty_postgresql: str
) -> None:
    target = tmp_path / "target"

    described = _restore_and_compare(sqlite_site, target, empty_postgresql)

    # The restore's own audit event (checked in _restore_and_compare) and the second
    # backup's run were inserted after the load: the sequences were moved past the data.
    assert described["database_vendor"] == "postgresql"
    assert described["client_labels"] == sqlite_site[2]
    assert any(label.startswith("Demo client") for label in described["client_labels"])
