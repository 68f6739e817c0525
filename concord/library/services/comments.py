"""Members' comments on the current version during its comment period, and the owners'
answers and resolutions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core.permissions import can_comment_on_document, can_edit_document
from concord.library.models import COMMENT_LIMIT, Comment, Document, DocumentStatus
from concord.library.services.documents import _check_markdown


def comment_period_open(document: Document, today: datetime.date) -> bool:
    return (
        document.status == DocumentStatus.OPEN_FOR_COMMENT
        and document.comment_closes_on is not None
        and today <= document.comment_closes_on
    )


def _check_body(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: _("Write something first.")})
    if len(text) > COMMENT_LIMIT:
        raise ValidationError(
            {field: _("Keep it under %(limit)s characters.") % {"limit": COMMENT_LIMIT}}
        )
    _check_markdown(text, field)
    return text


@transaction.atomic
def add_comment(*, actor: User, document: Document, body: str, today: datetime.date) -> Comment:
    """A comment on the document's current version while its comment period is open."""
    if not can_comment_on_document(actor, document):
        raise PermissionDenied
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not comment_period_open(locked, today):
        if locked.status == DocumentStatus.OPEN_FOR_COMMENT and locked.comment_closes_on:
            message = _("The comment period closed on %(date)s: comments are no longer taken.") % {
                "date": date_format(locked.comment_closes_on)
            }
        else:
            message = _("This document is not open for comment.")
        raise ValidationError({"body": message}, code="closed")
    text = _check_body(body, "body")
    if locked.current_version_id is None:
        raise ValidationError(_("This document has no version to comment on."))
    comment = Comment.objects.create(version_id=locked.current_version_id, author=actor, body=text)
    record_event(
        actor=actor,
        action="concord.library.comment.added",
        target=comment,
        data={"document": locked.pk},
    )
    return comment


@transaction.atomic
def answer_comment(*, actor: User, comment: Comment, answer: str, resolve: bool) -> Comment:
    """The owners answer a comment, and may mark it resolved at the same time."""
    document = comment.version.document
    if not can_edit_document(actor, document):
        raise PermissionDenied
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    fields = []
    if answer.strip():
        locked.answer = _check_body(answer, "answer")
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        fields += ["answer", "answered_by", "answered_at"]
    if resolve and locked.resolved_at is None:
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor
        fields += ["resolved_at", "resolved_by"]
    if not fields:
        raise ValidationError({"answer": _("Write an answer or mark the comment resolved.")})
    locked.save(update_fields=fields)
    record_event(
        actor=actor,
        action="concord.library.comment.answered",
        target=locked,
        data={"document": document.pk, "fields": fields},
    )
    return locked
