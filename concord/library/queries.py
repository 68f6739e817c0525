"""Reads of the library: who sees which documents, the full-text and filtered search, and
the pages' rows, each in a fixed number of queries whatever the number of documents."""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Func, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.permissions import (
    LIBRARY_PUBLISHED,
    LIBRARY_SHARED,
    is_active_user,
    is_coordinator,
    is_member,
)
from concord.library.models import (
    Comment,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
    Language,
    Tag,
    Visibility,
)
from concord.meetings.queries import committee_ids_of

_MAX_WORDS = 10
_SEARCHED = ("title", "title_es", "search_text")


@dataclass(frozen=True)
class LibraryFilters:
    words: str = ""
    kind: str = ""
    status: str = ""
    tag: str = ""
    language: str = ""


def visibility_filter(user: Any) -> Q:
    """The documents ``user`` sees, as a condition; the same rule as can_see_document."""
    published = Q(visibility=Visibility.PUBLIC, status__in=LIBRARY_PUBLISHED)
    if is_coordinator(user):
        return Q()
    seen = published
    if is_member(user):
        seen |= Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS], status__in=LIBRARY_SHARED)
    if is_active_user(user):
        committees = committee_ids_of(user)
        if committees:
            seen |= Q(owner_committee_id__in=committees)
    return seen


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(visibility_filter(user))


def fold(text: str) -> str:
    """Lower case without accents, as the SQLite index and PostgreSQL's unaccent see it."""
    return "".join(
        char
        for char in unicodedata.normalize("NFKD", text.lower())
        if not unicodedata.combining(char)
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))[:_MAX_WORDS]


def matching_document_ids(text: str) -> Any | None:
    """A subquery of the ids of documents whose title, Spanish title, tags or current text
    hold every word of ``text``, each as a prefix; None without words.

    Words are \\w+ only, so they carry no query syntax; they still travel as a parameter."""
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
        return Document.objects.annotate(search=vector).filter(search=query).values("pk")
    expression = " ".join(f'"{word}"*' for word in words)
    return RawSQL(
        "SELECT rowid FROM library_document_fts WHERE library_document_fts MATCH %s",
        (expression,),
    )


def with_language(documents: QuerySet[Document], code: str) -> QuerySet[Document]:
    """Documents available in ``code``; ``languages`` is a comma-separated list."""
    return documents.filter(
        Q(languages=code)
        | Q(languages__startswith=f"{code},")
        | Q(languages__endswith=f",{code}")
        | Q(languages__contains=f",{code},")
    )


def search_documents(filters: LibraryFilters, *, user: Any) -> QuerySet[Document]:
    documents = documents_visible_to(user)
    matching = matching_document_ids(filters.words)
    if matching is not None:
        documents = documents.filter(pk__in=matching)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.tag:
        tagged = Document.tags.through.objects.filter(tag__name=filters.tag)
        documents = documents.filter(pk__in=tagged.values("document_id"))
    if filters.language:
        documents = with_language(documents, filters.language)
    return documents.order_by("title", "pk")


_ROW_FIELDS = (
    "title",
    "title_es",
    "kind",
    "status",
    "visibility",
    "languages",
    "owner_committee__name",
    "owner_committee__name_es",
)


def list_rows(ids: Any) -> list[Document]:
    """One page of documents with the fields a row shows and their committee."""
    return list(
        Document.objects.filter(pk__in=list(ids))
        .select_related("owner_committee")
        .only(*_ROW_FIELDS)
        .order_by("title", "pk")
    )


def tags_of(ids: Any) -> dict[int, list[str]]:
    """Each document's tag names, in one query (lighter than prefetch_related)."""
    names: dict[int, list[str]] = {}
    pairs = (
        Document.tags.through.objects.filter(document_id__in=list(ids))
        .order_by("tag__name")
        .values_list("document_id", "tag__name")
    )
    for document_id, name in pairs:
        names.setdefault(document_id, []).append(name)
    return names


@dataclass(frozen=True)
class ListRow:
    """What a row of the library list shows, resolved once in Python: the template then
    only prints strings, which keeps a page of 25 rows cheap to render."""

    url: str
    title: str
    kind: str
    status: str
    owner: str
    visibility: str
    languages: str
    tags: str


def list_row_values(documents: list[Document], tags: dict[int, list[str]]) -> list[ListRow]:
    kinds, statuses = dict(DocumentKind.choices), dict(DocumentStatus.choices)
    visibilities, languages = dict(Visibility.choices), dict(Language.choices)
    coalition = str(_("The coalition"))
    rows = []
    for document in documents:
        committee = document.owner_committee
        rows.append(
            ListRow(
                url=reverse("library:document-detail", kwargs={"pk": document.pk}),
                title=document.title_text,
                kind=str(kinds.get(document.kind, document.kind)),
                status=str(statuses.get(document.status, document.status)),
                owner=committee.name_text if committee else coalition,
                visibility=""
                if document.visibility == Visibility.PUBLIC
                else str(visibilities.get(document.visibility, "")),
                languages=", ".join(
                    str(languages.get(code, code)) for code in document.language_codes
                ),
                tags=", ".join(tags.get(document.pk, [])),
            )
        )
    return rows


def tag_names() -> list[str]:
    return list(Tag.objects.order_by("name").values_list("name", flat=True))


def document_for_page(pk: int) -> Document | None:
    return (
        Document.objects.select_related("owner_committee", "current_version", "vote_meeting")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .filter(pk=pk)
        .first()
    )


def versions_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("author").defer("text").order_by("-number"))


def comments_on(version: DocumentVersion) -> list[Comment]:
    return list(
        version.comments.select_related("author", "answered_by", "resolved_by").order_by(
            "created_at", "pk"
        )
    )


def overdue_reviews(today: datetime.date) -> QuerySet[Document]:
    return (
        Document.objects.filter(next_review_on__lt=today)
        .exclude(status="retired")
        .select_related("owner_committee")
        .order_by("next_review_on", "pk")
    )


def reviews_due_for_reminder(today: datetime.date, lead: datetime.timedelta) -> QuerySet[Document]:
    """Adopted documents whose review falls within ``lead`` and whose chairs have not been
    reminded of this review date yet."""
    return (
        Document.objects.filter(
            status="adopted",
            next_review_on__isnull=False,
            next_review_on__lte=today + lead,
            owner_committee__isnull=False,
        )
        .filter(
            Q(review_reminded_for__isnull=True)
            | Q(review_reminded_for__lt=F("next_review_on"))
            | Q(review_reminded_for__gt=F("next_review_on"))
        )
        .order_by("pk")
    )
