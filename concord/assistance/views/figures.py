"""The coordinators' technical assistance figures and their CSV export: counts only."""

import csv
from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.assistance.forms import FiguresFilterForm
from concord.assistance.models import RequestStatus, Topic
from concord.assistance.queries import assistance_figures
from concord.audit.services import record_event
from concord.core import permissions
from concord.core.exports import neutralise
from concord.core.http import AuthenticatedRequest


def _figures(request: AuthenticatedRequest) -> tuple[FiguresFilterForm, dict[str, Any]]:
    if not permissions.can_see_assistance_figures(request.user):
        raise PermissionDenied
    form = FiguresFilterForm(request.GET or None)
    start, end = form.bounds()
    return form, assistance_figures(start, end)


def _tables(numbers: Mapping[str, Any]) -> list[tuple[str, list[tuple[str, int]]]]:
    statuses = dict(RequestStatus.choices)
    topics = dict(Topic.choices)
    return [
        (
            _("Requests by status"),
            [(str(statuses.get(key, key)), value) for key, value in numbers["by_status"].items()],
        ),
        (
            _("Requests by topic"),
            [(str(topics.get(key, key)), value) for key, value in numbers["by_topic"].items()],
        ),
    ]


@login_required
@require_safe
def figures(request: AuthenticatedRequest) -> HttpResponse:
    form, numbers = _figures(request)
    start, end = form.days()
    return render(
        request,
        "assistance/figures.html",
        {
            "form": form,
            "figures": numbers,
            "tables": _tables(numbers),
            "start": start,
            "end": end,
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _csv_rows(numbers: Mapping[str, Any], form: FiguresFilterForm) -> Iterator[list[Any]]:
    start, end = form.days()
    median = numbers["median_days_to_complete"]
    yield [_("Table"), _("Row"), _("Value")]
    yield [_("Range"), _("From"), start.isoformat()]
    yield [_("Range"), _("To (inclusive)"), end.isoformat()]
    yield [_("Totals"), _("Requests received"), numbers["total"]]
    yield [_("Totals"), _("Hours given"), numbers["hours"]]
    yield [_("Totals"), _("Requests completed"), numbers["completed"]]
    yield [_("Totals"), _("Median days to complete"), "" if median is None else round(median, 1)]
    for title, rows in _tables(numbers):
        for label, value in rows:
            yield [title, label, value]


@login_required
@require_safe
def figures_export(request: AuthenticatedRequest) -> HttpResponse:
    form, numbers = _figures(request)
    start, end = form.days()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="technical-assistance-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    for row in _csv_rows(numbers, form):
        writer.writerow([neutralise(value) for value in row])
    record_event(
        actor=request.user,
        action="concord.assistance.figures.exported",
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    return response


urls: list[URLPattern] = [
    path("technical-assistance/figures/", figures, name="figures"),
    path("technical-assistance/figures/export.csv", figures_export, name="figures-export"),
]
