"""Checks of an uploaded version by its content, never its name (SECURITY.md rule 13).

Allowed: PDF, PNG and JPEG (told by their first bytes; images lose their metadata) and the
Office Open XML formats DOCX, XLSX and PPTX: a real ZIP holding ``[Content_Types].xml``
that declares the main part of that format, and the part itself (``word/``, ``xl/`` or
``ppt/``). Macro-enabled content (a ``vbaProject``, a macroEnabled content type) is
refused. The extension of the uploader's file name must match the type found, and a name
with folders or control characters is refused outright."""

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from concord.core.storage import MAX_FILE_BYTES
from concord.referrals.services.consent import without_metadata

FIELD = "upload"
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_LIMIT = 1024 * 1024
_MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]
    label: str


TYPES = {
    "pdf": FileType("pdf", "application/pdf", ("pdf",), "PDF"),
    "png": FileType("png", "image/png", ("png",), "PNG"),
    "jpeg": FileType("jpeg", "image/jpeg", ("jpg", "jpeg"), "JPEG"),
    "docx": FileType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
        "DOCX",
    ),
    "xlsx": FileType(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
        "XLSX",
    ),
    "pptx": FileType(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
        "PPTX",
    ),
}
# The folder and the main part's content type that make a ZIP one of the Office formats.
_OFFICE = {
    "docx": ("word/", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/", "presentationml.presentation.main+xml"),
}
_SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    file_type: FileType
    file_name: str
    sha256: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({FIELD: ValidationError(message, code=code)})


def _wrong_type() -> ValidationError:
    return _refuse(
        _(
            "The file's content is not a PDF, DOCX, XLSX, PPTX, PNG or JPEG file, whatever "
            "its name says."
        ),
        "file_type",
    )


def max_bytes() -> int:
    return min(settings.LIBRARY_UPLOAD_MAX_BYTES, MAX_FILE_BYTES)


def checked_name(name: str) -> str:
    """The uploader's file name when it is a plain name: no folders, no ``..``, no control
    or format characters; a ValidationError otherwise."""
    name = unicodedata.normalize("NFC", name.strip())
    if (
        not name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or ".." in name
        or len(name) > 200
        or any(unicodedata.category(char)[0] == "C" for char in name)
    ):
        raise _refuse(
            _(
                "The file name may not hold folders, two dots in a row or control "
                "characters: rename the file and upload it again."
            ),
            "file_name",
        )
    return name


def _office_type(content: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS:
                raise _wrong_type()
            names = {member.filename for member in members}
            if _CONTENT_TYPES not in names:
                raise _wrong_type()
            info = archive.getinfo(_CONTENT_TYPES)
            if info.file_size > _CONTENT_TYPES_LIMIT:
                raise _wrong_type()
            declared = archive.read(_CONTENT_TYPES).decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _wrong_type() from error
    if "macroenabled" in declared or any("vbaproject" in name.lower() for name in names):
        raise _refuse(
            _("Files with macros are refused: save the document without macros."), "macros"
        )
    for key, (folder, main_type) in _OFFICE.items():
        if main_type in declared and any(name.startswith(folder) for name in names):
            return key
    raise _wrong_type()


def detect_type(content: bytes) -> FileType:
    for signature, key in _SIGNATURES.items():
        if content.startswith(signature):
            return TYPES[key]
    if content.startswith(b"PK\x03\x04"):
        return TYPES[_office_type(content)]
    raise _wrong_type()


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload's content, type and clean name; a ValidationError on ``upload`` saying
    what is wrong otherwise. Nothing is stored here."""
    limit = max_bytes()
    too_large = _refuse(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, "too_large"
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    name = checked_name(upload.name or "")
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise too_large
    if not content:
        raise _refuse(_("The file is empty."), "empty")
    file_type = detect_type(content)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in file_type.extensions:
        raise _refuse(
            _("The file is a %(type)s file: its name must end in .%(extension)s.")
            % {"type": file_type.label, "extension": file_type.extensions[0]},
            "extension",
        )
    if file_type.key in ("png", "jpeg"):
        try:
            content = without_metadata(file_type.key, content)
        except ValidationError:
            raise _refuse(
                _("The image could not be read: upload it again as PNG or JPEG."), "file_type"
            ) from None
    return CheckedUpload(
        content=content,
        file_type=file_type,
        file_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
    )
