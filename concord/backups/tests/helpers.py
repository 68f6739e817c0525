"""Reading archives back in tests: per-table rows as stored, and file hashes."""

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from concord.backups.services.archive import FILES, MANIFEST, TABLES


def table_rows(path: Path) -> dict[str, list[str]]:
    """Each table's rows, as archived (raw stored values, tokens included), sorted."""
    with zipfile.ZipFile(path) as archive:
        return {
            name.removeprefix(TABLES).removesuffix(".jsonl"): sorted(
                archive.read(name).decode().splitlines()
            )
            for name in archive.namelist()
            if name.startswith(TABLES)
        }


def file_hashes(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removeprefix(FILES): hashlib.sha256(archive.read(name)).hexdigest()
            for name in archive.namelist()
            if name.startswith(FILES)
        }


def manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def disk_hashes(roots: dict[str, Path]) -> dict[str, str]:
    return {
        f"{name}/{file.relative_to(root).as_posix()}": hashlib.sha256(file.read_bytes()).hexdigest()
        for name, root in roots.items()
        if root.is_dir()
        for file in root.rglob("*")
        if file.is_file()
    }


def without_restore_event(rows: dict[str, list[str]]) -> dict[str, list[str]]:
    """The restore appends one audit event of its own; everything else must be identical."""
    audit = rows["audit_auditevent"]
    restored = [line for line in audit if '"concord.backups.restored"' in line]
    assert len(restored) == 1, restored
    return {**rows, "audit_auditevent": [line for line in audit if line not in restored]}
