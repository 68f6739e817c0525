"""The public side: the request form, the confirmation of a requester's address, and the
requester's status page, opened by a signed link (no account needed)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from concord.assistance.forms import HONEYPOT_FIELD, RequestForm
from concord.assistance.models import AssistanceRequest, RequestStatus
from concord.assistance.services import requests as services
from concord.assistance.services.links import (
    LinkExpiredError,
    Purpose,
    make_token,
    request_for_token,
)
from concord.core.ratelimits import rate_limited
from concord.core.submissions import create_once, earlier_submission_url

PERSONAL_FIELDS = ("name", "email", "phone", "affiliation", "description")


def status_path(request: AssistanceRequest) -> str:
    return reverse("assistance:request-status", args=[make_token(request, Purpose.STATUS)])


def _confirm_message() -> str:
    return _(
        "Thank you. We have emailed you a link: open it to confirm your address, and your "
        "request reaches the coalition's coordinators."
    )


@sensitive_post_parameters(*PERSONAL_FIELDS)
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    user = request.user if request.user.is_authenticated else None
    form = RequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # The same answer as a real request, and nothing made.
            messages.success(request, _confirm_message())
            return redirect("assistance:request-sent")
        email = form.cleaned_data["email"]
        if rate_limited(
            request,
            "assistance:request",
            email,
            per_ip=settings.ASSISTANCE_RATE_PER_IP,
            per_address=settings.ASSISTANCE_RATE_PER_ADDRESS,
        ):
            form.add_error(
                None, _("Too many requests from here or for this address. Please try again later.")
            )
        else:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=user,
                create=lambda: services.submit_request(
                    values=form.cleaned_data, language=request.LANGUAGE_CODE, requester=user
                ),
                result_url=lambda made: (
                    status_path(made) if user is not None else reverse("assistance:request-sent")
                ),
            )
            if user is not None:
                messages.success(
                    request,
                    _(
                        "Your request reached the coalition's coordinators. This page shows "
                        "where it stands, and we have emailed you its link."
                    ),
                )
            else:
                messages.success(request, _confirm_message())
            return redirect(url)
    return render(
        request,
        "assistance/request_form.html",
        {"form": form, "honeypot": HONEYPOT_FIELD},
        status=400 if form.errors else 200,
    )


@require_safe
def request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "assistance/request_sent.html")


def _expired(request: HttpRequest) -> HttpResponse:
    return render(request, "assistance/link_expired.html", status=410)


@require_http_methods(["GET", "POST"])
def request_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        found = request_for_token(token, Purpose.CONFIRM)
    except LinkExpiredError:
        return _expired(request)
    if found is None:
        raise Http404
    if request.method == "POST":
        found = services.confirm_request(request=found)
        messages.success(request, _("Thank you: your request reached the coalition."))
        return redirect(status_path(found))
    return render(request, "assistance/request_confirm.html", {"assistance_request": found})


@require_safe
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = request_for_token(token, Purpose.STATUS)
    except LinkExpiredError:
        return _expired(request)
    if found is None or found.confirmed_at is None:
        raise Http404
    return render(
        request,
        "assistance/request_status.html",
        {
            "assistance_request": found,
            "history": found.status_changes.all(),
            "Status": RequestStatus,
        },
    )


urls: list[URLPattern] = [
    path("technical-assistance/", request_create, name="request-create"),
    path("technical-assistance/sent/", request_sent, name="request-sent"),
    path("technical-assistance/confirm/<str:token>/", request_confirm, name="request-confirm"),
    path("technical-assistance/status/<str:token>/", request_status, name="request-status"),
]
