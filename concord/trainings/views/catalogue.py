"""The public catalogue: trainings with their upcoming sessions, a training's page and a
session's page (with the registration forms)."""

from zoneinfo import ZoneInfo

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from concord.core import permissions
from concord.trainings import queries
from concord.trainings.forms.catalogue import CatalogueFilterForm
from concord.trainings.forms.registration import HONEYPOT_FIELD, PublicRegistrationForm
from concord.trainings.models import Audience, RegistrationStatus, TrainingSession
from concord.trainings.services.registration import registration_closed_reason


@require_safe
def training_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET)
    form.is_valid()  # a bad value is left out of cleaned_data: no filter then
    trainings = queries.catalogue(
        request.user,
        audience=form.cleaned_data.get("audience", ""),
        language=form.cleaned_data.get("language", ""),
    )
    return render(
        request,
        "trainings/catalogue/training_list.html",
        {
            "form": form,
            "trainings": trainings,
            "can_manage": permissions.can_manage_trainings(request.user),
        },
    )


@require_safe
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = queries.training_for(request.user, pk)
    if training is None:
        raise Http404
    return render(
        request,
        "trainings/catalogue/training_detail.html",
        {
            "training": training,
            "objectives": [line for line in training.learning_objectives.splitlines() if line],
            "audiences": [
                Audience(value).label for value in training.audiences if value in Audience.values
            ],
            "can_manage": permissions.can_manage_trainings(request.user),
        },
    )


def visible_session(request: HttpRequest, pk: int) -> TrainingSession:
    """The session, or 404; anonymous visitors are asked to sign in instead, whether or
    not a members-only session exists, so the answer reveals nothing."""
    session = queries.session_for(request.user, pk)
    if session is None:
        if not request.user.is_authenticated:
            raise SignInFirstError
        raise Http404
    return session


class SignInFirstError(Exception):
    """Raised by ``visible_session`` for an anonymous visitor."""


def session_page(
    request: HttpRequest,
    session: TrainingSession,
    form: PublicRegistrationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    zone = ZoneInfo(session.time_zone)
    own = queries.own_registration(user, session)
    now = timezone.now()
    closed = registration_closed_reason(session, now)
    signed_in = permissions.is_active_user(user)
    context = {
        "session": session,
        "training": session.training,
        "starts": session.starts_at.astimezone(zone),
        "ends": session.ends_at.astimezone(zone),
        "deadline": session.registration_deadline.astimezone(zone),
        "closed": closed,
        "own": own,
        "can_cancel": own is not None and not session.is_cancelled and session.starts_at > now,
        "Status": RegistrationStatus,
        "online_url": session.online_url
        if session.online_url and permissions.can_see_training_online_link(user, session)
        else "",
        "can_register": not closed
        and own is None
        and permissions.can_register_as_member(user, session),
        "public_form": None,
        "can_run": permissions.can_run_training_session(user, session),
        "can_manage": permissions.can_manage_trainings(user),
        "honeypot": HONEYPOT_FIELD,
    }
    if not signed_in and not closed:
        context["public_form"] = form or PublicRegistrationForm(
            initial={"language": request.LANGUAGE_CODE}
        )
    return render(request, "trainings/catalogue/session_detail.html", context, status=status)


@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session = visible_session(request, pk)
    except SignInFirstError:
        return redirect_to_login(request.get_full_path())
    return session_page(request, session)


urls: list[URLPattern] = [
    path("trainings/", training_list, name="training-list"),
    path("trainings/<int:pk>/", training_detail, name="training-detail"),
    path("trainings/sessions/<int:pk>/", session_detail, name="session-detail"),
]
