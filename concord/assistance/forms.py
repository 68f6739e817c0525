"""Forms of technical assistance: the public request, the coordinators' and experts'
actions, and the filters. Lengths match the model, so what a form accepts the database
stores."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.assistance.models import (
    DESCRIPTION_LIMIT,
    MAX_HOURS,
    NOTE_LIMIT,
    OUTCOME_LIMIT,
    REASON_LIMIT,
    AssistanceRequest,
    RequestStatus,
    Topic,
    Urgency,
)
from concord.assistance.queries import eligible_experts
from concord.core.forms import OneTimeTokenMixin

HONEYPOT_FIELD = "homepage"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TOO_LONG = _("Keep this to %(limit_value)d characters or fewer (it has %(show_value)d).")


def _text(limit: int, label: Any, help_text: Any = "", *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG},
    )


class RequestForm(OneTimeTokenMixin, forms.Form):
    """The public request. Signed in, the contact comes from the account and the address
    cannot be changed (it is the account's, so the request needs no confirmation)."""

    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, widget=forms.RadioSelect)
    urgency = forms.ChoiceField(
        label=_("How soon do you need help?"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    description = _text(
        DESCRIPTION_LIMIT,
        _("What do you need help with?"),
        _(
            "Describe your question, your agency's situation and what would help. Do not "
            "include anything that could identify a survivor or a victim: no names, dates "
            "of birth, addresses or case details."
        ),
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We email you a link to follow your request."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    affiliation = forms.CharField(label=_("Your agency or affiliation"), max_length=200)
    # Hidden from people (visually, from screen readers and from the keyboard): only a
    # program filling in every field puts something here.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.full_name
            self.fields["email"].initial = user.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _(
                "Your account's address: we email you there about your request."
            )
            if user.agency_id:
                self.fields["affiliation"].initial = user.agency.name

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (new, assigned, in progress)")), *RequestStatus.choices],
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any topic")), *Topic.choices]
    )

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["status"], self.cleaned_data["topic"]


class ExpertChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.agency.name})" if obj.agency else obj.full_name


class AssignForm(forms.Form):
    expert = ExpertChoiceField(
        label=_("Expert"),
        queryset=User.objects.none(),
        empty_label=_("Choose an expert"),
        help_text=_("Active people of active member agencies."),
    )
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, request: AssistanceRequest | None = None, **kwargs: Any) -> None:
        if request is not None:
            kwargs.setdefault("initial", {})["seen"] = request.state_key
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = eligible_experts()  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = _text(
        REASON_LIMIT,
        _("Reason for declining"),
        _("The requester reads it on their request's page."),
    )


class CompleteForm(forms.Form):
    outcome = _text(
        OUTCOME_LIMIT,
        _("Outcome"),
        _("What was done. The requester reads it on their request's page."),
    )


class TimeEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=2,
        help_text=_("More than 0 and at most 24, for example 1.5."),
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("Enter more than 0 hours.")),
            MaxValueValidator(MAX_HOURS, message=_("Enter at most 24 hours for a day.")),
        ],
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=NOTE_LIMIT, required=False)

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Time cannot be logged for a future day."))
        return day


class FiguresFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To (inclusive)"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the range comes before its start."))
        return cleaned

    def days(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the range: this year so far unless other days are
        asked for."""
        today = timezone.localdate()
        start = today.replace(month=1, day=1)
        end = today
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        return start, end

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The range as aware datetimes [start, end), the last day included."""
        start, end = self.days()
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            ),
        )
