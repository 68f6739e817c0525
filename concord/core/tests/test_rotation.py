"""Key rotation: written under key A, rotated with "B,A", still readable with B alone."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models.functions import Cast

from concord.core.encryption import DecryptionError
from concord.core.rotation import rotate_model, rotate_storage
from concord.core.storage import EncryptedFileSystemStorage, encrypted_storage
from concord.core.tests.encrypted_models import SecretNote

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


@pytest.fixture
def key_a(settings: Any, tmp_path: Path) -> Any:
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    settings.ENCRYPTED_FILES_ROOT = tmp_path
    return settings


def _tokens(field_name: str) -> list[str]:
    raw = Cast(field_name, models.TextField())
    rows = SecretNote.objects.order_by("pk").annotate(raw=raw).values_list("raw", flat=True)
    return [token for token in rows if token]


def test_rotated_values_read_with_the_new_key_alone(
    secret_note_table: type[SecretNote], key_a: Any
) -> None:
    for index in range(5):
        SecretNote.objects.create(body=f"note {index}", name=f"name {index}", details=[index])
    SecretNote.objects.create(body="no name", nickname=None, details=None)
    before = _tokens("body")

    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    report = rotate_model(SecretNote, batch_size=2)
    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B]

    # Five rows of three values, and the last row's body and empty name (encrypted too).
    assert (report.rotated, report.current, report.failures) == (17, 0, [])
    assert set(_tokens("body")).isdisjoint(before)
    notes = list(SecretNote.objects.order_by("pk"))
    assert [note.body for note in notes] == [*(f"note {index}" for index in range(5)), "no name"]
    assert [note.details for note in notes] == [[0], [1], [2], [3], [4], None]
    assert notes[-1].nickname is None


def test_rotating_again_changes_nothing(secret_note_table: type[SecretNote], key_a: Any) -> None:
    SecretNote.objects.create(body="one", name="two")
    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    rotate_model(SecretNote)
    tokens = _tokens("body") + _tokens("name")

    report = rotate_model(SecretNote)

    assert (report.rotated, report.current) == (0, 2)
    assert _tokens("body") + _tokens("name") == tokens


def test_a_value_no_key_opens_is_reported_not_lost(
    secret_note_table: type[SecretNote], key_a: Any
) -> None:
    key_a.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    lost = SecretNote.objects.create(body="under a forgotten key")
    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    SecretNote.objects.create(body="fine")

    report = rotate_model(SecretNote)

    assert report.failures == [
        f"core.SecretNote.body pk={lost.pk}",
        f"core.SecretNote.name pk={lost.pk}",
    ]
    assert report.rotated == 0
    assert report.current == 2


def test_rotated_files_open_with_the_new_key_alone(key_a: Any, tmp_path: Path) -> None:
    storage = EncryptedFileSystemStorage(location=tmp_path)
    names = [
        storage.save(f"consents/{index}.pdf", ContentFile(f"PDF {index}".encode()))
        for index in range(3)
    ]

    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    first = rotate_storage(storage)
    second = rotate_storage(storage)
    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B]

    assert (first.rotated, first.current, second.rotated, second.current) == (3, 0, 0, 3)
    for index, name in enumerate(names):
        with storage.open(name) as opened:
            assert opened.read() == f"PDF {index}".encode()
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == sorted(
        Path(name).name for name in names
    )


def test_the_command_rotates_files_and_reports_counts(key_a: Any, db: None) -> None:
    name = encrypted_storage().save("consent.pdf", ContentFile(b"signed"))
    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = StringIO()

    call_command("rotate_field_key", stdout=out)
    call_command("rotate_field_key", stdout=out)
    key_a.FIELD_ENCRYPTION_KEYS = [KEY_B]

    lines = out.getvalue().splitlines()
    assert "Total: 1 re-encrypted, 0 already current, 0 failed." in lines
    assert "Total: 0 re-encrypted, 1 already current, 0 failed." in lines
    with encrypted_storage().open(name) as opened:
        assert opened.read() == b"signed"


def test_the_command_fails_when_a_file_opens_with_no_key(
    key_a: Any, db: None, tmp_path: Path
) -> None:
    (tmp_path / "stray.bin").write_bytes(b"not a token")

    with pytest.raises(CommandError, match="keep the old keys"):
        call_command("rotate_field_key", stdout=StringIO())
    with pytest.raises(DecryptionError):
        encrypted_storage().open("stray.bin")
