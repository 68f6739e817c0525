"""The benchmark's databases: seeded once per schema and demo data, copied for each run.

``var/bench/scaleN.sqlite3`` is the pristine seeded file. It is re-used while its stamp
(a hash of every migration, the demo seeders and the scale) matches the tree, and seeded
again, into a temporary file that replaces it only when complete, when anything of that
changed. Each run works on a copy, so sessions and cache rows written during a run never
change the next run's data.
"""

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"

# What decides the seeded data: the schema and the code that writes the demo.
SEED_INPUTS = [
    "concord/*/migrations/*.py",
    "concord/*/demo.py",
    "concord/core/management/commands/seed_demo.py",
]


def input_files(base_dir: Path = BASE_DIR, patterns: Iterable[str] = SEED_INPUTS) -> list[Path]:
    return sorted({path for pattern in patterns for path in base_dir.glob(pattern)})


def fingerprint(files: Iterable[Path], *, scale: int, base_dir: Path = BASE_DIR) -> str:
    """A hash of the files' names and contents and of the scale."""
    digest = hashlib.sha256(f"scale={scale}\n".encode())
    for path in sorted(files):
        digest.update(str(path.relative_to(base_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def seeded_path(scale: int, bench_dir: Path = BENCH_DIR) -> Path:
    return bench_dir / f"scale{scale}.sqlite3"


def stamp_path(database: Path) -> Path:
    return database.with_name(database.name + ".stamp.json")


def is_current(database: Path, expected: str) -> bool:
    stamp = stamp_path(database)
    if not database.exists() or not stamp.exists():
        return False
    try:
        return json.loads(stamp.read_text()).get("fingerprint") == expected
    except ValueError:
        return False


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"  # an absolute path gives sqlite:////...


def ensure_seeded(scale: int, env: dict[str, str], bench_dir: Path = BENCH_DIR) -> Path:
    """The seeded database for ``scale``, seeding it first if it is missing or stale."""
    database = seeded_path(scale, bench_dir)
    expected = fingerprint(input_files(), scale=scale)
    if is_current(database, expected):
        print(f"[bench] re-using {database.relative_to(BASE_DIR)} (schema and demo unchanged)")
        return database
    bench_dir.mkdir(parents=True, exist_ok=True)
    partial = database.with_name(database.name + ".partial")
    _remove_sqlite(partial)
    print(f"[bench] seeding {database.relative_to(BASE_DIR)} at {scale}x ...", flush=True)
    started = time.monotonic()
    seed_into(sqlite_url(partial), scale, env)
    _checkpoint(partial)
    _remove_sqlite(database)
    partial.replace(database)
    stamp_path(database).write_text(
        json.dumps({"fingerprint": expected, "scale": scale, "seeded_at": time.time()})
    )
    print(f"[bench] seeded {scale}x in {time.monotonic() - started:.0f} s", flush=True)
    return database


def seed_into(database_url: str, scale: int, env: dict[str, str]) -> None:
    """Migrate the (empty) database at ``database_url`` and write the demo into it."""
    seed_env = {**env, "DATABASE_URL": database_url}
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["seed_demo", "--scale", str(scale), "--quiet-logins"],
    ):
        subprocess.run([*manage, *command], cwd=BASE_DIR, env=seed_env, check=True)


def working_copy(seeded: Path, destination: Path) -> Path:
    """Copy the seeded database for one run (SQLite's backup API copies a consistent file)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    _remove_sqlite(destination)
    source = sqlite3.connect(f"file:{seeded}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return destination


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the main file so the file alone is the whole database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
