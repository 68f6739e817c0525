import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.trainings.queries_figures import default_range

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FiguresRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To (inclusive)"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the range comes before its start."))
        return cleaned

    def range(self) -> tuple[datetime.date, datetime.date]:
        """The chosen days, or the last 12 months where a bound is missing or wrong."""
        default_start, default_end = default_range()
        if not self.is_valid():
            return default_start, default_end
        return (
            self.cleaned_data.get("start") or default_start,
            self.cleaned_data.get("end") or default_end,
        )
