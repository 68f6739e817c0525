from django import forms
from django.conf import settings
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

    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of the emails Concord sends this person."),
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "agency", "agency_role", "is_staff", "language"]

    def clean_language(self) -> str:
        # Left out (an older form, a script): the model's default, never an error.
        return self.cleaned_data.get("language") or settings.LANGUAGE_CODE


class PersonInviteForm(OneTimeTokenMixin, PersonForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)

    field_order = [
        "email",
        "full_name",
        "job_title",
        "agency",
        "agency_role",
        "is_staff",
        "language",
    ]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
