"""The referrer's form: needs only by default; the client information is opened
deliberately, and the extra fields (full name, date of birth, identity number) only
under a consent that covers them. The agencies, sender, status and consent never come
from the form."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.directory.models import TaxonomyTerm
from concord.directory.services.listing_details import language_choices
from concord.referrals.models import (
    EXTRA_CLIENT_FIELDS,
    NOTE_LIMIT,
    AgeRange,
    ClientField,
    Consent,
    Referral,
    ReferralStatus,
    Urgency,
)

BASIC_CLIENT_FIELDS = (
    ClientField.CLIENT_LABEL.value,
    ClientField.SAFE_CONTACT.value,
    ClientField.SAFETY_NOTES.value,
)


class NeedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return obj.name


def need_choices(selected: list[Any]) -> QuerySet[TaxonomyTerm]:
    """The directory's terms in the page's language (English where it has none), plus
    any the referral already names."""
    language = translation.get_language() or "en"
    terms = TaxonomyTerm.objects.all()
    if not terms.filter(language=language).exists():
        language = "en"
    return terms.filter(Q(language__in=[language, ""]) | Q(pk__in=selected)).order_by("name")


class ReferralForm(forms.Form):
    needs = NeedChoiceField(
        label=_("Needs"),
        queryset=TaxonomyTerm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of help the person is looking for."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    languages = forms.MultipleChoiceField(
        label=_("Preferred languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    age_range = forms.ChoiceField(label=_("Age range"), choices=AgeRange.choices)
    referrer_contact = forms.CharField(
        label=_("How the receiving agency reaches you"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Your own phone, email or desk: the receiving agency contacts you, never the "
            "person you refer, unless the client information below says how."
        ),
    )
    add_client_information = forms.BooleanField(
        label=_("Add client information (needs a consent)"),
        required=False,
        help_text=_(
            "Leave this unchecked to send a needs-only referral, without any personal "
            "information. A needs-only referral never needs a consent, and signing a "
            "release is never a condition of service."
        ),
    )
    client_label = forms.CharField(
        label=_("Client label (alias or initials)"), required=False, max_length=60
    )
    safe_contact = forms.CharField(
        label=_("Safe contact method"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: phone only, weekdays 2 to 4 pm, no voicemail, no text."),
    )
    safety_notes = forms.CharField(
        label=_("Safety notes"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    add_extra_fields = forms.BooleanField(
        label=_("Add full name, date of birth or identity number"),
        required=False,
        help_text=_(
            "Only when the consent recorded for this referral covers them, and only if the "
            "receiving agency truly needs them."
        ),
    )
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, max_length=40)
    identity_number = forms.CharField(label=_("Identity number"), required=False, max_length=60)

    def __init__(
        self,
        *args: Any,
        consent: Consent | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.consent = consent
        selected = list(self.initial.get("needs", []))
        self.fields["needs"].queryset = need_choices(selected)  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("add_client_information"):
            # Unchecked: a needs-only referral, whatever was typed in the closed fields.
            for name in (*BASIC_CLIENT_FIELDS, *EXTRA_CLIENT_FIELDS):
                cleaned[name] = ""
            cleaned["add_extra_fields"] = False
            if not (cleaned.get("referrer_contact") or "").strip():
                self.add_error(
                    "referrer_contact",
                    _("Say how the receiving agency can reach you about this referral."),
                )
            return cleaned
        if not cleaned.get("add_extra_fields"):
            for name in EXTRA_CLIENT_FIELDS:
                cleaned[name] = ""
            return cleaned
        for name in EXTRA_CLIENT_FIELDS:
            if not (cleaned.get(name) or "").strip():
                continue
            if self.consent is None or not self.consent.is_valid():
                self.add_error(
                    name,
                    _(
                        "Record the client's consent first, covering this information; "
                        "then add it here."
                    ),
                )
            elif not self.consent.covers(name):
                self.add_error(name, _("The consent does not cover this information."))
        return cleaned

    def values(self) -> dict[str, Any]:
        """What the services take: the named fields only."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "urgency": data["urgency"],
            "age_range": data["age_range"],
            "referrer_contact": data.get("referrer_contact", ""),
            "languages": list(data.get("languages") or []),
            "needs": list(data.get("needs") or []),
        }
        for name in (*BASIC_CLIENT_FIELDS, *EXTRA_CLIENT_FIELDS):
            values[name] = data.get(name) or ""
        return values


class ReferralCreateForm(OneTimeTokenMixin, ReferralForm):
    pass


def initial_values(referral: Referral, client: dict[str, Any]) -> dict[str, Any]:
    """The draft's values for its edit form; ``client`` is its client information, read
    through ``services.access.client_information`` so that the read is logged."""
    values: dict[str, Any] = {
        "urgency": referral.urgency,
        "age_range": referral.age_range,
        "referrer_contact": referral.referrer_contact,
        "languages": list(referral.languages or []),
        "needs": [term.pk for term in referral.needs.all()],
    }
    for name in (*BASIC_CLIENT_FIELDS, *EXTRA_CLIENT_FIELDS):
        values[name] = client.get(name, "")
    values["add_client_information"] = bool(client)
    values["add_extra_fields"] = any(name in client for name in EXTRA_CLIENT_FIELDS)
    return values


class SentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ReferralStatus.choices],
    )
