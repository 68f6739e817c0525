"""The backup archive's format, shared by ``backup`` and ``restore``.

A ZIP file rather than a .tar.gz: each member is written as a stream while its sha256 is
taken (tar needs every member's size before its bytes, so each table would first go to a
temporary file), the manifest can be read and every member checked without unpacking the
rest, each member carries its own CRC as well, and ``unzip -l`` lists it anywhere.

Members:

- ``manifest.json``: format version, Concord's commit when known, when and from which
  database vendor it was made, the applied migrations, each table's columns and row
  count, and every other member's sha256 and size. Written last.
- ``tables/<table>.jsonl``: one JSON array per row, in the order of the manifest's
  columns. Values are what the column holds, in a form every vendor reads back: booleans
  as JSON booleans, date-times in ISO 8601 with their offset, decimals and UUIDs as text,
  binary data in base64, JSON columns as JSON. Encrypted columns hold their Fernet token,
  exactly as stored: nothing here decrypts.
- ``files/<root>/<path>``: every stored file, byte for byte (encrypted files stay tokens).
"""

import base64
import datetime
import decimal
import hashlib
import json
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.duration import duration_iso_string

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES = "tables/"
FILES = "files/"
CHUNK_BYTES = 1024 * 1024
# Tables that `migrate` fills and that describe the code, not the coalition's data.
SCHEMA_TABLES = frozenset({"django_migrations"})


class ArchiveError(Exception):
    """The archive cannot be used: corrupt, incomplete, or made by a newer Concord. The
    message never holds data from the archive's rows."""


def file_roots() -> dict[str, Path]:
    """Every directory of stored files, by a stable name used inside the archive.

    Every FileSystemStorage in STORAGES but the static files (rebuilt by collectstatic),
    and MEDIA_ROOT if no storage already covers it.
    """
    roots: dict[str, Path] = {}
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            roots[alias] = Path(storage.location)
    media = Path(settings.MEDIA_ROOT)
    if all(root.resolve() != media.resolve() for root in roots.values()):
        roots["media"] = media
    return roots


def encode_value(value: Any) -> Any:
    """A column value, as converted by the database backend, in vendor-neutral JSON."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"A column value of type {type(value).__name__} has no archive form.")


def dumps_line(values: list[Any]) -> bytes:
    return (
        json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        + b"\n"
    )


@dataclass
class Member:
    name: str
    sha256: str
    size: int


class HashingWriter:
    """Writes to a member of the archive while taking its sha256 and size."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def safe_member_path(name: str) -> PurePosixPath:
    """The member's path, refused if it could leave the directory it is unpacked into."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise ArchiveError(f"The archive holds a member with an unsafe name: {name!r}.")
    return path


class Archive:
    """A backup archive opened for reading, its checksums verified on opening."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.manifest: dict[str, Any] = {}

    def __enter__(self) -> "Archive":
        self.open_verified()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.zip is not None:
            self.zip.close()

    def open_verified(self) -> None:
        if not self.path.is_file():
            raise ArchiveError(f"No archive at {self.path}.")
        expected = checksum_path(self.path)
        if expected.is_file():
            recorded = expected.read_text().split()[0] if expected.read_text().strip() else ""
            if recorded != sha256_of_file(self.path):
                raise ArchiveError(
                    f"The archive's sha256 differs from {expected.name}: it is corrupt or "
                    "incomplete. Nothing was changed."
                )
        try:
            self.zip = zipfile.ZipFile(self.path)
            self.manifest = json.loads(self.zip.read(MANIFEST))
            self._verify_members()
        except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError) as error:
            raise ArchiveError(
                f"The archive cannot be read ({type(error).__name__}): it is corrupt or not "
                "a Concord backup. Nothing was changed."
            ) from error
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveError(
                f"The archive's format version is {self.manifest.get('format_version')!r}; "
                f"this Concord reads version {FORMAT_VERSION}."
            )

    def _verify_members(self) -> None:
        assert self.zip is not None  # noqa: S101 (set just before)
        listed = {member["name"]: member for member in self.manifest["members"]}
        present = {name for name in self.zip.namelist() if name != MANIFEST}
        if present != set(listed):
            raise ArchiveError(
                "The archive's members differ from its manifest: it is corrupt or was "
                "changed. Nothing was changed."
            )
        for name, member in listed.items():
            safe_member_path(name)
            digest = hashlib.sha256()
            with self.zip.open(name) as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    digest.update(chunk)
            if digest.hexdigest() != member["sha256"]:
                raise ArchiveError(
                    f"The member {name} fails its sha256 check: the archive is corrupt. "
                    "Nothing was changed."
                )

    def rows(self, table: str) -> Iterator[list[Any]]:
        assert self.zip is not None  # noqa: S101 (opened by __enter__)
        with self.zip.open(f"{TABLES}{table}.jsonl") as handle:
            for line in handle:
                yield json.loads(line)

    def file_members(self) -> Iterator[tuple[str, PurePosixPath, str]]:
        """(root name, path inside the root, member name) of every stored file."""
        for member in self.manifest["members"]:
            name = member["name"]
            if name.startswith(FILES):
                parts = safe_member_path(name).parts[1:]
                yield parts[0], PurePosixPath(*parts[1:]), name

    def open_member(self, name: str) -> IO[bytes]:
        assert self.zip is not None  # noqa: S101 (opened by __enter__)
        return self.zip.open(name)
