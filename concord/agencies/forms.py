from django import forms
from django.utils.translation import gettext_lazy as _

from concord.agencies.models import Agency, AgencyStatus
from concord.core.forms import OneTimeTokenMixin


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "sector",
            "street_address",
            "city",
            "state",
            "postal_code",
            "service_area",
            "website",
            "phone",
        ]

    def clean_state(self) -> str:
        return self.cleaned_data["state"].upper()


class AgencyCreateForm(OneTimeTokenMixin, AgencyForm):
    pass


class AgencyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgencyStatus.choices)


class AgencySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *AgencyStatus.choices]
    )
