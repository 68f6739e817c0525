import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.library.models import Comment, Document, DocumentVersion
from concord.library.tests.factories import (
    PDF,
    add_file_version,
    make_document,
    office_file,
    upload,
)
from concord.meetings.models import Committee

LIST = "/documents/"


def _titles(client: Client, query: str = "") -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [row.title for row in response.context["rows"]]


@pytest.fixture
def shelf(committee: Committee) -> dict[str, Document]:
    """One document of each visibility, all holding the word "tulip" in their text."""
    return {
        "public": make_document(title="Public protocol", versions=["tulip public"]),
        "public draft": make_document(
            title="Public draft", versions=["tulip draft"], status="draft"
        ),
        "members": make_document(
            title="Members policy", versions=["tulip members"], visibility="members"
        ),
        "committee": make_document(
            title="Committee template",
            versions=["tulip committee"],
            visibility="committee",
            owner_committee=committee,
            tags=["secret-tag"],
        ),
    }


def test_the_public_sees_only_public_adopted_documents(
    client: Client, shelf: dict[str, Document]
) -> None:
    assert _titles(client) == ["Public protocol"]
    assert _titles(client, "q=tulip") == ["Public protocol"]
    assert _titles(client, "q=members") == []
    assert _titles(client, "q=committee") == []


