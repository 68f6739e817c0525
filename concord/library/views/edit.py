"""The owners' pages: a new document, a new version, the workflow, and answers to
comments; and the members' comment form, posted from the document's page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.permissions import can_comment_on_document, can_create_documents
from concord.core.submissions import create_once, earlier_submission_url
from concord.library.forms import (
    AnswerForm,
    CommentForm,
    DocumentCreateForm,
    StatusForm,
    VersionForm,
)
from concord.library.models import Comment
from concord.library.services import comments, documents
from concord.library.views.access import asks_to_sign_in, owned_document, visible_document


@login_required
def document_create(request: AuthenticatedRequest) -> HttpResponse:
    if not can_create_documents(request.user):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = DocumentCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            url = create_once(
                token=data["submission_token"],
                user=request.user,
                create=lambda: documents.create_document(
                    actor=request.user,
                    title=data["title"],
                    title_es=data["title_es"],
                    kind=data["kind"],
                    owner_committee_id=form.owner_committee_id(),
                    visibility=data["visibility"],
                    languages=data["languages"],
                    tags=data["tags"],
                    text=data["text"],
                    upload=data["upload"],
                ),
                result_url=lambda document: document.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Document created as a draft."))
            return redirect(url)
    return render(request, "library/document_form.html", {"form": form})


@login_required
@asks_to_sign_in
def version_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = owned_document(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    current = document.current_version
    initial: dict[str, Any] = {"tags": ", ".join(tag.name for tag in document.tags.all())}
    if current is not None and not current.file:
        initial["text"] = current.text
    form = VersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            url = create_once(
                token=data["submission_token"],
                user=request.user,
                create=lambda: documents.add_version(
                    actor=request.user,
                    document=document,
                    change_note=data["change_note"],
                    text=data["text"],
                    upload=data["upload"],
                    tags=data["tags"],
                ),
                result_url=lambda version: version.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("New version saved."))
            return redirect(url)
    return render(request, "library/version_form.html", {"document": document, "form": form})


@login_required
@asks_to_sign_in
def document_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = owned_document(request, pk)
    form = StatusForm(request.POST or None, transitions=documents.allowed_transitions(document))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adoption = None
        if data["effective_on"] is not None and data["votes_yes"] is not None:
            adoption = documents.Adoption(
                effective_on=data["effective_on"],
                votes_yes=data["votes_yes"],
                votes_no=data["votes_no"] or 0,
                votes_abstain=data["votes_abstain"] or 0,
                meeting=data["meeting"],
                next_review_on=data["next_review_on"],
            )
        try:
            documents.change_status(
                actor=request.user,
                document=document,
                to_status=data["to_status"],
                today=timezone.localdate(),
                comment_closes_on=data["comment_closes_on"],
                adoption=adoption,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Status changed."))
            return redirect(document)
    return render(request, "library/document_status.html", {"document": document, "form": form})


@login_required
@require_POST
@asks_to_sign_in
def comment_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = visible_document(request, pk)
    if not can_comment_on_document(request.user, document):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: comments.add_comment(
                    actor=request.user,
                    document=document,
                    body=form.cleaned_data["body"],
                    today=timezone.localdate(),
                ),
                result_url=lambda comment: f"{document.get_absolute_url()}#comment-{comment.pk}",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your comment was added."))
            return redirect(url)
    return render(
        request,
        "library/comment_refused.html",
        {"document": document, "form": form},
        status=400,
    )


@login_required
@require_POST
@asks_to_sign_in
def comment_answer(request: AuthenticatedRequest, pk: int, comment_pk: int) -> HttpResponse:
    document = visible_document(request, pk)
    comment = (
        Comment.objects.select_related("version__document")
        .filter(pk=comment_pk, version__document=document)
        .first()
    )
    if comment is None:
        raise Http404
    document = owned_document(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            comments.answer_comment(
                actor=request.user,
                comment=comment,
                answer=form.cleaned_data["answer"],
                resolve=form.cleaned_data["resolve"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Answer saved."))
            return redirect(f"{document.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "library/comment_refused.html",
        {"document": document, "form": form},
        status=400,
    )


urls: list[URLPattern] = [
    path("documents/new/", document_create, name="document-create"),
    path("documents/<int:pk>/versions/new/", version_create, name="version-create"),
    path("documents/<int:pk>/status/", document_status, name="document-status"),
    path("documents/<int:pk>/comments/", comment_create, name="comment-create"),
    path(
        "documents/<int:pk>/comments/<int:comment_pk>/answer/",
        comment_answer,
        name="comment-answer",
    ),
]
