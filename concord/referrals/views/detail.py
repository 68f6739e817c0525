"""A referral's page, for both agencies, and its print view. Client information is read
only through ``services.access.client_information``, which writes the access log."""

import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.referrals.forms.actions import (
    CompleteForm,
    DeclineForm,
    InformationRequestForm,
    MessageForm,
)
from concord.referrals.models import (
    TRANSITIONS,
    AccessAction,
    ClientField,
    Referral,
    ReferralStatus,
)
from concord.referrals.services.access import client_information
from concord.referrals.views.lookup import get_referral, refuse

# The answers each side may give, by the status they lead to.
RECEIVER_MOVES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.INFO_REQUESTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
)


def viewable_referral(request: AuthenticatedRequest, public_id: uuid.UUID) -> Referral:
    """The referral for a page of it: 404 out of reach, 403 without the right."""
    referral = get_referral(request, public_id)
    if not permissions.can_view_referral(request.user, referral):
        refuse(request, 403)
    return referral


def _client_rows(values: dict[str, Any] | None) -> list[tuple[str, Any]] | None:
    if values is None:
        return None
    labels = dict(ClientField.choices)
    return [(str(labels[name]), values[name]) for name in ClientField.values if name in values]


def _context(request: AuthenticatedRequest, referral: Referral, action: str) -> dict[str, Any]:
    user = request.user
    receiver = permissions.is_referral_receiver(user, referral)
    sender = permissions.is_referral_sender(user, referral)
    allowed = TRANSITIONS[referral.status]
    # Hidden messages are not even loaded: a body the page does not show is never read.
    messages_readable = permissions.can_read_referral_messages(user, referral)
    return {
        "referral": referral,
        "client": _client_rows(client_information(referral=referral, user=user, action=action)),
        "needs": referral.needs.all(),
        "history": referral.changes.select_related("actor"),
        "messages_": referral.messages.select_related("author", "agency")
        if messages_readable
        else referral.messages.none(),
        "messages_readable": messages_readable,
        "is_sender": sender,
        "is_receiver": receiver,
        "can_move": {status: receiver and status in allowed for status in RECEIVER_MOVES},
        "can_close": (sender or receiver) and ReferralStatus.CLOSED in allowed,
        "can_withdraw": sender and ReferralStatus.WITHDRAWN in allowed,
        "can_message": not referral.is_purged and referral.status != ReferralStatus.WITHDRAWN,
        "overdue": referral.status == ReferralStatus.SENT
        and referral.respond_by is not None
        and referral.respond_by < timezone.now(),
        "consent_valid": referral.consent is not None and referral.consent.is_valid(),
    }


def render_detail(
    request: AuthenticatedRequest,
    referral: Referral,
    *,
    status: int = 200,
    **bound: forms.Form,
) -> HttpResponse:
    """The referral's page; ``bound`` replaces a blank form with the one just sent, so its
    errors show and nothing typed is lost."""
    context = {
        "decline_form": DeclineForm(prefix="decline"),
        "info_form": InformationRequestForm(prefix="info"),
        "complete_form": CompleteForm(prefix="complete"),
        "message_form": MessageForm(),
        **_context(request, referral, AccessAction.VIEW),
        **bound,
    }
    return render(request, "referrals/detail/referral_detail.html", context, status=status)


@login_required
@require_safe
def referral_detail(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    return render_detail(request, viewable_referral(request, public_id))


@login_required
@require_safe
def referral_print(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = viewable_referral(request, public_id)
    return render(
        request,
        "referrals/detail/referral_print.html",
        _context(request, referral, AccessAction.PRINT),
    )


urls: list[URLPattern] = [
    path("<uuid:public_id>/", referral_detail, name="referral-detail"),
    path("<uuid:public_id>/print/", referral_print, name="referral-print"),
]
