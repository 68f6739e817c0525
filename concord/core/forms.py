import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class UswdsFormRenderer(TemplatesSetting):
    """Render every form with the U.S. Web Design System's markup and error messages."""

    form_template_name = "forms/uswds_form.html"
    field_template_name = "forms/uswds_field.html"


class OneTimeTokenMixin(forms.Form):
    """Adds the hidden token that makes a double submit create one record."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
