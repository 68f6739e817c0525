"""The coordinators' dashboard and its exports, the grant export, and the members' figures.

Counts only: no page here shows client information, and what leaves as a file (the grant
export, the referral tables) has every count from 1 to 4 suppressed.
"""

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.audit.services import record_event
from concord.core import permissions
from concord.core.exports import neutralise
from concord.core.http import AuthenticatedRequest
from concord.reports import annual, cache
from concord.reports.charts import Chart, chart_for
from concord.reports.forms import ExportForm, GrantExportForm, PeriodForm
from concord.reports.grant import grant_tables, member_tables, suppressed_label
from concord.reports.queries import Period
from concord.reports.tables import Table, dashboard, table_for_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _nonce(request: HttpRequest) -> str:
    return str(getattr(request, "csp_nonce", ""))


def _charted(tables: list[Table], nonce: str) -> list[tuple[Table, Chart | None]]:
    return [(table, chart_for(table, nonce=nonce)) for table in tables]


@login_required
@require_safe
def dashboard_page(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    period = form.period()
    range_query = _range_query(period)

    def build() -> cache.Kept:
        # Rendered with a stand-in for the nonce, so kept sections serve every response.
        sections = [
            (section, _charted(section.tables, cache.NONCE)) for section in dashboard(period)
        ]
        html = render_to_string(
            "reports/_sections.html", {"sections": sections, "range_query": range_query}
        )
        return html, timezone.now()

    html, computed_at = cache.kept_sections(period, get_language(), timezone.localdate(), build)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period": period,
            "sections_html": mark_safe(html.replace(cache.NONCE, _nonce(request))),  # noqa: S308 - rendered by our template, escaped there
            "computed_at": computed_at,
            "keeps_minutes": settings.REPORTS_CACHE_SECONDS // 60,
            "range_query": range_query,
        },
        status=400 if form.errors else 200,
    )


def _range_query(period: Period) -> str:
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


def _cell(value: Any) -> Any:
    return suppressed_label() if value is None else value


def _csv(name: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow([neutralise(value) for value in header])
    for row in rows:
        writer.writerow([neutralise(_cell(value)) for value in row])
    return response


def _xlsx(name: str, title: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31].translate(str.maketrans("[]:*?/\\", "       ")))
    sheet.append([neutralise(value) for value in header])
    for row in rows:
        # Numbers stay numbers; any text is neutralised like the CSV's.
        sheet.append(
            [
                value
                if isinstance(value, int | float) and not isinstance(value, bool)
                else neutralise(_cell(value))
                for value in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_safe
def export(request: AuthenticatedRequest) -> HttpResponse:
    """One dashboard table as CSV or XLSX: ``table`` is one of the fixed keys."""
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a table, a format and a valid range."))
    period = form.period()
    key, kind = form.cleaned_data["table"], form.cleaned_data["format"]
    table = table_for_export(key, period)
    name = f"{key}-{period.start.isoformat()}-{period.end.isoformat()}"
    record_event(
        actor=request.user,
        action="concord.reports.table_exported",
        data={"table": key, "format": kind, "rows": len(table.rows)},
    )
    if kind == "xlsx":
        return _xlsx(name, table.title, table.columns, table.rows)
    return _csv(name, table.columns, table.rows)


@login_required
@require_safe
def grant_page(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    period = form.period()
    return render(
        request,
        "reports/grant.html",
        {
            "form": form,
            "period": period,
            "tables": _charted(grant_tables(period), _nonce(request)),
            "range_query": _range_query(period),
            "suppressed": suppressed_label(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def grant_export(request: AuthenticatedRequest) -> HttpResponse:
    """The grant figures as one CSV (table, row, value) or as a PDF."""
    if not permissions.can_see_reports(request.user):
        raise PermissionDenied
    form = GrantExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a format and a valid range."))
    period = form.period()
    kind = form.cleaned_data["format"]
    tables = grant_tables(period)
    name = f"grant-report-{period.start.isoformat()}-{period.end.isoformat()}"
    record_event(actor=request.user, action="concord.reports.grant_exported", data={"format": kind})
    if kind == "pdf":
        response = HttpResponse(annual.grant_pdf(period, tables), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    rows = [
        [table.title, row[0], column, value]
        for table in tables
        for row in table.rows
        for column, value in zip(table.columns[1:], row[1:], strict=True)
    ]
    header = [_("Table"), _("Row"), _("Column"), _("Value")]
    range_rows = [
        [_("Range"), _("From"), "", period.start.isoformat()],
        [_("Range"), _("To (inclusive)"), "", period.end.isoformat()],
    ]
    return _csv(name, header, [*range_rows, *rows])


@login_required
@require_safe
def members_page(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_member_figures(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    period = form.period()
    return render(
        request,
        "reports/members.html",
        {
            "form": form,
            "period": period,
            "tables": _charted(member_tables(period), _nonce(request)),
            "suppressed": suppressed_label(),
        },
        status=400 if form.errors else 200,
    )


urls: list[URLPattern] = [
    path("reports/", dashboard_page, name="dashboard"),
    path("reports/export/", export, name="export"),
    path("reports/grant/", grant_page, name="grant"),
    path("reports/grant/export/", grant_export, name="grant-export"),
    path("reports/members/", members_page, name="members"),
]
