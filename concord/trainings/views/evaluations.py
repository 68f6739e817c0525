"""Evaluations: the attendee's form, opened by the signed link in their email (no account
needed), and the results for the session's trainers and coordinators, without names."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.trainings.forms.evaluations import EvaluationForm
from concord.trainings.models import Training
from concord.trainings.queries_figures import RATINGS, SCALE, evaluation_results
from concord.trainings.services import evaluations as services
from concord.trainings.views.attendance import run_session


@sensitive_post_parameters("comments")
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = services.registration_for_token(token)
    except services.LinkExpiredError:
        return render(request, "trainings/evaluations/evaluation_expired.html", status=410)
    if registration is None:
        raise Http404
    context = {"training": registration.session.training, "session": registration.session}
    if services.has_evaluated(registration):
        # A second submit, or the link opened again: the first answers stand.
        return render(request, "trainings/evaluations/evaluation_thanks.html", context)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.submit_evaluation(
            registration=registration,
            ratings=form.ratings(),
            comments=form.cleaned_data["comments"],
        )
        return redirect(request.path)
    return render(request, "trainings/evaluations/evaluation_form.html", {**context, "form": form})


def _labels() -> dict[str, str]:
    form = EvaluationForm()
    return {name: str(form.fields[name].label) for name in RATINGS}


def _rows(results: dict) -> list[dict]:
    """One row per rating, for the template: label, average and the count of each value."""
    labels = _labels()
    return [
        {
            "label": labels[rating],
            "average": results["averages"][rating],
            "counts": [results["distribution"][rating][value] for value in SCALE],
        }
        for rating in RATINGS
    ]


@login_required
@require_safe
def session_evaluations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = run_session(request, pk)
    results = evaluation_results(session_id=session.pk)
    return render(
        request,
        "trainings/evaluations/evaluation_results.html",
        {
            "training": session.training,
            "session": session,
            "results": results,
            "rows": _rows(results),
            "scale": list(SCALE),
        },
    )


@login_required
@require_safe
def training_evaluations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training, pk=pk)
    if not permissions.can_run_training(request.user, training):
        raise PermissionDenied
    results = evaluation_results(training_id=training.pk)
    return render(
        request,
        "trainings/evaluations/evaluation_results.html",
        {
            "training": training,
            "session": None,
            "results": results,
            "rows": _rows(results),
            "scale": list(SCALE),
        },
    )


urls: list[URLPattern] = [
    path("trainings/evaluations/<str:token>/", evaluation_form, name="evaluation-form"),
    path(
        "trainings/sessions/<int:pk>/evaluations/",
        session_evaluations,
        name="session-evaluations",
    ),
    path("trainings/<int:pk>/evaluations/", training_evaluations, name="training-evaluations"),
]
