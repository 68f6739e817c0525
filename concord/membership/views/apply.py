"""The public membership application: start, the steps, review, submit, confirm, status.

The applicant has no account. A signed link (emailed) opens their application and binds
it to the session; every step form also carries that link's token, so a POST after the
session expired still finds its application and nothing typed is lost.
"""

import datetime
import hashlib
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.coalition.queries import current_coalition
from concord.core.submissions import create_once, earlier_submission_url
from concord.membership.forms.apply import (
    HONEYPOT_FIELD,
    STEP_FORMS,
    LinkForm,
    StartForm,
    StepForm,
    ValuesStepForm,
    WithdrawForm,
)
from concord.membership.models import (
    COMMITTED_COALITION_MEETINGS,
    Application,
    ApplicationStatus,
    Step,
)
from concord.membership.services import applicant
from concord.membership.services.links import (
    LinkExpiredError,
    Purpose,
    application_for_token,
    holds_key,
    make_token,
)
from concord.membership.services.schedule import hear_by

SESSION_KEY = "concord_application"
ACCESS_FIELD = "access"
ACTION_FIELD = "action"
# Fields of a step's POST that are not the applicant's answers.
NOT_ANSWERS = {"csrfmiddlewaretoken", ACCESS_FIELD, ACTION_FIELD}
# What is kept of an answer that did not validate: well past every field's limit, so
# nothing a person types is cut, yet no POST can fill the database.
UNSAVED_ANSWER_LIMIT = 5000
STEPS: tuple[str, ...] = tuple(STEP_FORMS)
NEXT, BACK, LATER = "next", "back", "later"
HOUR, DAY = 60 * 60, 24 * 60 * 60


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


def _posted_application(request: HttpRequest) -> Application | None:
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


def _status_url() -> str:
    return reverse("membership:apply-status")


def _step_url(step: str) -> str:
    if step == Step.REVIEW:
        return reverse("membership:apply-review")
    return reverse("membership:apply-step", args=[step])


def _first_open_step(application: Application) -> str:
    missing = applicant.missing_steps(application)
    return missing[0] if missing else Step.REVIEW


def _no_application(request: HttpRequest) -> HttpResponse:
    return render(request, "membership/apply/no_application.html", {"link_form": LinkForm()})


# Rate limits, counted in the shared cache: per IP address and per email address.


def _over_limit(key: str, limit: int, window: int) -> bool:
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _rate_limited(request: HttpRequest, kind: str, email: str) -> bool:
    # The address is hashed: the cache holds no personal data.
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    ip = request.META.get("REMOTE_ADDR", "")
    over_ip = _over_limit(f"membership:{kind}:ip:{ip}", settings.MEMBERSHIP_RATE_PER_IP, HOUR)
    over_address = _over_limit(
        f"membership:{kind}:address:{address}", settings.MEMBERSHIP_RATE_PER_ADDRESS, DAY
    )
    return over_ip or over_address


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
            return redirect(_status_url())
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
        return redirect(_step_url(_first_open_step(application)))
    return redirect(_status_url())


# The steps.


def _step_form(step: str, application: Application, data: QueryDict | None = None) -> StepForm:
    form_class = STEP_FORMS[step]
    options: dict[str, Any] = {"application": application}
    if form_class is ValuesStepForm:
        coalition = current_coalition()
        options["values"] = coalition.value_list if coalition else []
    if data is None:
        return form_class(initial=form_class.initial_for(application), **options)
    return form_class(data, **options)


def _answers(request: HttpRequest, form: StepForm) -> dict[str, list[str]]:
    """What was typed on the step, as posted: only the form's own fields, each capped."""
    names = {form.add_prefix(name) for name in form.fields}
    return {
        key: [value[:UNSAVED_ANSWER_LIMIT] for value in values]
        for key, values in request.POST.lists()
        if key in names and key not in NOT_ANSWERS
    }


def _as_query_dict(answers: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in answers.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


def _destination(step: str, action: str) -> str:
    if action == LATER:
        return _status_url()
    position = STEPS.index(step)
    if action == BACK:
        return _step_url(STEPS[max(position - 1, 0)])
    return _step_url(STEPS[position + 1] if position + 1 < len(STEPS) else Step.REVIEW)


def _step_indicator(application: Application, current: str) -> list[dict[str, Any]]:
    done = set(application.completed_steps)
    return [
        {
            "label": Step(step).label,
            "current": step == current,
            "complete": step in done and step != current,
        }
        for step in (*STEPS, Step.REVIEW)
    ]


def _step_context(application: Application, step: str) -> dict[str, Any]:
    steps = [*STEPS, Step.REVIEW]
    return {
        "application": application,
        "step": step,
        "step_label": Step(step).label,
        "step_number": steps.index(step) + 1,
        "step_count": len(steps),
        "indicator": _step_indicator(application, step),
        "access_token": make_token(application, Purpose.ACCESS),
        "previous_step": STEPS[STEPS.index(step) - 1] if step in STEPS[1:] else None,
    }


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_status_url())


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_FORMS:
        raise Http404
    application = _posted_application(request)
    if application is None:
        return _no_application(request)
    if not application.is_editable:
        return redirect(_status_url())
    if request.method == "POST":
        form = _step_form(step, application, request.POST)
        action = request.POST.get(ACTION_FIELD, NEXT)
        action = action if action in (NEXT, BACK, LATER) else NEXT
        try:
            if form.is_valid():
                applicant.save_step(application=application, step=step, **form.step_values())
                if action == LATER:
                    messages.success(request, _("Your answers are saved."))
                return redirect(_destination(step, action))
            applicant.save_unsaved_answers(
                application=application, step=step, answers=_answers(request, form)
            )
        except ValidationError as error:
            return _refused(request, error)
        if action != NEXT:
            if action == LATER:
                messages.warning(
                    request,
                    _("What you typed is kept; some answers still need attention."),
                )
            return redirect(_destination(step, action))
    elif unsaved := application.unsaved_answers.get(step):
        form = _step_form(step, application, _as_query_dict(unsaved))
    else:
        form = _step_form(step, application)
    return render(
        request,
        f"membership/apply/step_{step}.html",
        {"form": form, **_step_context(application, step)},
    )


