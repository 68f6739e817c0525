"""The public membership application: start, the steps, review, submit, confirm, status.

The applicant has no account. A signed link (emailed) opens their application and binds
it to the session; every step form also carries that link's token, so a POST after the
session expired still finds its application and nothing typed is lost.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.coalition.queries import current_coalition
from concord.core.ratelimits import rate_limited
from concord.core.submissions import create_once, earlier_submission_url
from concord.membership.forms.apply import (
    HONEYPOT_FIELD,
    LinkForm,
    StartForm,
    WithdrawForm,
)
from concord.membership.models import (
    COMMITTED_COALITION_MEETINGS,
    Application,
    ApplicationStatus,
)
from concord.membership.services import applicant
from concord.membership.services.links import (
    LinkExpiredError,
    Purpose,
    application_for_token,
    make_token,
)
from concord.membership.services.schedule import hear_by
from concord.membership.views.applicant_access import (
    application_from_session,
    bind_application,
    first_open_step,
    no_application,
    posted_application,
    refused,
    status_url,
    step_url,
)


def _rate_limited(request: HttpRequest, kind: str, email: str) -> bool:
    return rate_limited(
        request,
        f"membership:{kind}",
        email,
        per_ip=settings.MEMBERSHIP_RATE_PER_IP,
        per_address=settings.MEMBERSHIP_RATE_PER_ADDRESS,
    )


def _started_message() -> str:
    return _(
        "Your application is started. We have emailed you a link to come back to it; "
        "it works for 30 days."
    )


def _rate_limit_error() -> str:
    return _("Too many requests from here or for this address. Please try again later.")


# Starting, and getting the link again.


@sensitive_post_parameters("email")
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest) -> HttpResponse:
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # The same message as a real start, and nothing made.
            messages.success(request, _started_message())
            return redirect(status_url())
        email = form.cleaned_data["email"]
        if _rate_limited(request, "start", email):
            form.add_error(None, _rate_limit_error())
        else:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=None,
                create=lambda: applicant.start_application(
                    email=email, language=request.LANGUAGE_CODE
                ),
                result_url=lambda application: reverse(
                    "membership:apply-open", args=[make_token(application, Purpose.ACCESS)]
                ),
            )
            messages.success(request, _started_message())
            return redirect(url)
    coalition = current_coalition()
    return render(
        request,
        "membership/apply/start.html",
        {
            "form": form,
            "honeypot": HONEYPOT_FIELD,
            "values": coalition.value_list if coalition else [],
            "committed_meetings": COMMITTED_COALITION_MEETINGS,
        },
    )


@sensitive_post_parameters("email")
@require_http_methods(["GET", "POST"])
def apply_link(request: HttpRequest) -> HttpResponse:
    from concord.membership.tasks import send_application_link

    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if _rate_limited(request, "link", email):
            form.add_error(None, _rate_limit_error())
        else:
            open_ones = Application.objects.open().filter(contact_email__iexact=email)
            for application_id in open_ones.values_list("pk", flat=True):
                send_application_link.enqueue(application_id)
            # The same answer whether or not an application uses the address.
            messages.success(
                request, _("If an application uses this address, we have emailed its link.")
            )
            return redirect("membership:apply-link")
    return render(request, "membership/apply/link.html", {"form": form})


def _expired(request: HttpRequest) -> HttpResponse:
    return render(
        request, "membership/apply/link_expired.html", {"link_form": LinkForm()}, status=410
    )


@require_safe
def apply_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        application = application_for_token(token, Purpose.ACCESS)
    except LinkExpiredError:
        return _expired(request)
    if application is None:
        raise Http404
    bind_application(request, application)
    if application.is_editable:
        return redirect(step_url(first_open_step(application)))
    return redirect(status_url())


@require_http_methods(["GET", "POST"])
def apply_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        application = application_for_token(token, Purpose.CONFIRM)
    except LinkExpiredError:
        return _expired(request)
    if application is None:
        raise Http404
    if request.method == "POST":
        application = applicant.confirm_email(application=application)
        bind_application(request, application)
        if application.status == ApplicationStatus.IN_REVIEW:
            messages.success(request, _("Thank you: your email address is confirmed."))
        return redirect(status_url())
    return render(request, "membership/apply/confirm.html", {"application": application})


@require_safe
def apply_status(request: HttpRequest) -> HttpResponse:
    application = application_from_session(request)
    if application is None:
        return no_application(request)
    return render(
        request,
        "membership/apply/status.html",
        {
            "application": application,
            "hear_by": hear_by(application.meeting) if application.meeting else None,
            "history": application.status_changes.all(),
            "continue_url": step_url(first_open_step(application)),
            "access_token": make_token(application, Purpose.ACCESS),
            "withdraw_form": WithdrawForm(),
            "Status": ApplicationStatus,
        },
    )


@require_POST
def apply_withdraw(request: HttpRequest) -> HttpResponse:
    application = posted_application(request)
    if application is None:
        return redirect(status_url())
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the box to confirm that you want to withdraw."))
        return redirect(status_url())
    try:
        applicant.withdraw_application(application=application)
    except ValidationError as error:
        return refused(request, error)
    messages.success(request, _("Your application is withdrawn."))
    return redirect(status_url())


urls: list[URLPattern] = [
    path("apply/", apply_start, name="apply-start"),
    path("apply/continue/", apply_link, name="apply-link"),
    path("apply/open/<str:token>/", apply_open, name="apply-open"),
    path("apply/confirm/<str:token>/", apply_confirm, name="apply-confirm"),
    path("apply/status/", apply_status, name="apply-status"),
    path("apply/withdraw/", apply_withdraw, name="apply-withdraw"),
]