def test_search_never_shows_the_public_a_members_or_committee_document(
    client: Client, shelf: dict[str, Document]
) -> None:
    for document in ("members", "committee", "public draft"):
        response = client.get(f"{LIST}?q={document.split()[-1]}")
        assert shelf[document].title.encode() not in response.content
    response = client.get(reverse("library:document-detail", args=[shelf["members"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_members_see_members_documents_and_the_outsider_no_committee_ones(
    member_client: Client, outsider_client: Client, shelf: dict[str, Document]
) -> None:
    assert _titles(member_client, "q=tulip") == [
        "Committee template",
        "Members policy",
        "Public protocol",
    ]
    assert _titles(outsider_client, "q=tulip") == ["Members policy", "Public protocol"]
    assert _titles(outsider_client, "tag=secret-tag") == []
    detail = reverse("library:document-detail", args=[shelf["committee"].pk])
    assert outsider_client.get(detail).status_code == 404


def test_search_finds_titles_text_and_tags_without_accents(
    coordinator_client: Client, committee: Committee
) -> None:
    make_document(title="Protección de datos", versions=["Aviso"], tags=["privacidad"])
    make_document(title="Other", versions=["Consentimiento informado por escrito"])

    assert _titles(coordinator_client, "q=proteccion") == ["Protección de datos"]
    assert _titles(coordinator_client, "q=consentimiento escrito") == ["Other"]
    assert _titles(coordinator_client, "q=privac") == ["Protección de datos"]


def test_filters_by_kind_status_tag_and_language(coordinator_client: Client) -> None:
    make_document(title="A", kind="mou", languages="en,es", tags=["health"])
    make_document(title="B", kind="policy", languages="es", status="draft")
    make_document(title="C", kind="policy", languages="vi")

    assert _titles(coordinator_client, "kind=policy") == ["B", "C"]
    assert _titles(coordinator_client, "status=draft") == ["B"]
    assert _titles(coordinator_client, "tag=health") == ["A"]
    assert _titles(coordinator_client, "language=es") == ["A", "B"]


def test_the_list_and_search_take_the_same_queries_for_few_and_many_documents(
    member_client: Client, committee: Committee
) -> None:
    def count(query: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(f"{LIST}?{query}").status_code == 200
        return len(queries)

    for number in range(2):
        make_document(title=f"Protocol {number}", versions=["lantern"], tags=["t"])
    count("")  # the first request fills the caches of the layout
    few = (count(""), count("q=lantern&tag=t"))
    for number in range(2, 40):
        make_document(
            title=f"Protocol {number}",
            versions=["lantern"],
            tags=["t", f"tag{number}"],
            visibility="committee" if number % 2 else "members",
            owner_committee=committee,
        )

    assert (count(""), count("q=lantern&tag=t")) == few


def test_the_document_page_takes_the_same_queries_with_many_comments(
    member_client: Client, member: User, committee: Committee
) -> None:
    document = make_document(
        status="open_for_comment", visibility="members", owner_committee=committee
    )
    url = reverse("library:document-detail", args=[document.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url).status_code == 200
        return len(queries)

    Comment.objects.create(version=document.current_version, author=member, body="One")
    count()  # the first request fills the caches of the layout
    few = count()
    for number in range(20):
        Comment.objects.create(version=document.current_version, author=member, body=f"{number}")

    assert count() == few


def test_the_document_page_renders_markdown_without_script(client: Client, db: None) -> None:
    document = make_document(
        versions=["# Steps\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"]
    )

    response = client.get(reverse("library:document-detail", args=[document.pk]))

    assert b"<h1>Steps</h1>" in response.content
    assert b"<script>alert(1)" not in response.content
    assert b'href="javascript:' not in response.content


def test_the_difference_is_an_accessible_table_marking_changes_in_words(
    client: Client, db: None
) -> None:
    document = make_document(
        versions=["Call the advocate.\nKeep notes.", "Call the advocate at once.\nKeep notes."]
    )
    url = reverse("library:version-diff", args=[document.pk])

    response = client.get(url, {"old": 1, "new": 2})

    content = response.content.decode()
    assert "<caption>" in content
    assert '<th scope="col">Change</th>' in content
    assert "<strong>Changed</strong>" in content
    assert "<del>Call the advocate.</del>" in content
    assert "<ins>Call the advocate at once.</ins>" in content
    assert [row.change for row in response.context["rows"]] == ["changed", "equal"]


def test_a_file_version_cannot_be_compared(client: Client, db: None) -> None:
    document = make_document(versions=["Text"])
    add_file_version(document)

    response = client.get(reverse("library:version-diff", args=[document.pk]), {"old": 1, "new": 2})

    assert response.context["rows"] is None
    assert "Only text versions can be compared" in response.content.decode()


def test_past_versions_stay_readable(client: Client, db: None) -> None:
    document = make_document(versions=["First words", "Second words"])

    response = client.get(reverse("library:version-detail", args=[document.pk, 1]))

    assert b"First words" in response.content
    assert b"This is an earlier version." in response.content


def test_a_file_downloads_as_an_attachment_with_a_clean_name(
    member_client: Client, outsider_client: Client, committee: Committee
) -> None:
    document = make_document(visibility="committee", owner_committee=committee)
    add_file_version(document, name="MOU final.pdf")
    url = reverse("library:version-download", args=[document.pk, 2])

    response = member_client.get(url)

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="MOU final.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert outsider_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def _create_form(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "submission_token": "0b6f4f0c-3f59-4a7a-9d52-6e9b9f0a1c11",
        "title": "Partner MOU",
        "kind": "mou",
        "owner": "",
        "visibility": "members",
        "languages": ["en"],
        "tags": "mou",
        "text": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("mou.pdf", b"<html><script>alert(1)</script></html>", "whatever its name says"),
        ("mou.pdf", office_file("docx"), "its name must end in .docx"),
        ("mou.docx", office_file("docx", macros=True), "Files with macros are refused"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_stored(
    coordinator_client: Client, library_files: Path, name: str, content: bytes, message: str
) -> None:
    response = coordinator_client.post(
        reverse("library:document-create"), _create_form(upload=upload(name, content))
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Document.objects.count() == 0
    assert not any(path.is_file() for path in library_files.rglob("*"))


def test_an_oversized_upload_is_refused(
    coordinator_client: Client, library_files: Path, settings: object
) -> None:
    settings.LIBRARY_UPLOAD_MAX_BYTES = 100  # type: ignore[attr-defined]

    response = coordinator_client.post(
        reverse("library:document-create"), _create_form(upload=upload("mou.pdf", PDF * 10))
    )

    assert "The file is larger than 100" in response.content.decode()
    assert Document.objects.count() == 0
    assert not any(path.is_file() for path in library_files.rglob("*"))


def test_a_path_in_the_upload_name_goes_nowhere(
    coordinator_client: Client, library_files: Path
) -> None:
    response = coordinator_client.post(
        reverse("library:document-create"),
        _create_form(upload=upload("../../../../tmp/evil.pdf", PDF)),
    )

    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.file_name == "evil.pdf"
    stored = [path for path in library_files.rglob("*") if path.is_file()]
    assert len(stored) == 1
    assert stored[0].parent == library_files / "library"
    assert "evil" not in stored[0].name


def test_creating_a_document_twice_with_one_token_makes_one(coordinator_client: Client) -> None:
    data = _create_form(text="Text")
    first = coordinator_client.post(reverse("library:document-create"), data)
    second = coordinator_client.post(reverse("library:document-create"), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Document.objects.count() == 1


def test_the_owner_committee_is_never_taken_from_a_chair_for_another_committee(
    representative_client: Client, committee: Committee
) -> None:
    other = Committee.objects.create(name="Another committee")

    response = representative_client.post(
        reverse("library:document-create"), _create_form(owner=str(other.pk), text="x")
    )

    assert response.status_code == 200
    assert Document.objects.count() == 0


def test_a_comment_after_the_period_closes_is_refused_through_the_page(
    member_client: Client, committee: Committee
) -> None:
    document = make_document(
        status="open_for_comment",
        visibility="members",
        owner_committee=committee,
        comment_closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    response = member_client.post(
        reverse("library:comment-create", args=[document.pk]),
        {"submission_token": "4e0d7c5e-8f36-4d8e-8c21-2a3a8f6f1d01", "body": "Late"},
    )

    assert response.status_code == 400
    assert "The comment period closed on" in response.content.decode()
    assert Comment.objects.count() == 0


def test_owners_move_a_document_through_the_workflow_page(
    representative_client: Client, committee: Committee
) -> None:
    document = make_document(status="draft", visibility="committee", owner_committee=committee)
    url = reverse("library:document-status", args=[document.pk])
    closes = timezone.localdate() + datetime.timedelta(days=10)

    response = representative_client.post(
        url, {"to_status": "open_for_comment", "comment_closes_on": closes.isoformat()}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.comment_closes_on) == ("open_for_comment", closes)


def test_the_status_form_preselects_no_move(coordinator_client: Client) -> None:
    document = make_document(status="adopted", visibility="public")
    url = reverse("library:document-status", args=[document.pk])

    page = coordinator_client.get(url).content.decode()
    sent_as_it_is = coordinator_client.post(url, {"to_status": ""})

    assert '<option value="" selected>Choose the new status</option>' in page
    assert sent_as_it_is.status_code == 200
    assert 'aria-invalid="true"' in sent_as_it_is.content.decode()
    document.refresh_from_db()
    assert document.status == "adopted"


def test_the_overdue_reviews_page_is_for_coordinators(
    coordinator_client: Client, member_client: Client
) -> None:
    make_document(title="Overdue", next_review_on=timezone.localdate() - datetime.timedelta(days=3))
    make_document(title="Fine", next_review_on=timezone.localdate() + datetime.timedelta(days=3))

    response = coordinator_client.get(reverse("library:review-list"))

    assert [document.title for document in response.context["documents"]] == ["Overdue"]
    assert member_client.get(reverse("library:review-list")).status_code == 403
