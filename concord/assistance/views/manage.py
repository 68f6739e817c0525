"""Coordinators' queue and a request's page, where coordinators assign and decline, and
the assigned expert (or a coordinator) starts the work, logs hours and completes it.
Actions are POST only, each one service call; a refusal by the service (someone else
acted first) shows on the request's page, never as an error page."""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.assistance.forms import (
    AssignForm,
    CompleteForm,
    DeclineForm,
    QueueFilterForm,
    TimeEntryForm,
)
from concord.assistance.models import (
    TRANSITIONS,
    WORKING_STATUSES,
    AssistanceRequest,
    RequestStatus,
)
from concord.assistance.queries import request_queue, requests_assigned_to, requests_in_reach
from concord.assistance.services import workflow
from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest

PAGE_SIZE = 50


def _in_reach(request: AuthenticatedRequest, public_id: uuid.UUID) -> AssistanceRequest:
    """The request named in the URL if the user reaches it (coordinators, its expert);
    anyone else gets 404, whatever the request."""
    found = (
        requests_in_reach(request.user)
        .select_related("assigned_expert", "agency", "requester")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def render_detail(
    request: AuthenticatedRequest,
    found: AssistanceRequest,
    *,
    status: int = 200,
    **forms_given: forms.Form,
) -> HttpResponse:
    user = request.user
    manages = permissions.can_manage_assistance(user)
    works = permissions.can_work_on_assistance_request(user, found)
    allowed = TRANSITIONS[found.status]
    time_entries = found.time_entries.select_related("expert")
    context: dict[str, Any] = {
        "assistance_request": found,
        "history": found.status_changes.select_related("actor"),
        "time_entries": time_entries,
        "total_hours": time_entries.aggregate(total=Sum("hours"))["total"],
        "Status": RequestStatus,
        "assign_form": forms_given.get("assign_form")
        or (AssignForm(request=found, prefix="assign") if manages else None),
        "decline_form": forms_given.get("decline_form") or DeclineForm(prefix="decline"),
        "complete_form": forms_given.get("complete_form") or CompleteForm(prefix="complete"),
        "time_form": forms_given.get("time_form") or TimeEntryForm(prefix="time"),
        "can_assign": manages and RequestStatus.ASSIGNED in allowed,
        "can_decline": manages and RequestStatus.DECLINED in allowed,
        "can_start": works and RequestStatus.IN_PROGRESS in allowed,
        "can_complete": works and RequestStatus.COMPLETED in allowed,
        "can_log_time": works and found.status in WORKING_STATUSES,
    }
    return render(request, "assistance/request_detail.html", context, status=status)


@login_required
@require_safe
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_assistance(request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    status, topic = form.values()
    page = Paginator(request_queue(status=status, topic=topic), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = {key: value for key, value in (("status", status), ("topic", topic)) if value}
    return render(
        request,
        "assistance/request_list.html",
        {"form": form, "page": page, "query": query},
    )


@login_required
@require_safe
def assigned_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "assistance/assigned_list.html",
        {"requests": requests_assigned_to(request.user), "Status": RequestStatus},
    )


@login_required
@require_safe
def request_detail(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return render_detail(request, _in_reach(request, public_id))


def _answer(
    request: AuthenticatedRequest,
    public_id: uuid.UUID,
    *,
    allowed: Callable[[Any, AssistanceRequest], bool],
    form: forms.Form,
    action: Callable[[AssistanceRequest, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """An action with a form: its errors, or the service's, show on the request's page
    with what was typed."""
    found = _in_reach(request, public_id)
    if not allowed(request.user, found):
        raise PermissionDenied
    if form.is_valid():
        try:
            action(found, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(found.get_absolute_url())
    return render_detail(request, found, status=400, **{f"{form.prefix}_form": form})


@login_required
@require_POST
def request_assign(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        allowed=lambda user, _found: permissions.can_manage_assistance(user),
        form=AssignForm(request.POST, prefix="assign"),
        action=lambda target, values: workflow.assign_request(
            actor=request.user, request=target, expert=values["expert"], seen=values["seen"]
        ),
        success=_("Request assigned. The expert and the requester are emailed."),
    )


@login_required
@require_POST
def request_decline(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        allowed=lambda user, _found: permissions.can_manage_assistance(user),
        form=DeclineForm(request.POST, prefix="decline"),
        action=lambda target, values: workflow.decline_request(
            actor=request.user, request=target, reason=values["reason"]
        ),
        success=_("Request declined. The requester is emailed."),
    )


@login_required
@require_POST
def request_start(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    found = _in_reach(request, public_id)
    if not permissions.can_work_on_assistance_request(request.user, found):
        raise PermissionDenied
    perform(
        request,
        lambda: workflow.start_request(actor=request.user, request=found),
        success=_("Request marked as in progress. The requester is emailed."),
    )
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def request_complete(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        allowed=permissions.can_work_on_assistance_request,
        form=CompleteForm(request.POST, prefix="complete"),
        action=lambda target, values: workflow.complete_request(
            actor=request.user, request=target, outcome=values["outcome"]
        ),
        success=_("Request completed. The requester is emailed."),
    )


@login_required
@require_POST
def time_entry_create(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        allowed=permissions.can_work_on_assistance_request,
        form=TimeEntryForm(request.POST, prefix="time"),
        action=lambda target, values: workflow.log_time(
            actor=request.user,
            request=target,
            date=values["date"],
            hours=values["hours"],
            note=values["note"],
        ),
        success=_("Time logged."),
    )


_REQUEST = "technical-assistance/manage/<uuid:public_id>/"
urls: list[URLPattern] = [
    path("technical-assistance/manage/", request_list, name="request-list"),
    path("technical-assistance/assigned/", assigned_list, name="assigned-list"),
    path(_REQUEST, request_detail, name="request-detail"),
    path(f"{_REQUEST}assign/", request_assign, name="request-assign"),
    path(f"{_REQUEST}decline/", request_decline, name="request-decline"),
    path(f"{_REQUEST}start/", request_start, name="request-start"),
    path(f"{_REQUEST}complete/", request_complete, name="request-complete"),
    path(f"{_REQUEST}time/", time_entry_create, name="time-entry-create"),
]
