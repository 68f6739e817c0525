import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_sqlite_connection_uses_wal_and_a_busy_timeout() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas apply to the SQLite run only; PostgreSQL has no pragmas.")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]

    assert journal_mode == "wal"
    assert busy_timeout == 20000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _start_with(**env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "DEBUG", "FIELD_ENCRYPTION_KEY"}
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _start_with(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is missing or weak" in result.stderr


def test_production_refuses_a_weak_secret_key() -> None:
    result = _start_with(DEBUG="0", SECRET_KEY="short-and-guessable")

    assert result.returncode != 0
    assert "SECRET_KEY is missing or weak" in result.stderr


STRONG_SECRET_KEY = "x7" * 20 + "Qp9-Lm3_Zr8!Kd2#Vb5"
FIELD_KEY = "hW5OJYcLGgL2uOEbz-0H8fBkzUPV3YMqzGNbhjBmQUs="
OLD_FIELD_KEY = "dDmCm4cG5aF-GZmXlB8YFhR1OLq0mXYaOgw7GKrLd8E="


def test_production_starts_with_a_strong_secret_key() -> None:
    result = _start_with(
        DEBUG="0",
        SECRET_KEY=STRONG_SECRET_KEY,
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
        ALLOWED_HOSTS="a.example",
    )

    assert result.returncode == 0, result.stderr


def test_production_starts_with_two_field_keys_for_rotation() -> None:
    result = _start_with(
        DEBUG="0",
        SECRET_KEY=STRONG_SECRET_KEY,
        FIELD_ENCRYPTION_KEY=f"{FIELD_KEY},{OLD_FIELD_KEY}",
        ALLOWED_HOSTS="a.example",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "field_key",
    [
        None,
        "",
        "not-a-fernet-key",
        f"{FIELD_KEY},short",
        "Y29uY29yZC1kZXYtb25seS1maWVsZC1rZXktMzJieXQ=",
    ],
    ids=["missing", "empty", "malformed", "second-malformed", "development-key"],
)
def test_production_refuses_to_start_without_a_good_field_encryption_key(
    field_key: str | None,
) -> None:
    env = {"DEBUG": "0", "SECRET_KEY": STRONG_SECRET_KEY, "ALLOWED_HOSTS": "a.example"}
    if field_key is not None:
        env["FIELD_ENCRYPTION_KEY"] = field_key

    result = _start_with(**env)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is missing or malformed" in result.stderr
    assert "Fernet.generate_key()" in result.stderr
    assert FIELD_KEY not in result.stderr


def test_development_check_reports_a_malformed_field_encryption_key() -> None:
    result = _start_with(DEBUG="1", FIELD_ENCRYPTION_KEY="not-a-fernet-key")

    assert result.returncode != 0
    assert "core.E001" in result.stderr


def test_a_malformed_boolean_is_a_clear_error() -> None:
    result = _start_with(DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
