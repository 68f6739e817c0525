"""Forms of the catalogue: the public filter, and coordinators' training and session forms."""

import datetime
import zoneinfo
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.meetings.recurrence import local_moment
from concord.trainings.models import (
    SUMMARY_LIMIT,
    Audience,
    Delivery,
    Training,
    TrainingLanguage,
    TrainingSession,
    Visibility,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the query string; a bad value is ignored."""

    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Any audience")), *Audience.choices],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *TrainingLanguage.choices],
    )


class TrainingForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("audiences"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("trainers (people)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trainer_agencies = forms.ModelMultipleChoiceField(
        label=_("training agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Training
        fields = [
            "title",
            "title_es",
            "summary",
            "summary_es",
            "audiences",
            "learning_objectives",
            "length_minutes",
            "language",
            "is_active",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "maxlength": SUMMARY_LIMIT}),
            "summary_es": forms.Textarea(attrs={"rows": 4, "maxlength": SUMMARY_LIMIT}),
            "learning_objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainers = cast(forms.ModelMultipleChoiceField, self.fields["trainers"])
        trainers.queryset = User.objects.filter(is_active=True).order_by("full_name", "pk")
        agencies = cast(forms.ModelMultipleChoiceField, self.fields["trainer_agencies"])
        agencies.queryset = Agency.objects.order_by("name", "pk")
        if self.instance.pk:
            self.initial.setdefault("trainers", list(self.instance.trainers.all()))
            self.initial.setdefault("trainer_agencies", list(self.instance.trainer_agencies.all()))


def _time_zone(value: str) -> str:
    value = value.strip()
    if value not in zoneinfo.available_timezones():
        raise forms.ValidationError(_("Unknown time zone. Use a name such as America/Los_Angeles."))
    return value


class SessionForm(forms.Form):
    """A session's date and times in its own time zone, where, how many, and for whom."""

    date = forms.DateField(label=_("date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("starts at"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("ends at"), widget=TIME_INPUT)
    time_zone = forms.CharField(
        label=_("time zone"),
        max_length=64,
        initial=settings.TIME_ZONE,
        help_text=_("For example America/Los_Angeles."),
    )
    delivery = forms.ChoiceField(label=_("delivery"), choices=Delivery.choices)
    location = forms.CharField(label=_("address"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        help_text=_("Shown only to people with a seat, and sent in their emails."),
    )
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, max_value=10_000)
    deadline_date = forms.DateField(
        label=_("registration closes on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Leave empty to close registration when the session starts."),
    )
    deadline_time = forms.TimeField(label=_("at"), widget=TIME_INPUT, required=False)
    visibility = forms.ChoiceField(label=_("visibility"), choices=Visibility.choices)

    def __init__(self, *args: Any, session: TrainingSession | None = None, **kwargs: Any):
        if session is not None:
            zone = zoneinfo.ZoneInfo(session.time_zone)
            starts = session.starts_at.astimezone(zone)
            ends = session.ends_at.astimezone(zone)
            deadline = session.registration_deadline.astimezone(zone)
            kwargs.setdefault(
                "initial",
                {
                    "date": starts.date(),
                    "start_time": starts.time(),
                    "end_time": ends.time(),
                    "time_zone": session.time_zone,
                    "delivery": session.delivery,
                    "location": session.location,
                    "online_url": session.online_url,
                    "capacity": session.capacity,
                    "deadline_date": deadline.date(),
                    "deadline_time": deadline.time(),
                    "visibility": session.visibility,
                },
            )
        super().__init__(*args, **kwargs)

    def clean_time_zone(self) -> str:
        return _time_zone(self.cleaned_data["time_zone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone, day = cleaned.get("time_zone"), cleaned.get("date")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if not (zone and day and start and end):
            return cleaned
        starts_at, ends_at = local_moment(day, start, zone), local_moment(day, end, zone)
        if ends_at <= starts_at:
            self.add_error("end_time", _("The end time must be after the start time."))
            return cleaned
        deadline = starts_at
        if cleaned.get("deadline_date"):
            deadline = local_moment(
                cleaned["deadline_date"],
                cleaned.get("deadline_time") or datetime.time(23, 59),
                zone,
            )
            if deadline > starts_at:
                self.add_error(
                    "deadline_date", _("Registration must close before the session starts.")
                )
        if cleaned.get("delivery") == Delivery.IN_PERSON and not cleaned.get("location"):
            self.add_error("location", _("Give the address of an in-person session."))
        cleaned.update(starts_at=starts_at, ends_at=ends_at, registration_deadline=deadline)
        return cleaned

    def session_values(self) -> dict[str, Any]:
        names = (
            "starts_at",
            "ends_at",
            "time_zone",
            "delivery",
            "location",
            "online_url",
            "capacity",
            "registration_deadline",
            "visibility",
        )
        return {name: self.cleaned_data[name] for name in names}
