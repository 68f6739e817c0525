import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.library.models import (
    Comment,
    Document,
    DocumentStatus,
    DocumentVersion,
    StatusChange,
)
from concord.library.services import comments, documents
from concord.library.tests.factories import PDF, make_document, upload
from concord.meetings.models import Committee, Meeting

TODAY = datetime.date(2026, 3, 2)


def _stored_files() -> list[Path]:
    root = Path(settings.ENCRYPTED_FILES_ROOT) / "library"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _create(actor: User, committee: Committee | None, **fields: object) -> Document:
    values: dict[str, object] = {
        "title": "Information sharing with consent",
        "kind": "policy",
        "owner_committee_id": committee.pk if committee else None,
        "visibility": "members",
        "languages": ["en", "es"],
        "tags": "Consent, privacy, consent",
        "text": "# Consent\n\nShare only with written consent.",
    }
    values.update(fields)
    return documents.create_document(actor=actor, **values)  # type: ignore[arg-type]


def test_create_document_makes_a_draft_with_its_first_version_and_audits_it(
    representative: User, committee: Committee
) -> None:
    document = _create(representative, committee)

    assert document.status == DocumentStatus.DRAFT
    assert document.current_version is not None
    assert document.current_version.number == 1
    assert sorted(document.tags.values_list("name", flat=True)) == ["consent", "privacy"]
    assert document.languages == "en,es"
    assert "written consent" in document.search_text
    assert AuditEvent.objects.filter(
        action="concord.library.document.created", object_id=str(document.pk)
    ).exists()


def test_create_document_refuses_someone_who_does_not_chair_the_committee(
    member: User, committee: Committee
) -> None:
    with pytest.raises(PermissionDenied):
        _create(member, committee)

    assert Document.objects.count() == 0


def test_create_document_coalition_wide_is_for_coordinators_only(
    representative: User, coordinator: User, committee: Committee
) -> None:
    with pytest.raises(PermissionDenied):
        _create(representative, None)

    assert _create(coordinator, None).owner_committee_id is None


def test_create_document_refuses_text_and_file_together(
    representative: User, committee: Committee
) -> None:
    with pytest.raises(ValidationError):
        _create(representative, committee, upload=upload("mou.pdf", PDF))

    assert Document.objects.count() == 0
    assert _stored_files() == []


def test_create_document_refuses_a_javascript_link(
    representative: User, committee: Committee
) -> None:
    with pytest.raises(ValidationError) as error:
        _create(representative, committee, text="[click](javascript:alert(1))")

    assert "Links must start with http, https or mailto" in str(error.value)
    assert Document.objects.count() == 0


def test_create_document_with_a_lying_upload_stores_nothing(
    representative: User, committee: Committee
) -> None:
    with pytest.raises(ValidationError):
        _create(
            representative,
            committee,
            text="",
            upload=upload("mou.pdf", b"<html><script>alert(1)</script></html>"),
        )

    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert _stored_files() == []


def test_create_document_stores_an_upload_encrypted_under_a_random_name(
    representative: User, committee: Committee
) -> None:
    document = _create(representative, committee, text="", upload=upload("MOU v2.pdf", PDF))

    version = document.current_version
    assert version is not None
    assert version.file_name == "MOU v2.pdf"
    assert version.content_type == "application/pdf"
    assert "MOU" not in version.file.name
    stored = _stored_files()
    assert len(stored) == 1
    assert PDF not in stored[0].read_bytes()
    with version.file.open("rb") as handle:
        assert handle.read() == PDF


def test_a_failure_after_the_file_is_written_removes_it(
    representative: User, committee: Committee, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**kwargs: object) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(documents, "record_event", fail)

    with pytest.raises(RuntimeError):
        _create(representative, committee, text="", upload=upload("mou.pdf", PDF))

    assert Document.objects.count() == 0
    assert _stored_files() == []


def test_add_version_numbers_versions_and_updates_the_search_text(
    representative: User, committee: Committee
) -> None:
    document = _create(representative, committee)

    version = documents.add_version(
        actor=representative,
        document=document,
        change_note="Adds the time limit",
        text="Consent ends after 90 days.",
        tags="consent, retention",
    )

    document.refresh_from_db()
    assert version.number == 2
    assert document.current_version_id == version.pk
    assert "90 days" in document.search_text
    assert "retention" in document.search_text
    assert document.versions.count() == 2


def test_add_version_needs_a_change_note_and_an_owner(
    representative: User, member: User, committee: Committee
) -> None:
    document = _create(representative, committee)

    with pytest.raises(ValidationError):
        documents.add_version(actor=representative, document=document, change_note=" ", text="x")
    with pytest.raises(PermissionDenied):
        documents.add_version(actor=member, document=document, change_note="y", text="x")

    assert document.versions.count() == 1


