"""Reads of the forum and the resource library, scoped to what a person may see, each in a
fixed number of queries whatever the number of threads and posts."""

import re
import unicodedata
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from concord.core.permissions import is_coordinator, is_member
from concord.forum.models import (
    Category,
    Post,
    PostReport,
    Resource,
    ResourceKind,
    ResourceVisibility,
    Subscription,
    Thread,
)
from concord.meetings.queries import committee_ids_of

_MAX_WORDS = 10
_SEARCHED = ("title", "title_es", "summary", "summary_es", "tags")


def categories_visible_to(user: Any) -> QuerySet[Category]:
    """General categories for every member, a committee's for its members; all for
    coordinators; none for anyone else."""
    categories = Category.objects.select_related("committee")
    if is_coordinator(user):
        return categories
    if not is_member(user):
        return categories.none()
    return categories.filter(Q(committee__isnull=True) | Q(committee__in=committee_ids_of(user)))


def category_list_for(user: Any) -> QuerySet[Category]:
    return categories_visible_to(user).annotate(thread_count=Count("threads"))


def threads_visible_to(user: Any) -> QuerySet[Thread]:
    return Thread.objects.filter(category__in=categories_visible_to(user).values("pk"))


def threads_of(category: Category) -> QuerySet[Thread]:
    return category.threads.select_related("author__agency").order_by("-last_post_at", "-pk")


def posts_visible_to(user: Any) -> QuerySet[Post]:
    return Post.objects.filter(thread__in=threads_visible_to(user).values("pk")).select_related(
        "thread__category"
    )


def posts_of(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author__agency").order_by("created_at", "pk")


def subscription_of(
    person: Any, *, thread: Thread | None = None, category: Category | None = None
) -> Subscription | None:
    if thread is not None:
        return Subscription.objects.filter(person=person, thread=thread).first()
    return Subscription.objects.filter(person=person, category=category).first()


def open_reports() -> QuerySet[PostReport]:
    return (
        PostReport.objects.filter(handled_at__isnull=True)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("created_at", "pk")
    )


def recently_handled_reports(limit: int = 20) -> QuerySet[PostReport]:
    return (
        PostReport.objects.filter(handled_at__isnull=False)
        .select_related("post__thread", "handled_by")
        .order_by("-handled_at", "-pk")[:limit]
    )


# The resource library.


def resources_visible_to(user: Any) -> QuerySet[Resource]:
    """Public resources for everyone; members also see members-only ones. A forum thread
    is members-only whatever its resource says, and a committee category's thread is for
    its committee; a document follows the library's own rule (documents_visible_to)."""
    from concord.library.queries import documents_visible_to

    resources = Resource.objects.select_related("document", "thread")
    if is_coordinator(user):
        return resources
    document_seen = Q(document__isnull=True) | Q(
        document__in=documents_visible_to(user).values("pk")
    )
    if not is_member(user):
        return resources.filter(
            ~Q(kind=ResourceKind.THREAD), document_seen, visibility=ResourceVisibility.PUBLIC
        )
    thread_seen = (
        Q(thread__isnull=True)
        | Q(thread__category__committee__isnull=True)
        | Q(thread__category__committee__in=committee_ids_of(user))
    )
    return resources.filter(thread_seen, document_seen)


def _words(text: str) -> list[str]:
    # Accents dropped, as the SQLite index and PostgreSQL's unaccent drop them from the text.
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", text.lower())
        if not unicodedata.combining(char)
    )
    return re.findall(r"\w+", folded)[:_MAX_WORDS]


def matching_resource_ids(text: str) -> Any | None:
    """A subquery of the ids of resources whose titles, summaries or tags hold every word
    of ``text``, each as a prefix; None without words. The same approach as the
    directory's service search (concord/directory/search.py)."""
    words = _words(text)
    if not words:
        return None
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        vector = SearchVector(
            *(Func(F(name), function="unaccent") for name in _SEARCHED), config="simple"
        )
        return Resource.objects.annotate(search=vector).filter(search=query).values("pk")
    expression = " ".join(f'"{word}"*' for word in words)
    return RawSQL(
        "SELECT resource_id FROM forum_resource_fts WHERE forum_resource_fts MATCH %s",
        (expression,),
    )


def search_resources(
    user: Any, *, words: str = "", kind: str = "", audience: str = "", language: str = ""
) -> QuerySet[Resource]:
    resources = resources_visible_to(user)
    ids = matching_resource_ids(words)
    if ids is not None:
        resources = resources.filter(pk__in=ids)
    if kind:
        resources = resources.filter(kind=kind)
    if audience:
        resources = resources.filter(audience=audience)
    if language:
        resources = resources.filter(language=language)
    return resources.order_by("title", "pk")


POSTS_PER_PAGE = 50


def post_page_url(post: Post) -> str:
    """The thread page that shows ``post``, with its anchor."""
    position = (
        Post.objects.filter(thread_id=post.thread_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lte=post.pk))
        .count()
    )
    page = max(1, (position + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE)
    url = post.thread.get_absolute_url()
    return f"{url}?page={page}#post-{post.pk}" if page > 1 else f"{url}#post-{post.pk}"
