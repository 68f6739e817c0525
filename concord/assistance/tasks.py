"""Technical assistance emails. Tasks receive ids only and load the rest.

The requester's emails go to their own address and carry a signed link, nothing about
anyone else; coordinators' and experts' emails carry the topic and a link, never the
requester's details.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from concord.accounts.models import User
from concord.assistance.models import AssistanceRequest, RequestStatus
from concord.assistance.services.links import Purpose, make_token
from concord.coalition.queries import current_coalition


def _site(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _send(template: str, context: dict[str, Any], language: str, to: str) -> None:
    with translation.override(language):
        context = {"coalition": current_coalition(), **context}
        subject = render_to_string(f"assistance/email/{template}_subject.txt", context)
        body = render_to_string(f"assistance/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def status_link(request: AssistanceRequest) -> str:
    with translation.override(request.language):
        return _site("assistance:request-status", token=make_token(request, Purpose.STATUS))


@task()
def send_confirmation_link(request_id: int) -> None:
    """Ask a requester without an account to confirm their address."""
    request = AssistanceRequest.objects.filter(pk=request_id, confirmed_at__isnull=True).first()
    if request is None:
        return
    with translation.override(request.language):
        link = _site("assistance:request-confirm", token=make_token(request, Purpose.CONFIRM))
    _send("confirm_email", {"request": request, "link": link}, request.language, request.email)


@task()
def send_status_update(request_id: int, status: str) -> None:
    """ "Your request is now <status>", with the link to follow it."""
    request = AssistanceRequest.objects.filter(pk=request_id).first()
    if request is None or status not in RequestStatus.values:
        return
    with translation.override(request.language):
        status_label = str(RequestStatus(status).label).lower()
    context = {
        "request": request,
        "status": status,
        "status_label": status_label,
        "link": status_link(request),
    }
    _send("status_update", context, request.language, request.email)


@task()
def notify_coordinators(request_id: int) -> None:
    """A confirmed request arrived: its topic, urgency and a link, nothing more."""
    request = AssistanceRequest.objects.filter(pk=request_id).first()
    if request is None:
        return
    for person in User.objects.filter(is_active=True, is_staff=True):
        with translation.override(person.language):
            link = _site("assistance:request-detail", public_id=request.public_id)
        _send("request_arrived", {"request": request, "link": link}, person.language, person.email)


@task()
def notify_expert(request_id: int) -> None:
    """Tell the assigned expert: the topic and a link to the request's page."""
    request = (
        AssistanceRequest.objects.select_related("assigned_expert").filter(pk=request_id).first()
    )
    if request is None or request.assigned_expert is None or not request.assigned_expert.is_active:
        return
    expert = request.assigned_expert
    with translation.override(expert.language):
        link = _site("assistance:request-detail", public_id=request.public_id)
    _send("assigned", {"request": request, "link": link}, expert.language, expert.email)
