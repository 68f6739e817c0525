"""Forms of directory editing (issue 5): the agency names only the values; the
organization, the service and the status come from the URL and the services."""

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.directory.models import (
    EDITABLE_FIELDS,
    ServiceStatus,
    TaxonomyTerm,
    Visibility,
    Weekday,
)
from concord.directory.services.listing_details import DAYS, language_choices

PHONE_SLOTS = 3
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
# Digits with the usual separators, at least seven digits, an optional leading +.
_PHONE = re.compile(r"^\+?[0-9 ().-]+$")


class DetailsMixin(forms.Form):
    """Phones and weekly hours, as plain fields that work without JavaScript: a phone per
    slot, and per weekday an opening and a closing time (both empty: closed)."""

    def add_detail_fields(self) -> None:
        for slot in range(PHONE_SLOTS):
            self.fields[f"phone_{slot}_number"] = forms.CharField(
                label=_("Phone number %(number)s") % {"number": slot + 1},
                max_length=100,
                required=False,
            )
            self.fields[f"phone_{slot}_description"] = forms.CharField(
                label=_("What the number %(number)s is for") % {"number": slot + 1},
                max_length=200,
                required=False,
            )
        for day, name in Weekday.choices:
            self.fields[f"hours_{day}_opens"] = forms.CharField(
                label=_("%(day)s: opens at (HH:MM)") % {"day": name},
                max_length=5,
                required=False,
            )
            self.fields[f"hours_{day}_closes"] = forms.CharField(
                label=_("%(day)s: closes at (HH:MM)") % {"day": name},
                max_length=5,
                required=False,
            )

    def clean_details(self, cleaned: dict[str, Any]) -> None:
        for slot in range(PHONE_SLOTS):
            number = (cleaned.get(f"phone_{slot}_number") or "").strip()
            if number and (not _PHONE.match(number) or len(re.sub(r"\D", "", number)) < 7):
                self.add_error(
                    f"phone_{slot}_number",
                    _("Enter a phone number such as 925-555-0100."),
                )
            if not number and (cleaned.get(f"phone_{slot}_description") or "").strip():
                self.add_error(f"phone_{slot}_number", _("Enter the number it describes."))
        for day in DAYS:
            opens = (cleaned.get(f"hours_{day}_opens") or "").strip()
            closes = (cleaned.get(f"hours_{day}_closes") or "").strip()
            for end, value in (("opens", opens), ("closes", closes)):
                if value and not _TIME.match(value):
                    self.add_error(
                        f"hours_{day}_{end}", _("Enter the time as HH:MM, such as 09:00.")
                    )
            if opens and not closes:
                self.add_error(f"hours_{day}_closes", _("Enter when it closes too."))
            if closes and not opens:
                self.add_error(f"hours_{day}_opens", _("Enter when it opens too."))

    def detail_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        phones = [
            {
                "number": data[f"phone_{slot}_number"].strip(),
                "description": data[f"phone_{slot}_description"].strip(),
            }
            for slot in range(PHONE_SLOTS)
            if data[f"phone_{slot}_number"].strip()
        ]
        hours = {
            day: [data[f"hours_{day}_opens"].strip(), data[f"hours_{day}_closes"].strip()]
            for day in DAYS
            if data[f"hours_{day}_opens"].strip()
        }
        return {"phones": phones, "hours": hours}


def detail_initial(values: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from a proposal's or a record's phones and hours."""
    initial: dict[str, Any] = {}
    for slot, phone in enumerate((values.get("phones") or [])[:PHONE_SLOTS]):
        initial[f"phone_{slot}_number"] = phone["number"]
        initial[f"phone_{slot}_description"] = phone["description"]
    for day, (opens, closes) in (values.get("hours") or {}).items():
        initial[f"hours_{day}_opens"], initial[f"hours_{day}_closes"] = opens, closes
    return initial


class ListingForm(OneTimeTokenMixin, DetailsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices)
    eligibility_description = forms.CharField(
        label=_("Who is eligible"), widget=forms.Textarea, required=False
    )
    fees_description = forms.CharField(label=_("Fees"), widget=forms.Textarea, required=False)
    application_process = forms.CharField(
        label=_("How to apply"), widget=forms.Textarea, required=False
    )
    minimum_age = forms.FloatField(label=_("Minimum age"), required=False, min_value=0)
    maximum_age = forms.FloatField(label=_("Maximum age"), required=False, min_value=0)
    categories = forms.TypedMultipleChoiceField(
        label=_("Kinds of help"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The category terms in English, or without a language: one choice per code.
        terms = TaxonomyTerm.objects.exclude(code="").filter(language__in=["en", ""])
        categories = cast(forms.TypedMultipleChoiceField, self.fields["categories"])
        categories.choices = [(str(term.pk), term.name) for term in terms]
        languages = cast(forms.MultipleChoiceField, self.fields["languages"])
        languages.choices = language_choices()
        self.add_detail_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is below the minimum age."))
        self.clean_details(cleaned)
        return cleaned

    def values(self) -> dict[str, Any]:
        """The proposal's values, from a valid form."""
        names = (*EDITABLE_FIELDS, "categories", "languages")
        return {**{name: self.cleaned_data[name] for name in names}, **self.detail_values()}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)
