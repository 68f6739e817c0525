"""Forms for meeting series, moving and adding meetings, and reminder settings."""

import datetime
import zoneinfo
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.core.forms import OneTimeTokenMixin
from concord.core.permissions import is_coordinator
from concord.meetings.models import Committee, Meeting, MeetingSeries
from concord.meetings.recurrence import RuleError, first_rule_date, local_moment
from concord.meetings.services.reminders import (
    DEFAULT_REMINDER_DAYS,
    MAX_REMINDER_DAYS,
    parse_reminder_days,
)

RULE_HELP = _(
    "An iCalendar recurrence rule (RRULE). Examples: FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=4TU "
    "(the fourth Tuesday of January, April, July and October); FREQ=MONTHLY;BYDAY=2WE (the "
    "second Wednesday of every month); FREQ=WEEKLY;INTERVAL=2;BYDAY=TH (every other "
    "Thursday). Leave it empty for a group that meets as needed: add its meetings one by one."
)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _time_zone(value: str) -> str:
    value = value.strip()
    if value not in zoneinfo.available_timezones():
        raise forms.ValidationError(
            _("Unknown time zone. Use a name such as America/Los_Angeles."), code="time_zone"
        )
    return value


def _check_end(form: forms.BaseForm, start: Any, end: Any) -> None:
    if start is not None and end is not None and end <= start:
        form.add_error("end_time", _("The end time must be after the start time."))


class SeriesForm(forms.ModelForm):
    """A meeting series. The committee choices are the ones the person may schedule for;
    only coordinators may leave it empty (a coalition series)."""

    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "title_es",
            "committee",
            "rule",
            "starts_on",
            "start_time",
            "end_time",
            "time_zone",
            "location",
            "online_url",
            "reminder_days",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
        }
        help_texts = {
            "rule": RULE_HELP,
            "time_zone": _("For example America/Los_Angeles."),
            "reminder_days": _(
                "Days before each meeting that invitees are reminded, as whole numbers from "
                "0 to 60 separated by commas, for example 7,1. Empty means 7,1."
            ),
        }

    def __init__(self, *args: Any, user: User, committees: QuerySet[Committee], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["committee"])
        field.queryset = committees
        field.required = not is_coordinator(user)
        field.empty_label = _("The coalition") if is_coordinator(user) else None
        field.help_text = _("Leave it as the coalition for a meeting of the whole coalition.")
        self.fields["reminder_days"].required = False

    def clean_rule(self) -> str:
        rule = str(self.cleaned_data.get("rule") or "").strip().removeprefix("RRULE:")
        return rule.upper()

    def clean_time_zone(self) -> str:
        return _time_zone(self.cleaned_data["time_zone"])

    def clean_reminder_days(self) -> str:
        try:
            days = parse_reminder_days(self.cleaned_data.get("reminder_days") or "")
        except ValueError:
            raise forms.ValidationError(
                _("Write whole numbers from 0 to %(max)s separated by commas, for example 7,1."),
                code="reminder_days",
                params={"max": MAX_REMINDER_DAYS},
            ) from None
        return ",".join(str(day) for day in days or DEFAULT_REMINDER_DAYS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_end(self, cleaned.get("start_time"), cleaned.get("end_time"))
        rule, first = cleaned.get("rule"), cleaned.get("starts_on")
        if rule and first is not None and "rule" not in self.errors:
            try:
                date = first_rule_date(rule, first=first)
            except RuleError:
                self.add_error(
                    "rule", _("This is not a recurrence rule. See the examples below the field.")
                )
            else:
                if date is None:
                    self.add_error("rule", _("This rule gives no date on or after the first date."))
        return cleaned


def _meeting_moment(
    day: datetime.date | None, time: datetime.time | None, zone: str
) -> datetime.datetime | None:
    if day is None or time is None:
        return None
    return local_moment(day, time, zone)


def _check_meeting_times(form: forms.Form, cleaned: dict[str, Any], zone: str) -> None:
    """Times entered in ``zone``: the end after the start, the start not in the past."""
    day = cleaned.get("date")
    starts_at = _meeting_moment(day, cleaned.get("start_time"), zone)
    ends_at = _meeting_moment(day, cleaned.get("end_time"), zone)
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        form.add_error("end_time", _("The end time must be after the start time."))
    elif starts_at < timezone.now():
        form.add_error("date", _("A meeting cannot be moved or added into the past."))
    else:
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at


class MeetingMoveForm(forms.Form):
    """A new date, time or place for one meeting, in the meeting's own time zone."""

    date = forms.DateField(label=_("date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("starts at"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("ends at"), widget=TIME_INPUT)
    location = forms.CharField(label=_("address"), max_length=300, required=False)
    online_url = forms.URLField(label=_("online meeting link"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        zone = zoneinfo.ZoneInfo(meeting.time_zone)
        starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
        kwargs.setdefault(
            "initial",
            {
                "date": starts.date(),
                "start_time": starts.time(),
                "end_time": ends.time(),
                "location": meeting.location,
                "online_url": meeting.online_url,
            },
        )
        super().__init__(*args, **kwargs)
        self.time_zone = meeting.time_zone
        self.fields["start_time"].help_text = _("In the time zone %(zone)s.") % {
            "zone": meeting.time_zone
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_meeting_times(self, cleaned, self.time_zone)
        return cleaned


class MeetingAddForm(OneTimeTokenMixin, forms.Form):
    """An extra meeting of a series, or a one-off meeting of a committee or the coalition."""

    series = forms.ModelChoiceField(
        label=_("series"),
        queryset=MeetingSeries.objects.none(),
        required=False,
        help_text=_("Leave it empty for a meeting outside any series."),
    )
    committee = forms.ModelChoiceField(
        label=_("committee"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("Taken from the series when one is chosen."),
    )
    title = forms.CharField(label=_("title"), max_length=200)
    title_es = forms.CharField(label=_("title (Spanish)"), max_length=200, required=False)
    date = forms.DateField(label=_("date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("starts at"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("ends at"), widget=TIME_INPUT)
    time_zone = forms.CharField(
        label=_("time zone"), max_length=64, initial=settings.TIME_ZONE, required=False
    )
    location = forms.CharField(label=_("address"), max_length=300, required=False)
    online_url = forms.URLField(label=_("online meeting link"), required=False)

    def __init__(
        self,
        *args: Any,
        user: User,
        series: QuerySet[MeetingSeries],
        committees: QuerySet[Committee],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        series_field = cast(forms.ModelChoiceField, self.fields["series"])
        committee_field = cast(forms.ModelChoiceField, self.fields["committee"])
        series_field.queryset = series
        committee_field.queryset = committees
        if is_coordinator(user):
            committee_field.empty_label = _("The coalition")

    def clean_time_zone(self) -> str:
        return _time_zone(self.cleaned_data.get("time_zone") or settings.TIME_ZONE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        series = cleaned.get("series")
        if series is not None:
            cleaned["committee"] = series.committee
            if not self.data.get("time_zone"):
                cleaned["time_zone"] = series.time_zone
        elif cleaned.get("committee") is None and not is_coordinator(self.user):
            self.add_error("committee", _("Choose the committee the meeting belongs to."))
        zone = cleaned.get("time_zone")
        if zone:
            _check_meeting_times(self, cleaned, zone)
        return cleaned


class ReminderSettingsForm(forms.Form):
    receives_reminders = forms.BooleanField(
        label=_("Email me meeting reminders"),
        required=False,
        help_text=_(
            "Reminders 7 days and 1 day before meetings of the coalition and of your "
            "committees (each series may choose other days), with the agenda once published."
        ),
    )
