from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import AgencyRole, User
from concord.agencies.models import Agency
from concord.core.forms import OneTimeTokenMixin


class PersonForm(forms.ModelForm):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("name"), required=False
    )
    agency_role = forms.ChoiceField(
        label=_("Role in the agency"),
        choices=[("", _("No agency role")), *AgencyRole.choices],
        required=False,
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "agency", "agency_role", "is_staff"]


class PersonInviteForm(OneTimeTokenMixin, PersonForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)

    field_order = ["email", "full_name", "job_title", "agency", "agency_role", "is_staff"]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
