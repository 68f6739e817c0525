"""The date range every report page filters by, and the export's choices."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.reports.queries import Period, default_period
from concord.reports.tables import TABLE_SECTIONS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Long enough for a multi-year grant, short enough that nobody asks for a century by mistake.
MAX_YEARS = 10


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To (inclusive)"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        default = default_period()
        start, end = start or default.start, end or default.end
        if end < start:
            self.add_error("end", _("The end of the range comes before its start."))
        elif end - start > datetime.timedelta(days=366 * MAX_YEARS):
            self.add_error(
                "start", _("Choose a range of at most %(years)s years.") % {"years": MAX_YEARS}
            )
        return cleaned

    def period(self) -> Period:
        """The range asked for; the last 12 months when none is, or when it is not valid."""
        default = default_period()
        if not self.is_bound or not self.is_valid():
            return default
        return Period(
            self.cleaned_data.get("start") or default.start,
            self.cleaned_data.get("end") or default.end,
        )


class ExportForm(PeriodForm):
    table = forms.ChoiceField(choices=[(key, key) for key in TABLE_SECTIONS])
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")])


class GrantExportForm(PeriodForm):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("pdf", "PDF")])
