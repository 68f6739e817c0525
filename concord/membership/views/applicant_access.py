"""The application an applicant's browser holds: bound by a signed link, carried by
every form, so a POST after the session expired still finds it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from concord.membership.forms.apply import (
    LinkForm,
)
from concord.membership.models import (
    Application,
    Step,
)
from concord.membership.services import applicant
from concord.membership.services.links import (
    LinkExpiredError,
    Purpose,
    application_for_token,
    holds_key,
)

SESSION_KEY = "concord_application"
ACCESS_FIELD = "access"


# The application bound to this browser.


def bind_application(request: HttpRequest, application: Application) -> None:
    request.session[SESSION_KEY] = [application.pk, application.access_key]


def application_from_session(request: HttpRequest) -> Application | None:
    """The application this session opened through a link; None once its key changed."""
    stored = request.session.get(SESSION_KEY)
    if not (isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], int)):
        return None
    application = Application.objects.filter(pk=stored[0]).first()
    if application is None or not holds_key(application, stored[1]):
        request.session.pop(SESSION_KEY, None)
        return None
    return application


def posted_application(request: HttpRequest) -> Application | None:
    """The application a form was rendered for (its hidden token), else the session's.

    The token wins: a page left open in another tab still saves to its own application,
    and an expired session loses nothing."""
    if request.method == "POST":
        try:
            application = application_for_token(request.POST.get(ACCESS_FIELD, ""), Purpose.ACCESS)
        except LinkExpiredError:
            application = None
        if application is not None:
            bind_application(request, application)
            return application
    return application_from_session(request)


def status_url() -> str:
    return reverse("membership:apply-status")


def step_url(step: str) -> str:
    if step == Step.REVIEW:
        return reverse("membership:apply-review")
    return reverse("membership:apply-step", args=[step])


def first_open_step(application: Application) -> str:
    missing = applicant.missing_steps(application)
    return missing[0] if missing else Step.REVIEW


def no_application(request: HttpRequest) -> HttpResponse:
    return render(request, "membership/apply/no_application.html", {"link_form": LinkForm()})


def refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(status_url())
