"""Coordinators keep the forum in order: hide posts, lock threads, handle reports, and
share threads as best practices in the resource library."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core import permissions
from concord.forum.models import (
    Post,
    PostReport,
    Resource,
    ResourceKind,
    ResourceVisibility,
    Thread,
)


def _require_moderator(actor: User) -> None:
    if not permissions.can_moderate_forum(actor):
        raise ValidationError(_("Only coordinators moderate the forum."), code="forbidden")


@transaction.atomic
def hide_post(*, actor: User, post: Post, reason: str) -> Post:
    _require_moderator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding it.")}, code="required")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."), code="hidden")
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.hidden_reason = reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    record_event(actor=actor, action="concord.forum.post.hidden", target=post)
    return post


@transaction.atomic
def unhide_post(*, actor: User, post: Post) -> Post:
    _require_moderator(actor)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.is_hidden:
        raise ValidationError(_("This post is not hidden."), code="shown")
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    record_event(actor=actor, action="concord.forum.post.unhidden", target=post)
    return post


@transaction.atomic
def set_thread_locked(*, actor: User, thread: Thread, locked: bool) -> Thread:
    _require_moderator(actor)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.locked == locked:
        message = _("This thread is already locked.") if locked else _("This thread is open.")
        raise ValidationError(message, code="unchanged")
    thread.locked = locked
    thread.save(update_fields=["locked"])
    action = "locked" if locked else "unlocked"
    record_event(actor=actor, action=f"concord.forum.thread.{action}", target=thread)
    return thread


@transaction.atomic
def set_best_practice(*, actor: User, thread: Thread, shared: bool) -> Thread:
    """Mark a thread as a shared best practice, which lists it in the resource library
    (members only, as the forum is), or take it back out."""
    _require_moderator(actor)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_best_practice == shared:
        message = (
            _("This thread is already a shared best practice.")
            if shared
            else _("This thread is not a shared best practice.")
        )
        raise ValidationError(message, code="unchanged")
    thread.is_best_practice = shared
    thread.save(update_fields=["is_best_practice"])
    if shared:
        resource, _created = Resource.objects.get_or_create(
            thread=thread,
            defaults={
                "kind": ResourceKind.THREAD,
                "title": thread.title,
                "visibility": ResourceVisibility.MEMBERS,
                "created_by": actor,
            },
        )
        record_event(actor=actor, action="concord.forum.thread.shared", target=thread)
        record_event(actor=actor, action="concord.resource.created", target=resource)
    else:
        for resource in Resource.objects.filter(thread=thread):
            record_event(actor=actor, action="concord.resource.removed", target=resource)
            resource.delete()
        record_event(actor=actor, action="concord.forum.thread.unshared", target=thread)
    return thread


@transaction.atomic
def handle_report(*, actor: User, report: PostReport) -> PostReport:
    _require_moderator(actor)
    report = PostReport.objects.select_for_update().get(pk=report.pk)
    if report.is_handled:
        raise ValidationError(_("This report was already handled."), code="handled")
    report.handled_at = timezone.now()
    report.handled_by = actor
    report.save(update_fields=["handled_at", "handled_by"])
    record_event(actor=actor, action="concord.forum.report.handled", target=report)
    return report
