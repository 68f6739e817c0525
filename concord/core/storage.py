"""File storage that encrypts contents at rest (SECURITY.md rules 13 and 16).

Each file is one Fernet token (see ``concord.core.encryption``) under
``settings.ENCRYPTED_FILES_ROOT``, a directory outside the web root that nothing serves: a
file leaves only through a view that checks permission and reads it with ``open``. Stored
names are random (the directory part of the requested name is kept, the uploader's file
name is not), so a name says nothing about the person or the document.

Files are encrypted and decrypted whole in memory, which is why they are capped at
``MAX_FILE_BYTES``; upload forms should refuse larger files before they get here.
"""

import os
import secrets
import tempfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from concord.core.encryption import decrypt_bytes, encrypt_bytes, is_current, reencrypt_bytes
from concord.core.files import is_partial, write_atomically

MAX_FILE_BYTES = 20 * 1024 * 1024


class FileTooLargeError(ValueError):
    pass


@deconstructible(path="concord.core.storage.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    def __init__(self, location: str | os.PathLike[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)
        self._encrypted_location = location

    @cached_property
    def base_location(self) -> Any:
        return self._value_or_setting(self._encrypted_location, settings.ENCRYPTED_FILES_ROOT)

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        if setting == "ENCRYPTED_FILES_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        elif setting != "MEDIA_ROOT":  # MEDIA_ROOT is not where these files live
            super()._clear_cached_properties(setting, **kwargs)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        directory = os.path.dirname(name)
        while True:
            candidate = os.path.join(directory, secrets.token_hex(16))
            if max_length is not None and len(candidate) > max_length:
                raise SuspiciousFileOperation(
                    f"No random name under {directory!r} fits in {max_length} characters."
                )
            if not self.exists(candidate):
                return candidate

    def _save(self, name: str, content: File[Any]) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        plaintext = content.read(MAX_FILE_BYTES + 1)
        if isinstance(plaintext, str):
            plaintext = plaintext.encode()
        if len(plaintext) > MAX_FILE_BYTES:
            raise FileTooLargeError(f"Encrypted files are limited to {MAX_FILE_BYTES} bytes.")
        path = Path(self.path(name))
        path.parent.mkdir(
            mode=self.directory_permissions_mode or 0o700, parents=True, exist_ok=True
        )
        # All or nothing: a full disk leaves no half-written file (concord.core.files).
        write_atomically(path, [encrypt_bytes(plaintext)], mode=self.file_permissions_mode or 0o600)
        return os.path.relpath(path, self.location).replace(os.sep, "/")

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if mode != "rb":
            raise ValueError("Encrypted files open for reading only, in binary mode ('rb').")
        with open(self.path(name), "rb") as stored:
            plaintext = decrypt_bytes(stored.read())
        return File(BytesIO(plaintext), name=name)

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Encrypted files have no URL: serve them through a view that checks permission."
        )

    def iter_names(self) -> Iterator[str]:
        """Every stored file's name, relative to the storage root."""
        root = self.location
        for directory, _subdirectories, files in os.walk(root):
            for file_name in files:
                if file_name.startswith(".rotating-") or is_partial(file_name):
                    continue  # left by a rotation or a write that died before its replace
                yield os.path.relpath(os.path.join(directory, file_name), root)

    def rotate(self, name: str) -> bool:
        """Re-encrypt one file with the first key; False when it already uses that key.

        The new file replaces the old one atomically, so a crash leaves one or the other.
        """
        path = self.path(name)
        with open(path, "rb") as stored:
            token = stored.read()
        if is_current(token):
            return False
        rotated = reencrypt_bytes(token)
        handle: IO[bytes]
        with tempfile.NamedTemporaryFile(
            dir=os.path.dirname(path), prefix=".rotating-", delete=False
        ) as handle:
            try:
                handle.write(rotated)
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                os.unlink(handle.name)
                raise
        os.chmod(handle.name, self.file_permissions_mode or 0o600)
        os.replace(handle.name, path)
        return True


def encrypted_storage() -> EncryptedFileSystemStorage:
    """The configured encrypted storage; pass it as ``FileField(storage=encrypted_storage)``."""
    storage = storages["encrypted"]
    assert isinstance(storage, EncryptedFileSystemStorage)  # noqa: S101 (a settings mistake)
    return storage
