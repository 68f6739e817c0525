"""Documents and their versions: creating a document, saving a new version (every change
makes one), and moving through the workflow. Every change is audited in its transaction."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core.markdown import unsafe_links
from concord.core.permissions import can_create_documents, can_edit_document, is_coordinator
from concord.library.models import (
    Document,
    DocumentStatus,
    DocumentVersion,
    Language,
    StatusChange,
    Tag,
    Visibility,
)
from concord.library.services.uploads import CheckedUpload, check_upload
from concord.meetings.models import Meeting

T = TypeVar("T")
S = DocumentStatus
# The statuses a document may move to from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.COMMITTEE_REVIEW, S.OPEN_FOR_COMMENT, S.RETIRED),
    S.COMMITTEE_REVIEW: (S.DRAFT, S.OPEN_FOR_COMMENT, S.COALITION_VOTE, S.RETIRED),
    S.OPEN_FOR_COMMENT: (S.COMMITTEE_REVIEW, S.COALITION_VOTE, S.RETIRED),
    S.COALITION_VOTE: (S.COMMITTEE_REVIEW, S.ADOPTED, S.RETIRED),
    S.ADOPTED: (S.UNDER_REVIEW, S.RETIRED),
    S.UNDER_REVIEW: (S.OPEN_FOR_COMMENT, S.COALITION_VOTE, S.ADOPTED, S.RETIRED),
    S.RETIRED: (),
}
SEARCH_TEXT_LIMIT = 100_000
REVIEW_INTERVAL = relativedelta(years=1)
TAG_LIMIT = 20


@dataclass(frozen=True)
class Adoption:
    effective_on: datetime.date
    votes_yes: int
    votes_no: int
    votes_abstain: int
    meeting: Meeting | None = None
    next_review_on: datetime.date | None = None


def allowed_transitions(document: Document) -> tuple[str, ...]:
    return TRANSITIONS.get(document.status, ())


def clean_tags(raw: str | Iterable[str]) -> list[str]:
    """Tag names from a comma-separated string (or a list): trimmed, lower case, unique."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for part in parts:
        name = " ".join(part.split()).lower()[:60]
        if name and name not in names:
            names.append(name)
    return names[:TAG_LIMIT]


def _check_markdown(text: str, field: str) -> None:
    if unsafe_links(text):
        raise ValidationError(
            {field: _("Links must start with http, https or mailto.")}, code="unsafe_link"
        )


def _check_content(text: str, upload: UploadedFile | None) -> CheckedUpload | None:
    text = text.strip()
    if text and upload is not None:
        raise ValidationError(
            _("A version is either text written here or an uploaded file, not both."),
            code="both",
        )
    if not text and upload is None:
        raise ValidationError(
            _("Write the text of the document or upload its file."), code="no_content"
        )
    if upload is not None:
        return check_upload(upload)
    _check_markdown(text, "text")
    return None


def search_text_of(document: Document, tags: Iterable[str], version: DocumentVersion) -> str:
    return "\n".join([" ".join(tags), version.text])[:SEARCH_TEXT_LIMIT]


def _store_version(
    *,
    document: Document,
    number: int,
    actor: User,
    change_note: str,
    text: str,
    checked: CheckedUpload | None,
    stored: list[str],
) -> DocumentVersion:
    version = DocumentVersion(
        document=document, number=number, author=actor, change_note=change_note.strip()
    )
    if checked is None:
        version.text = text.strip()
    else:
        version.file_name = checked.file_name
        version.content_type = checked.file_type.content_type
        version.file_size = len(checked.content)
        version.sha256 = checked.sha256
        version.file.save("version", ContentFile(checked.content), save=False)
        stored.append(version.file.name)
    version.save()
    return version


