"""The library's reading pages: the searchable list, a document, its versions, a past
version, the difference between two text versions, a file's download, and the
coordinators' list of overdue reviews."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.core.permissions import (
    can_comment_on_document,
    can_create_documents,
    can_edit_document,
    can_see_overdue_reviews,
    is_member,
)
from concord.library import queries
from concord.library.diff import side_by_side
from concord.library.forms import AnswerForm, CommentForm, DiffForm, LibraryFilterForm
from concord.library.models import Document, DocumentVersion
from concord.library.services.comments import comment_period_open
from concord.library.services.documents import allowed_transitions
from concord.library.views.access import asks_to_sign_in, visible_document

PAGE_SIZE = 25


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None, tags=queries.tag_names())
    filters = queries.LibraryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.LibraryFilters(
            words=data["q"],
            kind=data["kind"],
            status=data["status"],
            tag=data["tag"],
            language=data["language"],
        )
    # Evaluated once, every id in order: cheaper than counting and slicing the search
    # apart, which runs the full-text match twice.
    ids = list(queries.search_documents(filters, user=request.user).values_list("pk", flat=True))
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/document_list.html",
        {
            "form": form,
            "page": page,
            "rows": queries.list_row_values(
                queries.list_rows(page.object_list), queries.tags_of(page.object_list)
            ),
            "filtered": filters != queries.LibraryFilters(),
            "query": query.urlencode(),
            "can_create": can_create_documents(request.user),
            "can_see_reviews": can_see_overdue_reviews(request.user),
        },
    )


def _version(document: Document, number: int) -> DocumentVersion:
    version = document.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    return version


@require_safe
@asks_to_sign_in
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = visible_document(request, pk)
    version = document.current_version
    can_edit = can_edit_document(request.user, document)
    today = timezone.localdate()
    comments = []
    if version is not None and (is_member(request.user) or can_edit):
        comments = queries.comments_on(version)
    comment_open = comment_period_open(document, today)
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "version": version,
            "comments": comments,
            "comment_open": comment_open,
            "comment_form": CommentForm()
            if comment_open and can_comment_on_document(request.user, document)
            else None,
            "answer_form": AnswerForm() if can_edit else None,
            "can_edit": can_edit,
            "transitions": allowed_transitions(document) if can_edit else (),
            "history": list(document.status_changes.order_by("changed_at", "pk")),
            "shows_people": is_member(request.user) or can_edit,
        },
    )


@require_safe
@asks_to_sign_in
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    document = visible_document(request, pk)
    versions = queries.versions_of(document)
    text_numbers = [version.number for version in versions if not version.file]
    return render(
        request,
        "library/version_list.html",
        {
            "document": document,
            "versions": versions,
            "diff_form": DiffForm(
                initial={"old": text_numbers[1], "new": text_numbers[0]}
                if len(text_numbers) > 1
                else None
            ),
            "can_diff": len(text_numbers) > 1,
            "shows_people": is_member(request.user) or can_edit_document(request.user, document),
        },
    )


@require_safe
@asks_to_sign_in
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = visible_document(request, pk)
    version = _version(document, number)
    return render(
        request,
        "library/version_detail.html",
        {
            "document": document,
            "version": version,
            "is_current": version.pk == document.current_version_id,
            "shows_people": is_member(request.user) or can_edit_document(request.user, document),
        },
    )


@require_safe
@asks_to_sign_in
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    document = visible_document(request, pk)
    form = DiffForm(request.GET or None)
    rows = None
    old = new = None
    if form.is_valid():
        numbers = (form.cleaned_data["old"], form.cleaned_data["new"])
        found = {
            version.number: version for version in document.versions.filter(number__in=numbers)
        }
        old, new = found.get(numbers[0]), found.get(numbers[1])
        if old is None or new is None:
            form.add_error(None, _("Choose two versions of this document."))
        elif old.file or new.file:
            form.add_error(None, _("Only text versions can be compared; files cannot."))
        else:
            rows = side_by_side(old.text, new.text)
    return render(
        request,
        "library/version_diff.html",
        {"document": document, "form": form, "rows": rows, "old": old, "new": new},
    )


@require_safe
@asks_to_sign_in
def version_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A file version as an attachment, with the type found in its content when it was
    uploaded and the uploader's name, cleaned when it was checked."""
    document = visible_document(request, pk)
    version = _version(document, number)
    if not version.file:
        raise Http404
    with version.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=version.content_type)
    response["Content-Disposition"] = content_disposition(version.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(name: str) -> str:
    """An attachment header: an ASCII fallback name and the exact name (RFC 6266)."""
    from urllib.parse import quote

    ascii_name = "".join(
        char if char.isascii() and (char.isalnum() or char in "._- ") else "_" for char in name
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@login_required
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    if not can_see_overdue_reviews(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "library/review_list.html",
        {"documents": list(queries.overdue_reviews(today)), "today": today},
    )


urls: list[URLPattern] = [
    path("documents/", document_list, name="document-list"),
    path("documents/reviews/", review_list, name="review-list"),
    path("documents/<int:pk>/", document_detail, name="document-detail"),
    path("documents/<int:pk>/versions/", version_list, name="version-list"),
    path("documents/<int:pk>/versions/<int:number>/", version_detail, name="version-detail"),
    path(
        "documents/<int:pk>/versions/<int:number>/download/",
        version_download,
        name="version-download",
    ),
    path("documents/<int:pk>/compare/", version_diff, name="version-diff"),
]