@require_safe
def apply_review(request: HttpRequest) -> HttpResponse:
    application = application_from_session(request)
    if application is None:
        return _no_application(request)
    if not application.is_editable:
        return redirect(_status_url())
    return render(
        request,
        "membership/apply/review.html",
        {
            **_step_context(application, Step.REVIEW),
            "missing": [Step(step).label for step in applicant.missing_steps(application)],
            "sections": _answer_sections(application),
            "statements": application.value_statements.all(),
            "committees": application.committees.order_by("name"),
        },
    )


def _answer_sections(application: Application) -> list[dict[str, Any]]:
    """The answers of each step, as label and value, for the review page."""

    def rows(*fields: str) -> list[tuple[str, Any]]:
        result = []
        for field in fields:
            model_field = cast(models.Field[Any, Any], Application._meta.get_field(field))
            display = getattr(application, f"get_{field}_display", None)
            value = display() if callable(display) else getattr(application, field)
            if isinstance(value, bool):
                value = _("Yes") if value else _("No")
            elif isinstance(value, datetime.date):
                value = formats.date_format(value, "DATE_FORMAT")
            result.append((str(model_field.verbose_name), value))
        return result

    area = _("The whole county") if application.whole_county else application.service_cities
    agency = rows("legal_name", "sector", "street_address", "city", "postal_code")
    agency += [(_("Service area"), area)]
    agency += rows("website", "phone", "description")
    return [
        {"step": Step.AGENCY, "label": Step.AGENCY.label, "rows": agency},
        {
            "step": Step.PEOPLE,
            "label": _("Primary representative"),
            "rows": rows(
                *(f"primary_{f}" for f in ("name", "title", "email", "phone", "language"))
            ),
        },
        {
            "step": Step.PEOPLE,
            "label": _("Alternate representative"),
            "rows": rows(
                *(f"alternate_{f}" for f in ("name", "title", "email", "phone", "language"))
            ),
        },
        {
            "step": Step.COMMITMENT,
            "label": Step.COMMITMENT.label,
            "rows": rows("agrees_to_attend", "agrees_to_committee", "hours_per_month"),
        },
        {
            "step": Step.AGREEMENT,
            "label": Step.AGREEMENT.label,
            "rows": rows(
                "agrees_to_confidentiality", "signature_name", "signature_title", "signature_date"
            ),
        },
    ]


@require_POST
def apply_submit(request: HttpRequest) -> HttpResponse:
    application = _posted_application(request)
    if application is None:
        return redirect(_status_url())
    try:
        application = applicant.submit_application(application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if error.code == "incomplete":
            return redirect(_step_url(_first_open_step(application)))
        return redirect(_status_url())
    if application.status == ApplicationStatus.UNCONFIRMED:
        messages.success(
            request,
            _(
                "Thank you. Check your email: confirm your address with the link we sent, "
                "and your application goes to review."
            ),
        )
    else:
        messages.success(request, _("Thank you. Your application is in review."))
    return redirect(_status_url())


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
        return redirect(_status_url())
    return render(request, "membership/apply/confirm.html", {"application": application})


@require_safe
def apply_status(request: HttpRequest) -> HttpResponse:
    application = application_from_session(request)
    if application is None:
        return _no_application(request)
    return render(
        request,
        "membership/apply/status.html",
        {
            "application": application,
            "hear_by": hear_by(application.meeting) if application.meeting else None,
            "history": application.status_changes.all(),
            "continue_url": _step_url(_first_open_step(application)),
            "access_token": make_token(application, Purpose.ACCESS),
            "withdraw_form": WithdrawForm(),
            "Status": ApplicationStatus,
        },
    )


@require_POST
def apply_withdraw(request: HttpRequest) -> HttpResponse:
    application = _posted_application(request)
    if application is None:
        return redirect(_status_url())
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the box to confirm that you want to withdraw."))
        return redirect(_status_url())
    try:
        applicant.withdraw_application(application=application)
    except ValidationError as error:
        return _refused(request, error)
    messages.success(request, _("Your application is withdrawn."))
    return redirect(_status_url())


urls: list[URLPattern] = [
    path("apply/", apply_start, name="apply-start"),
    path("apply/continue/", apply_link, name="apply-link"),
    path("apply/open/<str:token>/", apply_open, name="apply-open"),
    path("apply/step/<str:step>/", apply_step, name="apply-step"),
    path("apply/review/", apply_review, name="apply-review"),
    path("apply/submit/", apply_submit, name="apply-submit"),
    path("apply/confirm/<str:token>/", apply_confirm, name="apply-confirm"),
    path("apply/status/", apply_status, name="apply-status"),
    path("apply/withdraw/", apply_withdraw, name="apply-withdraw"),
]
