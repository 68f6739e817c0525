import datetime
import zoneinfo
from typing import Any

from dateutil.rrule import rrulestr
from django import forms
from django.utils.translation import gettext as _

from concord.coalition.models import Coalition


class CoalitionForm(forms.ModelForm):
    class Meta:
        model = Coalition
        fields = [
            "name",
            "name_es",
            "short_name",
            "short_name_es",
            "mission",
            "mission_es",
            "goals",
            "goals_es",
            "values",
            "values_es",
            "meeting_summary",
            "meeting_summary_es",
            "membership_summary",
            "membership_summary_es",
            "meeting_rule",
            "meeting_starts",
            "meeting_ends",
            "hotline_name",
            "hotline_phone",
            "hotline_text",
            "emergency_number",
            "contact_email",
            "time_zone",
            "quick_exit_url",
            "decision_days_before",
            "membership_term_months",
            "application_retention_months",
        ]

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"]
        if name not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("Unknown time zone. Use a name such as America/Los_Angeles.")
            )
        return name

    def clean_meeting_rule(self) -> str:
        rule: str = self.cleaned_data["meeting_rule"].strip().removeprefix("RRULE:")
        if not rule:
            return rule
        start = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 (rules run on local wall time)
        try:
            first = rrulestr(rule, dtstart=start).after(start, inc=True)
        except (ValueError, TypeError):
            raise forms.ValidationError(
                _("This is not a recurrence rule. Example: FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=4TU")
            ) from None
        if first is None:
            raise forms.ValidationError(_("This rule never yields a meeting date."))
        return rule

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("meeting_starts"), cleaned.get("meeting_ends")
        if starts and ends and ends <= starts:
            self.add_error("meeting_ends", _("Meetings must end after they start."))
        return cleaned
