"""Forms of the receiving side: the inbox filter, the answers to a referral, the messages
between the two agencies and the figures' date range. None of them names an agency, a
status or a person: those come from the referral and the signed-in user."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.referrals.models import (
    MESSAGE_LIMIT,
    NOTE_LIMIT,
    DeclineReason,
    Outcome,
    ReferralStatus,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            *[
                (value, label)
                for value, label in ReferralStatus.choices
                if value != ReferralStatus.DRAFT
            ],
        ],
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason")), *DeclineReason.choices]
    )
    note = forms.CharField(
        label=_("Note to the referring agency"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Write only what the client agreed to share."),
    )


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What information do you need?"),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The referral goes back to the referring agency with this question."),
    )


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose an outcome")), *Outcome.choices]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Write only what the client agreed to share."),
    )


class MessageForm(OneTimeTokenMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Both agencies read this. Write only what the client consented to share with "
            "the other agency; a needs-only referral carries no personal information."
        ),
    )


class FiguresFilterForm(forms.Form):
    sent_from = forms.DateField(label=_("Sent from"), required=False, widget=DATE_INPUT)
    sent_to = forms.DateField(label=_("Sent to (inclusive)"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("sent_from"), cleaned.get("sent_to")
        if start and end and end < start:
            self.add_error("sent_to", _("The end of the range comes before its start."))
        return cleaned

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The range as aware datetimes, the end day included; None where open."""
        if not self.is_valid():
            return None, None
        zone = timezone.get_current_timezone()

        def start_of(day: datetime.date | None) -> datetime.datetime | None:
            if day is None:
                return None
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

        end = self.cleaned_data.get("sent_to")
        return (
            start_of(self.cleaned_data.get("sent_from")),
            start_of(end + datetime.timedelta(days=1) if end else None),
        )
