"""Test data for the library: documents with versions, and files of each allowed type."""

import io
import zipfile
import zlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.library.models import Document, DocumentStatus, DocumentVersion, Visibility

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Author\x00Someone")
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


PNG = _png()
_MAIN = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def office_file(kind: str, *, macros: bool = False, part: str | None = None) -> bytes:
    """A minimal Office Open XML package of ``kind`` (docx, xlsx or pptx)."""
    name, main = _MAIN[kind]
    prefix = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macros
        else (f"application/vnd.openxmlformats-officedocument.{main}")
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part or name}" ContentType="{prefix}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part or name, "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_document(
    *,
    title: str = "Protocol",
    versions: list[str] | None = None,
    status: str = DocumentStatus.ADOPTED,
    visibility: str = Visibility.PUBLIC,
    tags: list[str] | None = None,
    **fields: Any,
) -> Document:
    """A document with text versions (the last is current), built without the services."""
    from concord.library.models import Tag
    from concord.library.services.documents import search_text_of

    if status == DocumentStatus.OPEN_FOR_COMMENT:
        fields.setdefault("comment_closes_on", _in_days(14))
    document = Document.objects.create(
        title=title,
        kind=fields.pop("kind", "protocol"),
        status=status,
        visibility=visibility,
        **fields,
    )
    names = tags or []
    document.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])
    version = None
    for number, text in enumerate(versions or ["# Text\n\nThe first version."], start=1):
        version = DocumentVersion.objects.create(
            document=document, number=number, change_note=f"Version {number}", text=text
        )
    assert version is not None
    document.current_version = version
    document.search_text = search_text_of(document, names, version)
    document.save(update_fields=["current_version", "search_text"])
    return document


def add_file_version(
    document: Document, *, name: str = "protocol.pdf", content: bytes = PDF
) -> DocumentVersion:
    number = document.versions.count() + 1
    version = DocumentVersion(
        document=document,
        number=number,
        change_note="Uploaded",
        file_name=name,
        content_type="application/pdf",
        file_size=len(content),
        sha256="0" * 64,
    )
    version.file.save("version", ContentFile(content), save=False)
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version"])
    return version


def _in_days(days: int) -> Any:
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)
