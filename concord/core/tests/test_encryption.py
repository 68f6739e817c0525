"""Encryption at rest (SECURITY.md rule 16): the primitives, the model fields, the file
storage, and the proof that a marker written into every encrypted field and file reaches
neither the database file, a dump, the files on disk nor the logs in plain text."""

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models
from django.db.models import Value
from django.db.models.functions import Cast
from django.test.utils import isolate_apps

from concord.core import encryption
from concord.core.checks import (
    check_encrypted_fields_are_personal,
    check_field_encryption_keys,
    misclassified_encrypted_fields,
)
from concord.core.encryption import DecryptionError
from concord.core.fields import EncryptedCharField, EncryptedTextField, encrypted_fields
from concord.core.sensitivity import Sensitivity, classify, declared_sensitivity, sensitivity_of
from concord.core.storage import MAX_FILE_BYTES, EncryptedFileSystemStorage, FileTooLargeError
from concord.core.tests.encrypted_models import SecretNote
from tests.sentinel import (
    SENTINEL,
    Trail,
    database_dump,
    database_files_with_sentinel,
    mark_personal_fields,
)


def _raw(model: type[models.Model], field_name: str) -> list[str | None]:
    """The stored column values, read past the field's decryption."""
    raw = Cast(field_name, models.TextField())
    return list(model._base_manager.order_by("pk").annotate(raw=raw).values_list("raw", flat=True))


# Primitives


def test_text_round_trips() -> None:
    token = encryption.encrypt_text("Señora Ñandú, 555-0100")

    assert token != "Señora Ñandú, 555-0100"
    assert encryption.decrypt_text(token) == "Señora Ñandú, 555-0100"


def test_two_encryptions_of_the_same_text_differ() -> None:
    assert encryption.encrypt_text("same") != encryption.encrypt_text("same")


def test_a_changed_token_fails_with_a_clean_error() -> None:
    token = bytearray(encryption.encrypt_bytes(b"secret body"))
    token[30] = ord("A") if token[30] != ord("A") else ord("B")

    with pytest.raises(DecryptionError) as raised:
        encryption.decrypt_bytes(bytes(token))

    assert "secret body" not in str(raised.value)
    assert "failed authentication" in str(raised.value)


def test_a_token_from_an_unknown_key_fails() -> None:
    token = Fernet(Fernet.generate_key()).encrypt(b"made elsewhere")

    with pytest.raises(DecryptionError):
        encryption.decrypt_bytes(token)


def test_text_that_is_no_token_fails() -> None:
    with pytest.raises(DecryptionError):
        encryption.decrypt_text("plain text, not a token ñ")


def test_key_problems_name_each_fault_without_the_key() -> None:
    good = Fernet.generate_key().decode()

    assert encryption.key_problems([good]) == []
    assert encryption.key_problems([]) == ["FIELD_ENCRYPTION_KEY is empty."]
    problems = encryption.key_problems([good, "not-a-key", good])
    assert problems == [
        "Key number 2 of FIELD_ENCRYPTION_KEY is not a Fernet key (32 bytes, URL-safe "
        "base64, 44 characters).",
        "FIELD_ENCRYPTION_KEY lists the same key twice.",
    ]
    assert not any(good in problem or "not-a-key" in problem for problem in problems)


def test_parse_keys_splits_on_commas_and_trims() -> None:
    assert encryption.parse_keys(" a, b ,,c ") == ["a", "b", "c"]
    assert encryption.parse_keys("") == []


