import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.meetings.models import Rsvp

MONTH_VIEW = "month"
LIST_VIEW = "list"


class CalendarViewForm(forms.Form):
    """The calendar's query string: ``?month=YYYY-MM`` and ``?view=list``."""

    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)
    view = forms.ChoiceField(
        choices=[(MONTH_VIEW, _("Month")), (LIST_VIEW, _("List"))], required=False
    )

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        year, month = (int(part) for part in value.split("-"))
        if not (1 <= month <= 12 and 1900 <= year <= 2200):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return datetime.date(year, month, 1)


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you attend?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )


class FeedActionForm(forms.Form):
    CREATE = "create"
    REPLACE = "replace"
    REVOKE = "revoke"

    action = forms.ChoiceField(choices=[(CREATE, CREATE), (REPLACE, REPLACE), (REVOKE, REVOKE)])
