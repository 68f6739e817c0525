"""Granting or revoking the referral role."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RoleForm(forms.Form):
    handles_referrals = forms.TypedChoiceField(
        choices=[("1", _("Grant")), ("0", _("Revoke"))],
        coerce=lambda value: value == "1",
    )
