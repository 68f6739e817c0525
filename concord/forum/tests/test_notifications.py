import datetime
from typing import Any

from django.utils import timezone

from concord.accounts.models import User
from concord.forum.models import Category, Subscription, Thread
from concord.forum.services.notifications import queue_digests
from concord.forum.services.posts import create_thread, reply_to_thread, set_subscription
from concord.forum.tasks import forum_digest
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

SECRET_BODY = "The body of this reply must never travel by email."


def test_immediate_subscribers_get_an_email_without_the_body(
    smtp_server: Mailbox,
    member: User,
    representative: User,
    outsider: User,
    forum_thread: Thread,
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_subscription(actor=representative, mode="immediate", thread=forum_thread)
    # The outsider is not in the committee: subscribed somehow, still not told.
    Subscription.objects.create(person=outsider, thread=forum_thread, mode="immediate")
    set_subscription(actor=member, mode="immediate", thread=forum_thread)

    with django_capture_on_commit_callbacks(execute=True):
        reply_to_thread(actor=member, thread=forum_thread, body=SECRET_BODY)
    run_queued_tasks()

    assert [m["To"] for m in smtp_server.messages] == [representative.email]
    body = smtp_server.bodies()[0]
    assert forum_thread.title in body
    assert f"/forum/threads/{forum_thread.pk}/" in body
    assert SECRET_BODY not in body
    assert member.email not in body
    assert member.email not in smtp_server.messages[0]["Subject"]


def test_a_retried_notification_is_not_sent_twice(
    smtp_server: Mailbox,
    member: User,
    representative: User,
    forum_thread: Thread,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from concord.forum.tasks import notify_new_post

    set_subscription(actor=representative, mode="immediate", thread=forum_thread)
    with django_capture_on_commit_callbacks(execute=True):
        post = reply_to_thread(actor=member, thread=forum_thread, body="Hello")
    run_queued_tasks()
    notify_new_post.call(post.pk)

    assert len(smtp_server.messages) == 1


def test_category_subscribers_hear_of_new_threads(
    smtp_server: Mailbox,
    member: User,
    outsider: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    general = Category.objects.create(name="General")
    set_subscription(actor=outsider, mode="immediate", category=general)

    with django_capture_on_commit_callbacks(execute=True):
        create_thread(actor=member, category=general, title="Hotel visits", body=SECRET_BODY)
    run_queued_tasks()

    assert [m["To"] for m in smtp_server.messages] == [outsider.email]
    assert "Hotel visits" in smtp_server.bodies()[0]
    assert SECRET_BODY not in smtp_server.bodies()[0]


def test_digest_is_sent_once_a_day_listing_the_threads(
    smtp_server: Mailbox,
    member: User,
    representative: User,
    forum_thread: Thread,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscription = set_subscription(actor=representative, mode="digest", thread=forum_thread)
    assert subscription is not None
    Subscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply_to_thread(actor=member, thread=forum_thread, body=SECRET_BODY)
        reply_to_thread(actor=member, thread=forum_thread, body="And more")
    run_queued_tasks()
    assert smtp_server.messages == []  # digest subscribers get no immediate email

    with django_capture_on_commit_callbacks(execute=True):
        forum_digest.call()
    with django_capture_on_commit_callbacks(execute=True):
        reply_to_thread(actor=member, thread=forum_thread, body="Later the same day")
        forum_digest.call()  # a second run the same day sends nothing more
    run_queued_tasks()

    assert [m["To"] for m in smtp_server.messages] == [representative.email]
    body = smtp_server.bodies()[0]
    assert body.count(forum_thread.title) == 1
    assert SECRET_BODY not in body

    # The next day, the post written after the first digest is listed.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_digests(now=tomorrow) == 1
    run_queued_tasks()
    assert len(smtp_server.messages) == 2


def test_digest_skips_the_readers_own_posts(
    smtp_server: Mailbox,
    member: User,
    forum_thread: Thread,
    django_capture_on_commit_callbacks: Any,
) -> None:
    set_subscription(actor=member, mode="digest", thread=forum_thread)
    reply_to_thread(actor=member, thread=forum_thread, body="My own")

    with django_capture_on_commit_callbacks(execute=True):
        assert queue_digests(now=timezone.now() + datetime.timedelta(days=1)) == 0
    run_queued_tasks()

    assert smtp_server.messages == []
