"""Registering for a session (one click when signed in, a form and an emailed link for
the public), confirming, cancelling, and "My trainings"."""

import uuid
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.accounts.models import User
from concord.core import permissions
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.ratelimits import rate_limited
from concord.core.submissions import create_once, earlier_submission_url
from concord.trainings import queries
from concord.trainings.forms.registration import PublicRegistrationForm
from concord.trainings.models import Registration, RegistrationStatus, TrainingSession
from concord.trainings.services import registration as registrations
from concord.trainings.services.registration import LinkExpiredError, Purpose
from concord.trainings.views.catalogue import SignInFirstError, session_page, visible_session


def _status_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.REGISTERED:
        return _("You are registered: a seat is yours.")
    if registration.status == RegistrationStatus.WAITLISTED:
        return _(
            "The session is full, so you are on the waitlist. If a seat opens up, it goes "
            "to the first person waiting, who is told by email."
        )
    return ""


@sensitive_post_parameters("name", "email", "affiliation")
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session = visible_session(request, pk)
    except SignInFirstError:
        return redirect_to_login(reverse("trainings:session-detail", args=[pk]))
    if permissions.is_active_user(request.user):
        return _register_person(request, session)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = PublicRegistrationForm(request.POST)
    sent_url = reverse("trainings:registration-sent", args=[session.pk])
    if not form.is_valid():
        return session_page(request, session, form)
    if form.is_spam:
        # The same answer as a real registration, and nothing made.
        return redirect(sent_url)
    values = form.cleaned_data
    if rate_limited(
        request,
        "trainings:register",
        values["email"],
        per_ip=settings.TRAININGS_RATE_PER_IP,
        per_address=settings.TRAININGS_RATE_PER_ADDRESS,
    ):
        form.add_error(
            None, _("Too many requests from here or for this address. Please try again later.")
        )
        return session_page(request, session, form)
    try:
        url = create_once(
            token=values["submission_token"],
            user=None,
            create=lambda: registrations.register_public(
                session=session,
                name=values["name"],
                email=values["email"],
                affiliation=values["affiliation"],
                sector=values["sector"],
                language=values["language"],
            ),
            result_url=lambda registration: sent_url,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return session_page(request, session, form)
    return redirect(url)


def _register_person(request: HttpRequest, session: TrainingSession) -> HttpResponse:
    user = cast(User, request.user)
    if not permissions.can_register_as_member(user, session):
        raise Http404
    try:
        registration = registrations.register_person(actor=user, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(session)
    messages.success(request, _status_message(registration))
    return redirect(session)


@require_safe
def registration_sent(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session = visible_session(request, pk)
    except SignInFirstError:
        return redirect_to_login(request.get_full_path())
    return render(request, "trainings/registration/sent.html", {"session": session})


def _expired(request: HttpRequest) -> HttpResponse:
    return render(request, "trainings/registration/link_expired.html", status=410)


@require_http_methods(["GET", "POST"])
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = registrations.registration_for_token(token, Purpose.CONFIRM)
    except LinkExpiredError:
        return _expired(request)
    if registration is None:
        raise Http404
    if request.method == "POST":
        try:
            registration = registrations.confirm_registration(registration=registration)
        except ValidationError as error:
            return render(
                request,
                "trainings/registration/confirm.html",
                {"registration": registration, "errors": error.messages},
                status=409,
            )
        return render(
            request,
            "trainings/registration/confirmed.html",
            {
                "registration": registration,
                "message": _status_message(registration),
                "cancel_token": registrations.make_token(registration, Purpose.CANCEL),
            },
        )
    return render(request, "trainings/registration/confirm.html", {"registration": registration})


@require_http_methods(["GET", "POST"])
def registration_cancel_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = registrations.registration_for_token(token, Purpose.CANCEL)
    except LinkExpiredError:
        return _expired(request)
    if registration is None:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            registration = registrations.cancel_registration(registration=registration, actor=None)
        except ValidationError as error:
            errors = error.messages
    return render(
        request,
        "trainings/registration/cancel.html",
        {"registration": registration, "errors": errors, "Status": RegistrationStatus},
    )


@login_required
@require_POST
def registration_cancel(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    registration = queries.registration_for_person(request.user, public_id)
    if registration is None:
        raise Http404
    try:
        registrations.cancel_registration(registration=registration, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    next_url = request.POST.get("next", "")
    if next_url == reverse("trainings:my-trainings"):
        return redirect(next_url)
    return redirect(registration.session)


@login_required
@require_safe
def my_trainings(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "trainings/registration/my_trainings.html",
        {
            "registrations": queries.registrations_of(request.user),
            "Status": RegistrationStatus,
            "now": timezone.now(),
        },
    )


urls: list[URLPattern] = [
    path("trainings/sessions/<int:pk>/register/", session_register, name="session-register"),
    path(
        "trainings/sessions/<int:pk>/registration-sent/",
        registration_sent,
        name="registration-sent",
    ),
    path(
        "trainings/registrations/confirm/<str:token>/",
        registration_confirm,
        name="registration-confirm",
    ),
    path(
        "trainings/registrations/cancel/<str:token>/",
        registration_cancel_link,
        name="registration-cancel-link",
    ),
    path(
        "trainings/registrations/<uuid:public_id>/cancel/",
        registration_cancel,
        name="registration-cancel",
    ),
    path("trainings/mine/", my_trainings, name="my-trainings"),
]
