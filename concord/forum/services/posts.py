"""Members write in the forum: new threads, replies, edits, subscriptions and reports."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core import permissions
from concord.core.markdown import unsafe_links
from concord.forum.models import (
    Category,
    Post,
    PostReport,
    PostRevision,
    Subscription,
    SubscriptionMode,
    Thread,
)


def check_links(body: str) -> None:
    """Refuse a body whose links the sanitizer would drop (``javascript:`` and the like),
    so the writer can fix them instead of losing them silently."""
    refused = unsafe_links(body)
    if refused:
        raise ValidationError(
            {
                "body": _(
                    "Links must start with http, https or mailto. Change or remove: %(links)s"
                )
                % {"links": ", ".join(refused)}
            },
            code="unsafe_link",
        )


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")}, code="required")
    check_links(body)
    return body


def _notify(post: Post) -> None:
    from concord.forum.tasks import notify_new_post

    transaction.on_commit(lambda: notify_new_post.enqueue(post.pk))


@transaction.atomic
def create_thread(*, actor: User, category: Category, title: str, body: str) -> Thread:
    """Open a thread in ``category`` with its first post."""
    if not permissions.can_see_forum_category(actor, category):
        raise ValidationError(_("You cannot write in this category."), code="forbidden")
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")}, code="required")
    body = _check_body(body)
    now = timezone.now()
    thread = Thread.objects.create(category=category, title=title, author=actor, last_post_at=now)
    post = Post.objects.create(thread=thread, author=actor, body=body)
    record_event(actor=actor, action="concord.forum.thread.created", target=thread)
    _notify(post)
    return thread


@transaction.atomic
def reply_to_thread(*, actor: User, thread: Thread, body: str, quoted: Post | None = None) -> Post:
    """Add a reply, unless the thread is locked (checked on the locked row, so a lock
    that lands first wins)."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not permissions.can_reply_to_thread(actor, thread):
        raise ValidationError(_("This thread is locked: no more replies."), code="locked")
    body = _check_body(body)
    if quoted is not None and quoted.thread_id != thread.pk:
        quoted = None
    post = Post.objects.create(thread=thread, author=actor, body=body, quoted=quoted)
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_post_at=post.created_at
    )
    record_event(actor=actor, action="concord.forum.post.created", target=post)
    _notify(post)
    return post


@transaction.atomic
def edit_post(*, actor: User, post: Post, body: str) -> Post:
    """Change a post's text, keeping the previous text as a revision."""
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not permissions.can_edit_forum_post(actor, post):
        raise ValidationError(_("You cannot edit this post."), code="forbidden")
    body = _check_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=actor)
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    record_event(actor=actor, action="concord.forum.post.edited", target=post)
    return post


@transaction.atomic
def set_subscription(
    *,
    actor: User,
    mode: str,
    thread: Thread | None = None,
    category: Category | None = None,
) -> Subscription | None:
    """Follow a thread or a category by email (``mode`` immediate or digest), or stop
    following it (``mode`` empty)."""
    if (thread is None) == (category is None):
        raise ValueError("Subscribe to a thread or to a category.")
    target: dict[str, Thread | Category | None] = (
        {"thread": thread} if thread is not None else {"category": category}
    )
    current = Subscription.objects.filter(person=actor, **target).first()
    if not mode:
        if current is not None:
            current.delete()
            record_event(actor=actor, action="concord.forum.subscription.removed", target=current)
        return None
    if mode not in SubscriptionMode.values:
        raise ValidationError(_("Choose how to be told."), code="invalid")
    if current is None:
        current = Subscription.objects.create(person=actor, mode=mode, **target)
        record_event(actor=actor, action="concord.forum.subscription.created", target=current)
    elif current.mode != mode:
        current.mode = mode
        current.save(update_fields=["mode"])
        record_event(actor=actor, action="concord.forum.subscription.changed", target=current)
    return current


@transaction.atomic
def report_post(*, actor: User, post: Post, reason: str) -> PostReport:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with this post.")}, code="required")
    report = PostReport.objects.create(post=post, reporter=actor, reason=reason)
    record_event(actor=actor, action="concord.forum.post.reported", target=report)
    return report
