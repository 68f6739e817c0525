"""A disk full while uploading (issue 10): a clear error, and no half-written file. The
disk is a real, tiny tmpfs filled almost to the brim."""

import errno
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from concord.core.storage import EncryptedFileSystemStorage
from concord.directory.models import ImportRun


def _mount(path: Path, size: str) -> bool:
    result = subprocess.run(  # noqa: S603 (fixed arguments, a test directory)
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB file system with about 8 KiB left."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount(disk, "256k"):
        pytest.skip("mounting a small tmpfs needs root (the CI machine runs as root)")
    try:
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"x" * (free - 8192))  # leave a little room
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)  # noqa: S603, S607


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_an_encrypted_file_that_does_not_fit_leaves_nothing(full_disk: Path) -> None:
    storage = EncryptedFileSystemStorage(location=full_disk / "encrypted")

    with pytest.raises(OSError, match="No space left") as raised:
        storage.save("consents/form.pdf", ContentFile(os.urandom(64 * 1024)))

    assert raised.value.errno == errno.ENOSPC
    assert files_under(full_disk / "encrypted") == []


def test_a_small_file_still_fits(full_disk: Path) -> None:
    storage = EncryptedFileSystemStorage(location=full_disk / "encrypted")

    name = storage.save("consents/form.pdf", ContentFile(b"%PDF-1.4 small"))

    assert storage.open(name).read() == b"%PDF-1.4 small"
    assert files_under(full_disk / "encrypted") == [name]


def test_an_upload_on_a_full_disk_is_a_clear_error_and_stores_nothing(
    full_disk: Path, coordinator_client: Client, settings: Any
) -> None:
    settings.DIRECTORY_IMPORT_DIR = full_disk / "imports"
    (full_disk / "imports").mkdir()
    coordinator_client.raise_request_exception = False
    payload = b'{"organizations": []}' + b" " * (64 * 1024)

    response = coordinator_client.post(
        reverse("directory:import-create"),
        {
            "file": SimpleUploadedFile("hsds.json", payload, "application/json"),
            "submission_token": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 507
    assert b"The file could not be stored" in response.content
    assert b"nothing you sent was saved" in response.content
    assert ImportRun.objects.count() == 0
    assert files_under(full_disk / "imports") == []
