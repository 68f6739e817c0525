"""Who is told about new posts: immediate subscribers at once, digest subscribers once a
day. Emails carry the thread's title and a link, never a post's text or anyone's address."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from concord.accounts.models import User
from concord.core import permissions
from concord.forum.models import Post, Subscription, SubscriptionMode, Thread


def _can_follow(person: User, thread: Thread) -> bool:
    return person.is_active and permissions.can_see_forum_category(person, thread.category)


def immediate_recipients(post: Post) -> list[User]:
    """People following the post's thread or category by immediate email, except its
    author and anyone who may no longer read it."""
    thread = post.thread
    subscriptions = (
        Subscription.objects.filter(mode=SubscriptionMode.IMMEDIATE)
        .filter(Q(thread=thread) | Q(category_id=thread.category_id))
        .exclude(person_id=post.author_id)
        .select_related("person__agency")
        .order_by("person_id")
    )
    people: dict[int, User] = {}
    for subscription in subscriptions:
        people.setdefault(subscription.person_id, subscription.person)
    return [person for person in people.values() if _can_follow(person, thread)]


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


@transaction.atomic
def queue_digests(*, now: datetime.datetime) -> int:
    """Claim every digest subscription not yet sent today and queue, for each person, one
    email listing the threads with posts since their last digest. Returns the number of
    emails queued. Run twice in a day, the second run finds everything claimed."""
    from concord.forum.tasks import send_digest

    today = _local_date(now)
    subscriptions = [
        subscription
        # Only the subscriptions are locked: PostgreSQL refuses to lock the nullable side
        # of the outer joins that select_related makes.
        for subscription in Subscription.objects.select_for_update(of=("self",))
        .filter(mode=SubscriptionMode.DIGEST, person__is_active=True)
        .select_related("person__agency", "thread__category", "category")
        .order_by("pk")
        if subscription.digest_sent_at is None or _local_date(subscription.digest_sent_at) < today
    ]
    if not subscriptions:
        return 0
    earliest = min(s.digest_sent_at or s.created_at for s in subscriptions)
    thread_ids = {s.thread_id for s in subscriptions if s.thread_id}
    category_ids = {s.category_id for s in subscriptions if s.category_id}
    posts = list(
        Post.objects.filter(created_at__gt=earliest, created_at__lte=now, hidden_at__isnull=True)
        .filter(Q(thread_id__in=thread_ids) | Q(thread__category_id__in=category_ids))
        .select_related("thread__category")
        .order_by("created_at", "pk")
    )
    threads_for: dict[int, list[int]] = defaultdict(list)
    people: dict[int, User] = {}
    for subscription in subscriptions:
        since = subscription.digest_sent_at or subscription.created_at
        for post in posts:
            followed = (
                post.thread_id == subscription.thread_id
                or post.thread.category_id == subscription.category_id
            )
            if not followed or post.created_at <= since or post.author_id == subscription.person_id:
                continue
            if not _can_follow(subscription.person, post.thread):
                continue
            if post.thread_id not in threads_for[subscription.person_id]:
                threads_for[subscription.person_id].append(post.thread_id)
        people[subscription.person_id] = subscription.person
    Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(digest_sent_at=now)
    queued = [(person_id, ids) for person_id, ids in threads_for.items() if ids]
    transaction.on_commit(
        lambda: [send_digest.enqueue(person_id, ids) for person_id, ids in queued]
    )
    return len(queued)
