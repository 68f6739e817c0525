"""The answers to a referral and the messages between the two agencies: POST only, each
one service call. A refusal by the service (a colleague answered first, a missing reason)
shows on the referral's page, never as an error page."""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.referrals.forms.actions import (
    CompleteForm,
    DeclineForm,
    InformationRequestForm,
    MessageForm,
)
from concord.referrals.models import Referral
from concord.referrals.services import referrals as services
from concord.referrals.views.detail import render_detail, viewable_referral
from concord.referrals.views.lookup import refuse


def _detail_url(referral: Referral) -> str:
    return reverse("referrals:referral-detail", kwargs={"public_id": referral.public_id})


def _act(
    request: AuthenticatedRequest,
    public_id: uuid.UUID,
    action: Callable[[Referral], object],
    *,
    success: str,
) -> HttpResponse:
    """A button without a form: the service's refusal becomes a message on the page."""
    referral = viewable_referral(request, public_id)
    try:
        perform(request, lambda: action(referral), success=success)
    except PermissionDenied:
        refuse(request, 403)
    return redirect(_detail_url(referral))


def _answer(
    request: AuthenticatedRequest,
    public_id: uuid.UUID,
    form: forms.Form,
    action: Callable[[Referral, dict[str, Any]], object],
    *,
    success: str,
) -> HttpResponse:
    """An answer with a form: its errors, or the service's, show on the referral's page
    with what was typed."""
    referral = viewable_referral(request, public_id)
    if form.is_valid():
        try:
            action(referral, form.cleaned_data)
        except PermissionDenied:
            refuse(request, 403)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_detail_url(referral))
    return render_detail(request, referral, status=400, **{f"{form.prefix}_form": form})


@login_required
@require_POST
def accept(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        lambda referral: services.accept_referral(actor=request.user, referral=referral),
        success=_("Referral accepted. The referring agency can see it."),
    )


@login_required
@require_POST
def decline(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        DeclineForm(request.POST, prefix="decline"),
        lambda referral, values: services.decline_referral(
            actor=request.user, referral=referral, reason=values["reason"], note=values["note"]
        ),
        success=_("Referral declined. The referring agency can see the reason."),
    )


@login_required
@require_POST
def request_info(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        InformationRequestForm(request.POST, prefix="info"),
        lambda referral, values: services.request_information(
            actor=request.user, referral=referral, message=values["message"]
        ),
        success=_("Question sent. The referral went back to the referring agency."),
    )


@login_required
@require_POST
def start(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        lambda referral: services.start_referral(actor=request.user, referral=referral),
        success=_("Referral marked as in progress."),
    )


@login_required
@require_POST
def complete(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _answer(
        request,
        public_id,
        CompleteForm(request.POST, prefix="complete"),
        lambda referral, values: services.complete_referral(
            actor=request.user, referral=referral, outcome=values["outcome"], note=values["note"]
        ),
        success=_("Referral completed with its outcome."),
    )


@login_required
@require_POST
def close(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        lambda referral: services.close_referral(actor=request.user, referral=referral),
        success=_("Referral closed."),
    )


@login_required
@require_POST
def message(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = viewable_referral(request, public_id)
    earlier = earlier_submission_url(request)
    if earlier is not None:
        return redirect(earlier)
    # Without a prefix: the double-submit check reads the token by its plain name.
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.post_message(
                    actor=request.user, referral=referral, body=form.cleaned_data["body"]
                ),
                result_url=lambda posted: f"{_detail_url(referral)}#message-{posted.pk}",
            )
        except PermissionDenied:
            refuse(request, 403)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect(url)
    return render_detail(request, referral, status=400, message_form=form)


urls: list[URLPattern] = [
    path("<uuid:public_id>/accept/", accept, name="accept"),
    path("<uuid:public_id>/decline/", decline, name="decline"),
    path("<uuid:public_id>/request-info/", request_info, name="request-info"),
    path("<uuid:public_id>/start/", start, name="start"),
    path("<uuid:public_id>/complete/", complete, name="complete"),
    path("<uuid:public_id>/close/", close, name="close"),
    path("<uuid:public_id>/messages/", message, name="message"),
]