def test_the_system_check_reports_a_malformed_key(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = ["short"]

    errors = check_field_encryption_keys()

    assert [error.id for error in errors] == ["core.E001"]
    assert "Fernet.generate_key" in str(errors[0].hint)


def test_the_system_check_passes_the_configured_keys() -> None:
    assert check_field_encryption_keys() == []


# Model fields


def test_fields_round_trip_through_the_database(secret_note_table: type[SecretNote]) -> None:
    note = SecretNote.objects.create(
        body="Long notes\nwith lines", name="Ana", details={"phone": "555-0100", "ages": [3, 7]}
    )

    stored = SecretNote.objects.get(pk=note.pk)

    assert stored.body == "Long notes\nwith lines"
    assert stored.name == "Ana"
    assert stored.details == {"phone": "555-0100", "ages": [3, 7]}
    assert stored.nickname is None
    assert list(SecretNote.objects.values_list("name", flat=True)) == ["Ana"]


def test_empty_text_is_encrypted_and_none_is_null(secret_note_table: type[SecretNote]) -> None:
    note = SecretNote.objects.create(body="", name="", details=None, nickname=None)

    stored = SecretNote.objects.get(pk=note.pk)

    assert (stored.body, stored.name, stored.details, stored.nickname) == ("", "", None, None)
    assert _raw(SecretNote, "body")[0] not in ("", None)
    assert _raw(SecretNote, "nickname") == [None]
    assert _raw(SecretNote, "details") == [None]


def test_the_column_holds_ciphertext_that_differs_for_equal_values(
    secret_note_table: type[SecretNote],
) -> None:
    SecretNote.objects.create(body="same words")
    SecretNote.objects.create(body="same words")

    first, second = _raw(SecretNote, "body")

    assert first != second
    assert "same words" not in f"{first}{second}"


def test_update_and_bulk_writes_encrypt_too(secret_note_table: type[SecretNote]) -> None:
    SecretNote.objects.bulk_create([SecretNote(body="one"), SecretNote(body="two")])
    first, second = SecretNote.objects.order_by("pk")
    SecretNote.objects.filter(pk=first.pk).update(body="uno")
    second.body = "dos"
    SecretNote.objects.bulk_update([second], ["body"])

    assert [note.body for note in SecretNote.objects.order_by("pk")] == ["uno", "dos"]
    assert not any(word in str(_raw(SecretNote, "body")) for word in ("uno", "dos", "one"))


def test_reading_a_tampered_value_raises(secret_note_table: type[SecretNote]) -> None:
    note = SecretNote.objects.create(body="original")
    token = _raw(SecretNote, "body")[0]
    assert token is not None
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    # A Value with a plain text output field writes the column as is, past the encryption.
    SecretNote.objects.filter(pk=note.pk).update(
        body=Value(tampered, output_field=models.TextField())
    )

    with pytest.raises(DecryptionError):
        SecretNote.objects.get(pk=note.pk)


def test_reading_a_value_made_with_a_removed_key_raises(
    secret_note_table: type[SecretNote], settings: Any
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    note = SecretNote.objects.create(body="old")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(DecryptionError):
        SecretNote.objects.get(pk=note.pk)


def test_lookups_other_than_isnull_are_refused(secret_note_table: type[SecretNote]) -> None:
    SecretNote.objects.create(body="findable?", nickname=None)

    with pytest.raises(FieldError, match="cannot be filtered with 'exact'"):
        SecretNote.objects.filter(body="findable?")
    with pytest.raises(FieldError, match="cannot be filtered with 'icontains'"):
        SecretNote.objects.filter(body__icontains="find")
    with pytest.raises(FieldError, match="cannot be transformed with 'lower'"):
        SecretNote.objects.filter(name__lower__exact="x")
    assert SecretNote.objects.filter(nickname__isnull=True).count() == 1
    assert SecretNote.objects.filter(body__isnull=True).count() == 0


def test_char_field_validates_the_plaintext_length() -> None:
    note = SecretNote(name="x" * 21)

    with pytest.raises(ValidationError) as raised:
        note.full_clean(exclude=["document"])

    assert list(raised.value.message_dict) == ["name"]
    SecretNote(name="x" * 20).full_clean(exclude=["document"])


def test_fields_deconstruct_for_migrations() -> None:
    name_field = SecretNote._meta.get_field("name")
    body_field = SecretNote._meta.get_field("body")

    assert name_field.deconstruct()[1:] == (
        "concord.core.fields.EncryptedCharField",
        [],
        {"max_length": 20, "blank": True},
    )
    assert body_field.deconstruct()[1:] == (
        "concord.core.fields.EncryptedTextField",
        [],
        {"blank": True},
    )
    assert body_field.db_parameters(connection)["type"] == models.TextField().db_type(connection)


def test_char_field_form_is_a_one_line_input_with_a_limit() -> None:
    form_field = SecretNote._meta.get_field("name").formfield()

    assert form_field is not None
    assert form_field.max_length == 20  # type: ignore[attr-defined]
    assert form_field.widget.input_type == "text"  # type: ignore[attr-defined]


@isolate_apps("concord.core")
def test_searchable_or_lengthless_encrypted_fields_fail_the_checks() -> None:
    class Wrong(models.Model):
        code = EncryptedTextField(unique=True)
        short = EncryptedCharField()

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return str(self.pk)

    assert sorted(error.id for error in Wrong.check()) == ["core.E010", "core.E011"]


def test_encrypted_fields_are_always_personal() -> None:
    assert [field.name for field in encrypted_fields(SecretNote)] == [
        "body",
        "name",
        "details",
        "nickname",
    ]
    assert sensitivity_of(SecretNote, "body") == Sensitivity.PERSONAL
    assert sensitivity_of(SecretNote, "details") == Sensitivity.PERSONAL
    assert declared_sensitivity(SecretNote, "body") is None
    assert sensitivity_of(SecretNote, "label") is None


@isolate_apps("concord.core")
def test_an_encrypted_field_classified_as_internal_fails_the_check() -> None:
    class Misfiled(models.Model):
        note = EncryptedTextField()

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return str(self.pk)

    classify("core.misfiled", internal=("note",))

    errors = misclassified_encrypted_fields([Misfiled])

    assert [error.id for error in errors] == ["core.E002"]
    assert check_encrypted_fields_are_personal() == []


# File storage


@pytest.fixture
def storage(tmp_path: Path) -> EncryptedFileSystemStorage:
    return EncryptedFileSystemStorage(location=tmp_path)


def test_files_round_trip_under_a_random_name(
    storage: EncryptedFileSystemStorage, tmp_path: Path
) -> None:
    name = storage.save("consents/Maria Lopez release.pdf", ContentFile(b"%PDF-1.7 consent"))

    directory, base = os.path.split(name)
    assert directory == "consents"
    assert len(base) == 32
    assert "Maria" not in name
    assert "." not in base
    with storage.open(name) as opened:
        assert opened.read() == b"%PDF-1.7 consent"
    on_disk = (tmp_path / name).read_bytes()
    assert b"consent" not in on_disk
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_two_saves_of_one_file_get_different_names(storage: EncryptedFileSystemStorage) -> None:
    first = storage.save("a.txt", ContentFile(b"same"))
    second = storage.save("a.txt", ContentFile(b"same"))

    assert first != second


def test_files_have_no_url_and_open_for_reading_only(storage: EncryptedFileSystemStorage) -> None:
    name = storage.save("a.txt", ContentFile(b"x"))

    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)
    with pytest.raises(ValueError, match="reading only"):
        storage.open(name, "wb")


def test_a_name_that_climbs_out_goes_nowhere(
    storage: EncryptedFileSystemStorage, tmp_path: Path
) -> None:
    with pytest.raises(SuspiciousFileOperation):
        storage.save("../escape.txt", ContentFile(b"x"))

    assert not (tmp_path.parent / "escape.txt").exists()


def test_a_changed_file_fails_to_open(storage: EncryptedFileSystemStorage, tmp_path: Path) -> None:
    name = storage.save("a.txt", ContentFile(b"document"))
    path = tmp_path / name
    data = bytearray(path.read_bytes())
    data[40] = ord("A") if data[40] != ord("A") else ord("B")
    path.write_bytes(bytes(data))

    with pytest.raises(DecryptionError):
        storage.open(name)


def test_a_file_past_the_cap_is_refused(storage: EncryptedFileSystemStorage) -> None:
    with pytest.raises(FileTooLargeError):
        storage.save("big.bin", ContentFile(b"\0" * (MAX_FILE_BYTES + 1)))


def test_a_model_file_field_uses_the_configured_encrypted_storage(
    secret_note_table: type[SecretNote], settings: Any, tmp_path: Path
) -> None:
    settings.ENCRYPTED_FILES_ROOT = tmp_path
    note = SecretNote(body="with a document")
    note.document.save("consent.pdf", ContentFile(b"signed consent"))

    stored = SecretNote.objects.get(pk=note.pk)

    with stored.document.open() as opened:
        assert opened.read() == b"signed consent"
    assert (tmp_path / stored.document.name).exists()
    assert b"signed consent" not in (tmp_path / stored.document.name).read_bytes()


# The sentinel proof


def test_the_dump_check_finds_a_marker_written_in_plain_text(
    secret_note_table: type[SecretNote],
) -> None:
    SecretNote.objects.create(label=SENTINEL)

    assert SENTINEL in database_dump()


def test_no_marker_reaches_the_database_a_dump_the_files_or_the_logs(
    secret_note_table: type[SecretNote], settings: Any, tmp_path: Path, trail: Trail
) -> None:
    settings.ENCRYPTED_FILES_ROOT = tmp_path
    notes = [mark_personal_fields(SecretNote(), index) for index in range(3)]
    for note in notes:
        note.details = {"name": f"{SENTINEL} details"}
        note.document.save("release.txt", ContentFile(f"{SENTINEL} document".encode()))
    SecretNote.objects.filter(pk=notes[0].pk).update(body=f"{SENTINEL} updated")
    stored = list(SecretNote.objects.order_by("pk"))
    connection.close()  # so SQLite's WAL is written out and the file holds everything

    assert [note.name for note in stored] == [f"{SENTINEL} name {index}" for index in range(3)]
    assert stored[0].body == f"{SENTINEL} updated"
    assert all(f"{SENTINEL}" in (note.nickname or "") for note in stored)
    for field_name in ("body", "name", "details", "nickname"):
        assert not any(SENTINEL in (value or "") for value in _raw(SecretNote, field_name))
    assert database_files_with_sentinel() == []
    assert SENTINEL not in database_dump()
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(files) == 3
    assert not any(SENTINEL.encode() in path.read_bytes() for path in files)
    assert trail.leaks() == []
