"""The coordinators' referral figures: counts only, never client information, and small
cells (under 5) suppressed in the CSV export."""

import csv
from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.audit.services import record_event
from concord.core import permissions
from concord.core.exports import neutralise
from concord.core.http import AuthenticatedRequest
from concord.referrals.forms.actions import FiguresFilterForm
from concord.referrals.models import DeclineReason, ReferralStatus
from concord.referrals.queries import SMALL_CELL, exportable_figures, referral_figures
from concord.referrals.views.lookup import refuse


def _labelled(counts: Mapping[str, Any], labels: Mapping[str, Any], empty: str) -> list[Any]:
    return [(str(labels.get(key, key)) if key else empty, value) for key, value in counts.items()]


def _tables(figures: Mapping[str, Any]) -> list[tuple[str, list[Any]]]:
    """Each count table as (title, [(label, count), ...]), labels in the user's language."""
    statuses = dict(ReferralStatus.choices)
    reasons = dict(DeclineReason.choices)
    return [
        (
            _("Referrals by service category"),
            _labelled(figures["by_category"], {}, _("No category")),
        ),
        (
            _("Referrals by receiving agency"),
            _labelled(figures["by_receiving_agency"], {}, _("Unknown")),
        ),
        (
            _("Referrals by sending agency"),
            _labelled(figures["by_sending_agency"], {}, _("Unknown")),
        ),
        (_("Referrals by status"), _labelled(figures["by_status"], statuses, _("Unknown"))),
        (
            _("Declines by reason"),
            _labelled(figures["declines_by_reason"], reasons, _("Unknown")),
        ),
    ]


def _figures(request: AuthenticatedRequest) -> tuple[FiguresFilterForm, dict[str, Any]]:
    if not permissions.can_see_referral_figures(request.user):
        refuse(request, 403)
    form = FiguresFilterForm(request.GET or None)
    sent_from, sent_before = form.bounds()
    return form, referral_figures(sent_from=sent_from, sent_before=sent_before)


@login_required
@require_safe
def figures(request: AuthenticatedRequest) -> HttpResponse:
    form, numbers = _figures(request)
    rate = numbers["closed_loop_rate"]
    return render(
        request,
        "referrals/figures/figures.html",
        {
            "form": form,
            "figures": numbers,
            "tables": _tables(numbers),
            "rate": None if rate is None else round(rate * 100),
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _csv_rows(numbers: Mapping[str, Any], form: FiguresFilterForm) -> Iterator[list[Any]]:
    suppressed = _("fewer than %(count)s") % {"count": SMALL_CELL}

    def cell(value: Any) -> Any:
        return suppressed if value is None else value

    start = form.cleaned_data.get("sent_from") if form.is_valid() else None
    end = form.cleaned_data.get("sent_to") if form.is_valid() else None
    yield [_("Table"), _("Row"), _("Value")]
    yield [_("Range"), _("Sent from"), start.isoformat() if start else ""]
    yield [_("Range"), _("Sent to (inclusive)"), end.isoformat() if end else ""]
    yield [_("Totals"), _("Referrals"), cell(numbers["total"])]
    yield [_("Totals"), _("Closed with a recorded outcome"), cell(numbers["closed_with_outcome"])]
    yield [_("Totals"), _("Overdue answers"), cell(numbers["overdue"])]
    yield [_("Totals"), _("Escalated"), cell(numbers["escalated"])]
    # A rate or a median over a suppressed total could point at a person too.
    shown = numbers["total"] is not None
    rate = numbers["closed_loop_rate"]
    median = numbers["median_hours_to_accept"]
    yield [
        _("Totals"),
        _("Closed-loop rate (%)"),
        round(rate * 100) if shown and rate is not None else "",
    ]
    yield [
        _("Totals"),
        _("Median hours to accept"),
        round(median, 1) if shown and median is not None else "",
    ]
    for title, rows in _tables(numbers):
        for label, value in rows:
            yield [title, label, cell(value)]


@login_required
@require_safe
def figures_export(request: AuthenticatedRequest) -> HttpResponse:
    form, numbers = _figures(request)
    exported = exportable_figures(numbers)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="referral-figures-{today}.csv"'
    writer = csv.writer(response)
    for row in _csv_rows(exported, form):
        writer.writerow([neutralise(value) for value in row])
    record_event(
        actor=request.user,
        action="concord.referral.figures_exported",
        data={"total": numbers["total"]},
    )
    return response


urls: list[URLPattern] = [
    path("figures/", figures, name="figures"),
    path("figures/export.csv", figures_export, name="figures-export"),
]
