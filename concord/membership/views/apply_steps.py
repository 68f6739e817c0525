"""The steps of the public application, its review page and the submit."""

import datetime
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.coalition.queries import current_coalition
from concord.membership.forms.apply import (
    STEP_FORMS,
    StepForm,
    ValuesStepForm,
)
from concord.membership.models import (
    Application,
    ApplicationStatus,
    Step,
)
from concord.membership.services import applicant
from concord.membership.services.links import (
    Purpose,
    make_token,
)
from concord.membership.views.applicant_access import (
    ACCESS_FIELD,
    application_from_session,
    first_open_step,
    no_application,
    posted_application,
    refused,
    status_url,
    step_url,
)

ACTION_FIELD = "action"
# Fields of a step's POST that are not the applicant's answers.
NOT_ANSWERS = {"csrfmiddlewaretoken", ACCESS_FIELD, ACTION_FIELD}
# What is kept of an answer that did not validate: well past every field's limit, so
# nothing a person types is cut, yet no POST can fill the database.
UNSAVED_ANSWER_LIMIT = 5000
STEPS: tuple[str, ...] = tuple(STEP_FORMS)
NEXT, BACK, LATER = "next", "back", "later"


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
        return status_url()
    position = STEPS.index(step)
    if action == BACK:
        return step_url(STEPS[max(position - 1, 0)])
    return step_url(STEPS[position + 1] if position + 1 < len(STEPS) else Step.REVIEW)


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


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_FORMS:
        raise Http404
    application = posted_application(request)
    if application is None:
        return no_application(request)
    if not application.is_editable:
        return redirect(status_url())
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
            return refused(request, error)
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
        return no_application(request)
    if not application.is_editable:
        return redirect(status_url())
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
    application = posted_application(request)
    if application is None:
        return redirect(status_url())
    try:
        application = applicant.submit_application(application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if error.code == "incomplete":
            return redirect(step_url(first_open_step(application)))
        return redirect(status_url())
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
    return redirect(status_url())


urls: list[URLPattern] = [
    path("apply/step/<str:step>/", apply_step, name="apply-step"),
    path("apply/review/", apply_review, name="apply-review"),
    path("apply/submit/", apply_submit, name="apply-submit"),
]
