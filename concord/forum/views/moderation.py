"""Coordinators' forum pages: hiding posts, locking threads, sharing best practices and
the reports queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.forum import queries
from concord.forum.forms import HideForm
from concord.forum.models import PostReport
from concord.forum.services import moderation as services
from concord.forum.views.forum import get_post, get_thread, require_forum


def _require_moderator(request: AuthenticatedRequest) -> None:
    if not permissions.can_moderate_forum(request.user):
        raise PermissionDenied


@login_required
def post_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_post(request, pk)
    _require_moderator(request)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(actor=request.user, post=post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Post hidden."))
            return redirect(queries.post_page_url(post))
    return render(request, "forum/post_hide.html", {"post": post, "form": form})


@login_required
@require_POST
def post_unhide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_post(request, pk)
    _require_moderator(request)
    perform(
        request,
        lambda: services.unhide_post(actor=request.user, post=post),
        success=_("Post shown again."),
    )
    return redirect(queries.post_page_url(post))


def _thread_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    thread = get_thread(request, pk)
    _require_moderator(request)
    changes = {
        "lock": (
            lambda: services.set_thread_locked(actor=request.user, thread=thread, locked=True),
            _("Thread locked: no more replies."),
        ),
        "unlock": (
            lambda: services.set_thread_locked(actor=request.user, thread=thread, locked=False),
            _("Thread open for replies again."),
        ),
        "share": (
            lambda: services.set_best_practice(actor=request.user, thread=thread, shared=True),
            _("Thread shared as a best practice: members find it in the resource library."),
        ),
        "unshare": (
            lambda: services.set_best_practice(actor=request.user, thread=thread, shared=False),
            _("Thread no longer shared as a best practice."),
        ),
    }
    change, success = changes[action]
    perform(request, change, success=success)
    return redirect(thread)


@login_required
@require_POST
def thread_lock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _thread_action(request, pk, "lock")


@login_required
@require_POST
def thread_unlock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _thread_action(request, pk, "unlock")


@login_required
@require_POST
def thread_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _thread_action(request, pk, "share")


@login_required
@require_POST
def thread_unshare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _thread_action(request, pk, "unshare")


@login_required
@require_safe
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    require_forum(request)
    _require_moderator(request)
    return render(
        request,
        "forum/report_list.html",
        {"reports": queries.open_reports(), "handled": queries.recently_handled_reports()},
    )


@login_required
@require_POST
def report_handle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_forum(request)
    _require_moderator(request)
    report = get_object_or_404(PostReport, pk=pk)
    perform(
        request,
        lambda: services.handle_report(actor=request.user, report=report),
        success=_("Report marked as handled."),
    )
    return redirect("forum:report-list")


urls: list[URLPattern] = [
    path("forum/posts/<int:pk>/hide/", post_hide, name="post-hide"),
    path("forum/posts/<int:pk>/unhide/", post_unhide, name="post-unhide"),
    path("forum/threads/<int:pk>/lock/", thread_lock, name="thread-lock"),
    path("forum/threads/<int:pk>/unlock/", thread_unlock, name="thread-unlock"),
    path("forum/threads/<int:pk>/best-practice/", thread_share, name="thread-share"),
    path("forum/threads/<int:pk>/best-practice/remove/", thread_unshare, name="thread-unshare"),
    path("forum/reports/", report_list, name="report-list"),
    path("forum/reports/<int:pk>/handle/", report_handle, name="report-handle"),
]
