"""The public registration form: who, from where, in which language; plus a honeypot and
the one-time token that makes a double submit register once."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concord.agencies.models import Sector
from concord.core.forms import OneTimeTokenMixin
from concord.trainings.models import Registration

HONEYPOT_FIELD = "homepage"


def _max_length(field: str) -> int:
    model_field = cast(models.Field[Any, Any], Registration._meta.get_field(field))
    return int(model_field.max_length or 0)


class PublicRegistrationForm(OneTimeTokenMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=_max_length("name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=_max_length("email"),
        help_text=_("We email you a link to confirm your registration. It works for 48 hours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    affiliation = forms.CharField(
        label=_("Agency or affiliation"),
        max_length=_max_length("affiliation"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices]
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("For the emails about this registration."),
    )
    # Hidden from people (visually, from screen readers and from the keyboard): only a
    # program filling in every field puts something here.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))
