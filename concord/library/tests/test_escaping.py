"""SECURITY.md rule 10 for the library: titles, tags, change notes and file names are
shown as text; Markdown (versions, comments, answers) goes through the sanitizer."""

from django.test import Client
from django.urls import reverse
from hypothesis import given

from concord.accounts.models import User
from concord.library.models import Comment, Document, DocumentVersion, Tag
from concord.library.tests.factories import add_file_version, make_document
from concord.meetings.models import Committee
from tests.test_escaping import FUZZ, PAYLOADS, assert_shown_as_text, payloads

SCRIPTS = [payload for payload in PAYLOADS if payload.startswith("<")]


@FUZZ
@given(text=payloads)
def test_library_text_fields_are_escaped_everywhere(
    text: str, representative_client: Client, member: User, committee: Committee
) -> None:
    Document.objects.all().delete()
    Tag.objects.all().delete()
    document = make_document(
        title=text,
        versions=[f"# {text}\n\n{text}", f"{text}\n\n[link]({text})"],
        status="open_for_comment",
        visibility="members",
        owner_committee=committee,
        tags=[text[:60]],
    )
    DocumentVersion.objects.filter(document=document).update(change_note=text[:500])
    file_version = add_file_version(document, name=text[:200] or "x.pdf")
    Comment.objects.create(version=file_version, author=member, body=text, answer=text)
    pages = [
        representative_client.get(reverse("library:document-list")),
        representative_client.get(reverse("library:document-detail", args=[document.pk])),
        representative_client.get(reverse("library:version-list", args=[document.pk])),
        representative_client.get(reverse("library:version-detail", args=[document.pk, 1])),
        representative_client.get(
            reverse("library:version-diff", args=[document.pk]), {"old": 1, "new": 2}
        ),
    ]

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        for script in SCRIPTS:
            assert script not in html
    assert_shown_as_text(pages[0].content.decode(), text)
    assert_shown_as_text(pages[2].content.decode(), text[:500])
