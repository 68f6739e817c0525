"""Recording a survivor's consent for one referral: the receiving agency is the referral's,
never the form's."""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.referrals.models import NOTE_LIMIT, ClientField, ConsentGiver, ConsentMethod

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_expiry_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.REFERRAL_CONSENT_DAYS)


class ConsentForm(OneTimeTokenMixin, forms.Form):
    given_by = forms.ChoiceField(
        label=_("Who gave the consent"),
        choices=ConsentGiver.choices,
        initial=ConsentGiver.SURVIVOR,
        widget=forms.RadioSelect,
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=ClientField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the receiving agency needs, and only what the person agreed to."),
    )
    purpose = forms.CharField(
        label=_("For what purpose"),
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: referral for emergency shelter and case management."),
    )
    language = forms.ChoiceField(
        label=_("Language of the form"), choices=settings.LANGUAGES, initial="en"
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DATE_INPUT,
        initial=default_expiry_day,
        help_text=_("The consent ends at the end of this day. It can be revoked before."),
    )
    method = forms.ChoiceField(
        label=_("How it was obtained"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    signed_form = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file."),
    )
    signature_name = forms.CharField(
        label=_("Name typed by the person who signs, in your presence"),
        required=False,
        max_length=150,
    )
    confirm_read = forms.BooleanField(
        label=_(
            "The person read the consent form (or had it read to them) in their language, "
            "and knows they may revoke it at any time and that services do not depend on it."
        ),
        required=True,
    )

    def clean_expires_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["expires_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The consent must expire in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        method = cleaned.get("method")
        if method == ConsentMethod.SIGNED_FORM and not cleaned.get("signed_form"):
            self.add_error("signed_form", _("Upload the signed consent form."))
        if (
            method == ConsentMethod.E_SIGNATURE
            and not (cleaned.get("signature_name") or "").strip()
        ):
            self.add_error("signature_name", _("Type the name of the person who signs."))
        return cleaned

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, in the coalition's time zone."""
        day = self.cleaned_data["expires_on"] + datetime.timedelta(days=1)
        return datetime.datetime.combine(
            day, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )
