"""Forms of location editing and organization links (issue 5): the organization, the
location and the agency come from the URL, never from these fields."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.directory.forms_listings import DetailsMixin
from concord.directory.models import Organization, Service
from concord.directory.services.listing_locations import ADDRESS_FIELDS

# The field labels, also the row labels of the review page.
LOCATION_LABELS = {
    "name": _("Name"),
    "is_confidential": _("Confidential location (a shelter: the address is never public)"),
    "address_1": _("Street address"),
    "city": _("City"),
    "state_province": _("State"),
    "postal_code": _("ZIP code"),
    "country": _("Country (two letters)"),
    "phones": _("Phones"),
    "hours": _("Weekly hours"),
    "services": _("Services offered here"),
}


class LocationForm(OneTimeTokenMixin, DetailsMixin, forms.Form):
    name = forms.CharField(label=LOCATION_LABELS["name"], max_length=300)
    is_confidential = forms.BooleanField(label=LOCATION_LABELS["is_confidential"], required=False)
    address_1 = forms.CharField(label=LOCATION_LABELS["address_1"], max_length=300, required=False)
    city = forms.CharField(label=LOCATION_LABELS["city"], max_length=200, required=False)
    state_province = forms.CharField(
        label=LOCATION_LABELS["state_province"], max_length=200, required=False, initial="CA"
    )
    postal_code = forms.CharField(
        label=LOCATION_LABELS["postal_code"], max_length=32, required=False
    )
    country = forms.CharField(
        label=LOCATION_LABELS["country"], min_length=2, max_length=2, initial="US"
    )
    services = forms.MultipleChoiceField(
        label=LOCATION_LABELS["services"], required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this organization's services are choices: another id is refused.
        services = cast(forms.MultipleChoiceField, self.fields["services"])
        services.choices = [
            (str(pk), name)
            for pk, name in Service.objects.filter(organization=organization)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ]
        self.add_detail_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("is_confidential"):
            for name in ("address_1", "city", "state_province", "postal_code"):
                if name in cleaned and not cleaned[name].strip():
                    self.add_error(name, _("Required unless the location is confidential."))
        self.clean_details(cleaned)
        return cleaned

    def values(self) -> dict[str, Any]:
        names = ("name", "is_confidential", *ADDRESS_FIELDS, "services")
        return {**{name: self.cleaned_data[name] for name in names}, **self.detail_values()}


class LinkOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization in the directory"),
        queryset=Organization.objects.filter(agency__isnull=True).order_by("name"),
        help_text=_("Only organizations not linked to an agency are listed."),
    )


class CreateOrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    website = forms.URLField(label=_("Website"), max_length=500, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
