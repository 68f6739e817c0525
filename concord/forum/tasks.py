"""Forum emails and the daily digest. Tasks receive ids only; emails carry a thread's
title and a link, never a post's text nor another member's address."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from concord.accounts.models import User
from concord.forum.models import Post, Thread


def _link(path: str) -> str:
    return settings.SITE_URL + path


def _send(template: str, context: dict[str, Any], person: User) -> None:
    with translation.override(person.language):
        subject = render_to_string(f"forum/email/{template}_subject.txt", context)
        body = render_to_string(f"forum/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email])


@task()
def notify_new_post(post_id: int) -> None:
    """Tell the post's immediate subscribers, once: the post is claimed first, so a
    retried task does not send again."""
    from concord.forum.services.notifications import immediate_recipients

    claimed = Post.objects.filter(pk=post_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return
    post = Post.objects.select_related("thread__category").get(pk=post_id)
    if post.is_hidden:
        return
    context = {
        "thread_title": post.thread.title,
        "link": _link(post.get_absolute_url()),
        "is_new_thread": not post.thread.posts.filter(pk__lt=post.pk).exists(),
    }
    try:
        for person in immediate_recipients(post):
            _send("new_post", context, person)
    except Exception:
        Post.objects.filter(pk=post_id).update(notified_at=None)
        raise


@task()
def send_digest(person_id: int, thread_ids: list[int]) -> None:
    """One person's daily digest: the threads with new posts since the last one."""
    from concord.core.permissions import can_see_forum_category

    person = User.objects.select_related("agency").filter(pk=person_id, is_active=True).first()
    if person is None:
        return
    threads = [
        thread
        for thread in Thread.objects.filter(Q(pk__in=thread_ids))
        .select_related("category")
        .order_by("-last_post_at", "pk")
        if can_see_forum_category(person, thread.category)
    ]
    if not threads:
        return
    context = {
        "threads": [{"title": t.title, "link": _link(t.get_absolute_url())} for t in threads]
    }
    _send("digest", context, person)


@task()
def forum_digest() -> int:
    """The scheduler's daily job: queue each digest subscriber's email."""
    from concord.forum.services.notifications import queue_digests

    return queue_digests(now=timezone.now())
