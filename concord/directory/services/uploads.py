"""Checks of an uploaded HSDS file by its content, never its name (SECURITY.md rule 13),
and the private directory where it waits for the background import.

An upload is either JSON (an HSDS file) or a ZIP of a tabular package: CSV and JSON
members only, a datapackage.json among them, no absolute or ``..`` paths, and bounded in
number of members and unpacked size. The same checks run again when the ZIP is unpacked."""

import json
import secrets
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from concord.core.files import write_atomically
from concord.directory.models import ImportFormat

_ALLOWED_MEMBERS = (".csv", ".json")
PACKAGE_DESCRIPTOR = "datapackage.json"
_COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    file_format: str
    file_name: str


def import_dir() -> Path:
    directory = Path(settings.DIRECTORY_IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def clean_file_name(name: str) -> str:
    """The last part of the name the browser sent, without control or format characters."""
    return _printable(name.replace("\\", "/").rsplit("/", 1)[-1], 255) or "upload"


def _printable(name: str, length: int = 120) -> str:
    return "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()[:length]


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Tell JSON from ZIP by content and check it; a ValidationError says what is wrong."""
    name = clean_file_name(upload.name or "")
    limit = settings.DIRECTORY_IMPORT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        check_zip(upload)
        return CheckedUpload(upload, ImportFormat.ZIP, name)
    if name.lower().endswith(".zip"):
        raise ValidationError(_("The file is not a ZIP archive."), code="not_zip")
    _check_json(upload)
    return CheckedUpload(upload, ImportFormat.JSON, name)


def _check_json(upload: UploadedFile) -> None:
    try:
        json.loads(upload.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(
            _(
                "The file is neither JSON nor a ZIP archive. Upload an HSDS JSON file, or a "
                "ZIP of the CSV files with their datapackage.json."
            ),
            code="not_json",
        ) from error
    finally:
        upload.seek(0)


def check_zip(source: IO[bytes] | Path) -> list[zipfile.ZipInfo]:
    """The members of a ZIP to unpack, or a ValidationError naming what is refused."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ValidationError(_("The file is not a ZIP archive."), code="not_zip") from error
    finally:
        if not isinstance(source, Path):
            source.seek(0)
    files = [member for member in members if not member.is_dir()]
    if len(members) > settings.DIRECTORY_IMPORT_MAX_FILES:
        raise ValidationError(
            _("The ZIP archive holds more than %(count)s files.")
            % {"count": settings.DIRECTORY_IMPORT_MAX_FILES},
            code="too_many_files",
        )
    for member in members:
        if not _is_safe_member(member.filename):
            raise ValidationError(
                _("The ZIP archive has a file outside its own folder: %(name)s")
                % {"name": _printable(member.filename)},
                code="unsafe_path",
            )
    for member in files:
        if not member.filename.lower().endswith(_ALLOWED_MEMBERS):
            raise ValidationError(
                _("The ZIP archive may hold only CSV and JSON files, not %(name)s.")
                % {"name": _printable(member.filename)},
                code="member_type",
            )
    if sum(member.file_size for member in files) > settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The ZIP archive unpacks to more than %(limit)s.")
            % {"limit": filesizeformat(settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES)},
            code="too_large_unpacked",
        )
    if package_folder(files) is None:
        raise ValidationError(
            _(
                "The ZIP archive has no datapackage.json: zip the CSV files of the tabular "
                "package together with it."
            ),
            code="no_datapackage",
        )
    return files


def _is_safe_member(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and ":" not in path.parts[0]


def package_folder(members: list[zipfile.ZipInfo]) -> PurePosixPath | None:
    """The folder of the one datapackage.json at the top or one folder down, if any."""
    found = [
        PurePosixPath(member.filename).parent
        for member in members
        if PurePosixPath(member.filename).name == PACKAGE_DESCRIPTOR
        and len(PurePosixPath(member.filename).parts) <= 2
    ]
    return found[0] if len(found) == 1 else None


def store_upload(checked: CheckedUpload) -> str:
    """Copy the upload into the private directory under a new random name; return it."""
    stored_name = f"{secrets.token_hex(16)}.{checked.file_format}"
    # All or nothing: a full disk leaves no half-written file behind.
    write_atomically(import_dir() / stored_name, checked.file.chunks(), mode=0o600)
    return stored_name


def stored_path(stored_name: str) -> Path:
    # The name is ours (hex and a known suffix), never the browser's.
    return import_dir() / PurePosixPath(stored_name).name


def unpack_package(archive_path: Path, target: Path) -> Path:
    """Unpack a checked ZIP into ``target``; return the folder with datapackage.json.

    The members are checked again, and each is copied with a byte count, so a member
    that unpacks larger than it claims stops at the limit instead of filling the disk."""
    members = check_zip(archive_path)
    budget = settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES
    target.mkdir(mode=0o700)
    with zipfile.ZipFile(archive_path) as archive:
        for member in members:
            destination = target.joinpath(*PurePosixPath(member.filename).parts)
            if not destination.resolve().is_relative_to(target.resolve()):
                raise ValidationError(_("The ZIP archive has a file outside its own folder."))
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("xb") as out:
                while chunk := source.read(_COPY_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise ValidationError(
                            _("The ZIP archive unpacks to more than %(limit)s.")
                            % {
                                "limit": filesizeformat(
                                    settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES
                                )
                            }
                        )
                    out.write(chunk)
    # check_zip has refused a ZIP without one.
    folder = package_folder(members) or PurePosixPath()
    return target.joinpath(*folder.parts)


def remove_stored(stored_name: str) -> None:
    """Delete the stored upload and whatever was unpacked from it."""
    path = stored_path(stored_name)
    path.unlink(missing_ok=True)
    shutil.rmtree(unpacked_path(stored_name), ignore_errors=True)


def unpacked_path(stored_name: str) -> Path:
    return import_dir() / f"{PurePosixPath(stored_name).stem}.unpacked"