def _with_cleanup(work: Callable[[list[str]], T]) -> T:
    """Run ``work(stored)`` in a transaction; files it stored go again if it fails, so a
    refused or failed change leaves no file behind."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return work(stored)
    except BaseException:
        storage = DocumentVersion._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise


def create_document(
    *,
    actor: User,
    title: str,
    title_es: str = "",
    kind: str,
    owner_committee_id: int | None,
    visibility: str,
    languages: Iterable[str],
    tags: str | Iterable[str] = (),
    text: str = "",
    upload: UploadedFile | None = None,
    change_note: str = "",
) -> Document:
    """A new draft document with its first version."""
    if not can_create_documents(actor):
        raise PermissionDenied
    if owner_committee_id is None and not is_coordinator(actor):
        raise PermissionDenied
    probe = Document(owner_committee_id=owner_committee_id)
    if not can_edit_document(actor, probe):
        raise PermissionDenied
    codes = [code for code in languages if code in Language.values]
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the document a title.")
    if visibility == Visibility.COMMITTEE and owner_committee_id is None:
        errors["visibility"] = _("Only a document with an owner committee can be kept to it.")
    if not codes:
        errors["languages"] = _("Choose at least one language.")
    if errors:
        raise ValidationError(errors)
    checked = _check_content(text, upload)
    tag_names = clean_tags(tags)

    def work(stored: list[str]) -> Document:
        document = Document.objects.create(
            title=title.strip(),
            title_es=title_es.strip(),
            kind=kind,
            owner_committee_id=owner_committee_id,
            visibility=visibility,
            languages=",".join(codes),
            created_by=actor,
        )
        _set_tags(document, tag_names)
        version = _store_version(
            document=document,
            number=1,
            actor=actor,
            change_note=change_note or _("First version"),
            text=text,
            checked=checked,
            stored=stored,
        )
        document.current_version = version
        document.search_text = search_text_of(document, tag_names, version)
        document.save(update_fields=["current_version", "search_text", "updated_at"])
        StatusChange.objects.create(document=document, to_status=document.status, actor=actor)
        record_event(
            actor=actor,
            action="concord.library.document.created",
            target=document,
            data={"version": 1, "file": checked is not None},
        )
        return document

    return _with_cleanup(work)


def _set_tags(document: Document, names: list[str]) -> None:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in existing:
            existing[name], _created = Tag.objects.get_or_create(name=name)
    document.tags.set([existing[name] for name in names])


def add_version(
    *,
    actor: User,
    document: Document,
    change_note: str,
    text: str = "",
    upload: UploadedFile | None = None,
    tags: str | Iterable[str] | None = None,
) -> DocumentVersion:
    """Save a new version with its change note; it becomes the current one."""
    if not can_edit_document(actor, document):
        raise PermissionDenied
    if document.status == DocumentStatus.RETIRED:
        raise ValidationError(_("A retired document takes no new versions."), code="retired")
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    checked = _check_content(text, upload)

    def work(stored: list[str]) -> DocumentVersion:
        locked = Document.objects.select_for_update().get(pk=document.pk)
        last = locked.versions.order_by("-number").values_list("number", flat=True).first()
        if tags is not None:
            _set_tags(locked, clean_tags(tags))
        tag_names = list(locked.tags.order_by("name").values_list("name", flat=True))
        version = _store_version(
            document=locked,
            number=(last or 0) + 1,
            actor=actor,
            change_note=change_note,
            text=text,
            checked=checked,
            stored=stored,
        )
        locked.current_version = version
        locked.search_text = search_text_of(locked, tag_names, version)
        locked.save(update_fields=["current_version", "search_text", "updated_at"])
        record_event(
            actor=actor,
            action="concord.library.version.added",
            target=locked,
            data={"version": version.number, "file": checked is not None},
        )
        return version

    return _with_cleanup(work)


def change_status(
    *,
    actor: User,
    document: Document,
    to_status: str,
    today: datetime.date,
    comment_closes_on: datetime.date | None = None,
    adoption: Adoption | None = None,
) -> Document:
    """Move the document through the workflow, along the transition table only."""
    if not can_edit_document(actor, document):
        raise PermissionDenied
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if to_status not in TRANSITIONS.get(locked.status, ()):
            raise ValidationError(
                _("A document cannot move from %(from)s to %(to)s.")
                % {
                    "from": DocumentStatus(locked.status).label,
                    "to": DocumentStatus(to_status).label
                    if to_status in DocumentStatus.values
                    else to_status,
                },
                code="transition",
            )
        fields = ["status", "updated_at"]
        if to_status == DocumentStatus.OPEN_FOR_COMMENT:
            if comment_closes_on is None or comment_closes_on <= today:
                raise ValidationError(
                    {"comment_closes_on": _("Comments must close on a day after today.")}
                )
            locked.comment_closes_on = comment_closes_on
            fields.append("comment_closes_on")
        if to_status == DocumentStatus.ADOPTED:
            _adopt(locked, adoption, today)
            fields += [
                "effective_on",
                "votes_yes",
                "votes_no",
                "votes_abstain",
                "vote_meeting",
                "next_review_on",
            ]
        from_status = locked.status
        locked.status = to_status
        locked.save(update_fields=fields)
        StatusChange.objects.create(
            document=locked, from_status=from_status, to_status=to_status, actor=actor
        )
        record_event(
            actor=actor,
            action="concord.library.document.status_changed",
            target=locked,
            data={"from": from_status, "to": to_status},
        )
    return locked


def _adopt(document: Document, adoption: Adoption | None, today: datetime.date) -> None:
    if adoption is None:
        raise ValidationError(
            _("Give the effective date and the vote's counts to adopt the document.")
        )
    counts = (adoption.votes_yes, adoption.votes_no, adoption.votes_abstain)
    if any(count < 0 for count in counts):
        raise ValidationError({"votes_yes": _("Vote counts cannot be negative.")})
    if adoption.next_review_on is not None and adoption.next_review_on <= today:
        raise ValidationError({"next_review_on": _("The next review must come after today.")})
    document.effective_on = adoption.effective_on
    document.votes_yes, document.votes_no, document.votes_abstain = counts
    document.vote_meeting = adoption.meeting
    document.next_review_on = adoption.next_review_on or today + REVIEW_INTERVAL
