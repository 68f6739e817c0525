"""Training figures for coordinators: sessions held, people trained by sector and by
training, evaluation averages, over a date range; and the same as CSV."""

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.audit.services import record_event
from concord.core import permissions
from concord.core.exports import neutralise
from concord.core.http import AuthenticatedRequest
from concord.trainings.forms.evaluations import EvaluationForm
from concord.trainings.forms.figures import FiguresRangeForm
from concord.trainings.queries_figures import RATINGS, default_range, training_figures


def _figures(request: AuthenticatedRequest) -> tuple[FiguresRangeForm, dict[str, Any]]:
    if not permissions.can_see_training_figures(request.user):
        raise PermissionDenied
    start, end = default_range()
    form = FiguresRangeForm(request.GET or None, initial={"start": start, "end": end})
    return form, training_figures(*form.range())


def _rating_labels() -> dict[str, str]:
    form = EvaluationForm()
    return {name: str(form.fields[name].label) for name in RATINGS}


@login_required
@require_safe
def figures(request: AuthenticatedRequest) -> HttpResponse:
    form, numbers = _figures(request)
    labels = _rating_labels()
    return render(
        request,
        "trainings/figures/figures.html",
        {
            "form": form,
            "figures": numbers,
            "ratings": [
                (labels[rating], numbers["evaluations"]["averages"][rating]) for rating in RATINGS
            ],
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _csv_rows(numbers: dict[str, Any]) -> Iterator[list[Any]]:
    yield [_("Table"), _("Row"), _("Sessions"), _("People trained"), _("Value")]
    yield [_("Range"), _("From"), "", "", numbers["start"].isoformat()]
    yield [_("Range"), _("To (inclusive)"), "", "", numbers["end"].isoformat()]
    yield [_("Totals"), _("Sessions held"), numbers["sessions_held"], "", ""]
    yield [_("Totals"), _("People trained"), "", numbers["people_trained"], ""]
    for row in numbers["by_sector"]:
        yield [_("People trained by sector"), row["label"], "", row["people"], ""]
    for row in numbers["by_training"]:
        yield [_("By training"), row["title"], row["sessions"], row["people"], ""]
    evaluations = numbers["evaluations"]
    yield [_("Evaluations"), _("Evaluations received"), "", "", evaluations["count"]]
    for rating, label in _rating_labels().items():
        average = evaluations["averages"][rating]
        yield [_("Evaluation averages"), label, "", "", "" if average is None else average]


@login_required
@require_safe
def figures_export(request: AuthenticatedRequest) -> HttpResponse:
    _form, numbers = _figures(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"training-figures-{numbers['start']:%Y-%m-%d}-{numbers['end']:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in _csv_rows(numbers):
        writer.writerow([neutralise(value) for value in row])
    record_event(
        actor=request.user,
        action="concord.training.figures_exported",
        data={"start": numbers["start"].isoformat(), "end": numbers["end"].isoformat()},
    )
    return response


urls: list[URLPattern] = [
    path("trainings/figures/", figures, name="figures"),
    path("trainings/figures.csv", figures_export, name="figures-export"),
]