def test_change_status_follows_the_transition_table(
    representative: User, committee: Committee
) -> None:
    document = _create(representative, committee)

    with pytest.raises(ValidationError) as error:
        documents.change_status(
            actor=representative, document=document, to_status="adopted", today=TODAY
        )

    assert "cannot move from Draft to Adopted" in str(error.value)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_opening_for_comment_needs_a_closing_date_in_the_future(
    representative: User, committee: Committee
) -> None:
    document = _create(representative, committee)

    for closes in (None, TODAY):
        with pytest.raises(ValidationError):
            documents.change_status(
                actor=representative,
                document=document,
                to_status="open_for_comment",
                today=TODAY,
                comment_closes_on=closes,
            )
    opened = documents.change_status(
        actor=representative,
        document=document,
        to_status="open_for_comment",
        today=TODAY,
        comment_closes_on=TODAY + datetime.timedelta(days=1),
    )

    assert opened.status == DocumentStatus.OPEN_FOR_COMMENT
    assert list(StatusChange.objects.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "open_for_comment"),
    ]


def test_adoption_records_the_vote_and_the_next_review_a_year_on(
    coordinator: User, committee: Committee, coalition_meeting: Meeting
) -> None:
    document = _create(coordinator, committee)
    documents.change_status(
        actor=coordinator, document=document, to_status="committee_review", today=TODAY
    )
    documents.change_status(
        actor=coordinator, document=document, to_status="coalition_vote", today=TODAY
    )
    with pytest.raises(ValidationError):
        documents.change_status(
            actor=coordinator, document=document, to_status="adopted", today=TODAY
        )

    adopted = documents.change_status(
        actor=coordinator,
        document=document,
        to_status="adopted",
        today=TODAY,
        adoption=documents.Adoption(
            effective_on=TODAY, votes_yes=14, votes_no=1, votes_abstain=2, meeting=coalition_meeting
        ),
    )

    assert (adopted.votes_yes, adopted.votes_no, adopted.votes_abstain) == (14, 1, 2)
    assert adopted.vote_meeting == coalition_meeting
    assert adopted.next_review_on == datetime.date(2027, 3, 2)
    assert AuditEvent.objects.filter(action="concord.library.document.status_changed").count() == 3


def test_retired_documents_take_no_new_versions_or_moves(
    coordinator: User, committee: Committee
) -> None:
    document = _create(coordinator, committee)
    documents.change_status(actor=coordinator, document=document, to_status="retired", today=TODAY)
    document.refresh_from_db()

    with pytest.raises(ValidationError):
        documents.add_version(actor=coordinator, document=document, change_note="x", text="y")
    with pytest.raises(ValidationError):
        documents.change_status(
            actor=coordinator, document=document, to_status="draft", today=TODAY
        )


def test_members_comment_while_the_period_is_open(member: User, committee: Committee) -> None:
    document = make_document(
        status="open_for_comment",
        visibility="members",
        owner_committee=committee,
        comment_closes_on=TODAY,
    )

    comment = comments.add_comment(
        actor=member, document=document, body="Add a hotline.", today=TODAY
    )

    assert comment.version_id == document.current_version_id
    assert comment.author == member


def test_a_comment_after_the_period_closes_is_refused_and_not_stored(
    member: User, committee: Committee
) -> None:
    document = make_document(
        status="open_for_comment",
        visibility="members",
        owner_committee=committee,
        comment_closes_on=TODAY - datetime.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as error:
        comments.add_comment(actor=member, document=document, body="Late.", today=TODAY)

    assert "The comment period closed on" in str(error.value)
    assert Comment.objects.count() == 0


def test_a_comment_with_a_javascript_link_is_refused(member: User, committee: Committee) -> None:
    document = make_document(status="open_for_comment", visibility="members")

    with pytest.raises(ValidationError) as error:
        comments.add_comment(
            actor=member,
            document=document,
            body="[see](javascript:alert(document.cookie))",
            today=timezone.localdate(),
        )

    assert "Links must start with http, https or mailto" in str(error.value)
    assert Comment.objects.count() == 0


def test_the_outsider_cannot_comment_on_a_committee_document(
    outsider: User, committee: Committee
) -> None:
    document = make_document(
        status="open_for_comment", visibility="committee", owner_committee=committee
    )

    with pytest.raises(PermissionDenied):
        comments.add_comment(actor=outsider, document=document, body="Hi", today=TODAY)


def test_owners_answer_and_resolve_comments(
    representative: User, member: User, committee: Committee
) -> None:
    document = make_document(
        status="open_for_comment", visibility="members", owner_committee=committee
    )
    comment = comments.add_comment(
        actor=member, document=document, body="Add a hotline.", today=timezone.localdate()
    )

    with pytest.raises(PermissionDenied):
        comments.answer_comment(actor=member, comment=comment, answer="Me too", resolve=True)
    answered = comments.answer_comment(
        actor=representative, comment=comment, answer="Added in version 2.", resolve=True
    )

    assert answered.answer == "Added in version 2."
    assert answered.answered_by == representative
    assert answered.is_resolved
    assert answered.resolved_by == representative
