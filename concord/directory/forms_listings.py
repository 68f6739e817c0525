"""Forms of directory editing (issue 5): the agency names only the values; the
organization, the service and the status come from the URL and the services."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.directory.models import ServiceStatus, TaxonomyTerm, Visibility


class ListingForm(OneTimeTokenMixin, forms.Form):
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The category terms in English, or without a language: one choice per code.
        terms = TaxonomyTerm.objects.exclude(code="").filter(language__in=["en", ""])
        categories = cast(forms.TypedMultipleChoiceField, self.fields["categories"])
        categories.choices = [(str(term.pk), term.name) for term in terms]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age is below the minimum age."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)
