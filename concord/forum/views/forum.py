"""The members' forum: categories, threads, writing, editing, following and reporting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.markdown import quote
from concord.core.submissions import create_once, earlier_submission_url
from concord.forum import queries
from concord.forum.forms import (
    EditPostForm,
    ReplyForm,
    ReportForm,
    SubscriptionForm,
    ThreadForm,
)
from concord.forum.models import Category, Post, Thread
from concord.forum.services import posts as services

THREADS_PER_PAGE = 30


def require_forum(request: AuthenticatedRequest) -> None:
    if not permissions.can_use_forum(request.user):
        raise PermissionDenied


def get_category(request: AuthenticatedRequest, pk: int) -> Category:
    require_forum(request)
    return get_object_or_404(queries.categories_visible_to(request.user), pk=pk)


def get_thread(request: AuthenticatedRequest, pk: int) -> Thread:
    require_forum(request)
    return get_object_or_404(
        queries.threads_visible_to(request.user).select_related("category__committee"), pk=pk
    )


def get_post(request: AuthenticatedRequest, pk: int) -> Post:
    require_forum(request)
    return get_object_or_404(
        queries.posts_visible_to(request.user).select_related("author__agency"), pk=pk
    )


def _page(request: AuthenticatedRequest, paginator: Paginator) -> Page:
    number = request.GET.get("page")
    if number == "last":
        number = str(paginator.num_pages)
    return paginator.get_page(number)


@login_required
@require_safe
def category_list(request: AuthenticatedRequest) -> HttpResponse:
    require_forum(request)
    return render(
        request,
        "forum/category_list.html",
        {
            "categories": queries.category_list_for(request.user),
            "can_moderate": permissions.can_moderate_forum(request.user),
        },
    )


@login_required
@require_safe
def category_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    category = get_category(request, pk)
    paginator = Paginator(queries.threads_of(category), THREADS_PER_PAGE)
    return render(
        request,
        "forum/category_detail.html",
        {
            "category": category,
            "page": _page(request, paginator),
            "subscription": queries.subscription_of(request.user, category=category),
            "subscription_form": SubscriptionForm(),
        },
    )


@login_required
@require_safe
def thread_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = get_thread(request, pk)
    paginator = Paginator(queries.posts_of(thread), queries.POSTS_PER_PAGE)
    return render(
        request,
        "forum/thread_detail.html",
        {
            "thread": thread,
            "category": thread.category,
            "page": _page(request, paginator),
            "subscription": queries.subscription_of(request.user, thread=thread),
            "subscription_form": SubscriptionForm(),
            "can_reply": permissions.can_reply_to_thread(request.user, thread),
            "can_moderate": permissions.can_moderate_forum(request.user),
        },
    )


@login_required
def thread_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    category = get_category(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.create_thread(
                    actor=request.user,
                    category=category,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                ),
                result_url=lambda thread: thread.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thread started."))
            return redirect(url)
    return render(request, "forum/thread_form.html", {"category": category, "form": form})


@login_required
def post_reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = get_thread(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    if not permissions.can_reply_to_thread(request.user, thread):
        messages.error(request, _("This thread is locked: no more replies."))
        return redirect(thread)
    quoted = _quoted_post(thread, request.POST.get("quoted") or request.GET.get("quote"))
    initial = (
        {"quoted": quoted.pk, "body": quote(quoted.body, quoted.author.full_name)} if quoted else {}
    )
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.reply_to_thread(
                    actor=request.user, thread=thread, body=form.cleaned_data["body"], quoted=quoted
                ),
                result_url=queries.post_page_url,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reply posted."))
            return redirect(url)
    return render(
        request, "forum/post_reply.html", {"thread": thread, "form": form, "quoted": quoted}
    )


def _quoted_post(thread: Thread, value: str | None) -> Post | None:
    """The visible post of this thread named by ``value``; a hidden post is not quoted."""
    if not value or not value.isdigit():
        return None
    return (
        thread.posts.filter(pk=int(value), hidden_at__isnull=True).select_related("author").first()
    )


@login_required
def post_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_post(request, pk)
    if not permissions.can_edit_forum_post(request.user, post):
        raise PermissionDenied
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Post saved. Its earlier text stays in its history."))
            return redirect(queries.post_page_url(post))
    return render(request, "forum/post_edit.html", {"post": post, "form": form})


@login_required
@require_safe
def post_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_post(request, pk)
    if post.is_hidden and not permissions.can_moderate_forum(request.user):
        raise PermissionDenied
    revisions = post.revisions.select_related("edited_by").order_by("-edited_at", "-pk")
    return render(request, "forum/post_history.html", {"post": post, "revisions": revisions})


@login_required
def post_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_post(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.report_post(
                    actor=request.user, post=post, reason=form.cleaned_data["reason"]
                ),
                result_url=lambda report: queries.post_page_url(post),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The coordinators will look at this post."))
            return redirect(url)
    return render(request, "forum/post_report.html", {"post": post, "form": form})


@login_required
@require_POST
def thread_subscription(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = get_thread(request, pk)
    _subscribe(request, thread=thread)
    return redirect(thread)


@login_required
@require_POST
def category_subscription(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    category = get_category(request, pk)
    _subscribe(request, category=category)
    return redirect(category)


def _subscribe(
    request: AuthenticatedRequest, *, thread: Thread | None = None, category: Category | None = None
) -> None:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to be told about new posts."))
        return
    mode = form.chosen_mode()
    services.set_subscription(actor=request.user, mode=mode, thread=thread, category=category)
    if mode:
        messages.success(request, _("You follow it now."))
    else:
        messages.success(request, _("You no longer follow it."))


urls: list[URLPattern] = [
    path("forum/", category_list, name="category-list"),
    path("forum/categories/<int:pk>/", category_detail, name="category-detail"),
    path("forum/categories/<int:pk>/new/", thread_create, name="thread-create"),
    path(
        "forum/categories/<int:pk>/subscription/",
        category_subscription,
        name="category-subscription",
    ),
    path("forum/threads/<int:pk>/", thread_detail, name="thread-detail"),
    path("forum/threads/<int:pk>/reply/", post_reply, name="post-reply"),
    path("forum/threads/<int:pk>/subscription/", thread_subscription, name="thread-subscription"),
    path("forum/posts/<int:pk>/edit/", post_edit, name="post-edit"),
    path("forum/posts/<int:pk>/history/", post_history, name="post-history"),
    path("forum/posts/<int:pk>/report/", post_report, name="post-report"),
]
