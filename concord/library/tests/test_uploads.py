import pytest
from django.core.exceptions import ValidationError

from concord.library.services.uploads import check_upload, checked_name
from concord.library.tests.factories import PDF, PNG, office_file, upload


def _code(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return error.value.error_dict["upload"][0].code  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("protocol.pdf", PDF, "application/pdf"),
        ("flyer.PNG", PNG, "image/png"),
        ("mou.docx", office_file("docx"), office_file.__name__),
        ("budget.xlsx", office_file("xlsx"), ""),
        ("training.pptx", office_file("pptx"), ""),
    ],
)
def test_check_upload_accepts_each_allowed_type_by_content(
    name: str, content: bytes, content_type: str, settings: object
) -> None:
    checked = check_upload(upload(name, content))

    assert checked.file_name == name
    assert len(checked.sha256) == 64
    assert checked.file_type.extensions[0] == name.rsplit(".", 1)[1].lower()


def test_check_upload_refuses_html_named_pdf() -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(
            upload("protocol.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
        )

    assert _code(error) == "file_type"


def test_check_upload_refuses_a_png_named_pdf() -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(upload("protocol.pdf", PNG))

    assert _code(error) == "extension"


def test_check_upload_refuses_a_plain_zip_named_docx() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    with pytest.raises(ValidationError) as error:
        check_upload(upload("mou.docx", buffer.getvalue()))

    assert _code(error) == "file_type"


def test_check_upload_refuses_office_content_types_without_their_part() -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(upload("mou.docx", office_file("docx", part="other/document.xml")))

    assert _code(error) == "file_type"


def test_check_upload_refuses_macro_enabled_documents() -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(upload("mou.docx", office_file("docx", macros=True)))

    assert _code(error) == "macros"


def test_check_upload_refuses_a_file_over_the_limit(settings: object) -> None:
    settings.LIBRARY_UPLOAD_MAX_BYTES = 1024  # type: ignore[attr-defined]

    with pytest.raises(ValidationError) as error:
        check_upload(upload("protocol.pdf", PDF + b"0" * 2048))

    assert _code(error) == "too_large"
    assert "1.0" in str(error.value.error_dict["upload"][0].message)


def test_check_upload_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(upload("protocol.pdf", b""))

    assert _code(error) == "empty"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\secret.pdf",
        "folder/protocol.pdf",
        "proto\x00col.pdf",
        ".pdf",
        "a\u202egpj.pdf",
    ],
)
def test_checked_name_refuses_path_tricks_and_control_characters(name: str) -> None:
    with pytest.raises(ValidationError) as error:
        checked_name(name)

    assert error.value.error_dict["upload"][0].code == "file_name"


def test_check_upload_strips_image_metadata() -> None:
    checked = check_upload(upload("flyer.png", PNG))

    assert b"tEXt" in PNG
    assert b"tEXt" not in checked.content
    assert b"IDAT" in checked.content
