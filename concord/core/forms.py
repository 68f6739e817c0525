import functools
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2, TemplatesSetting


class UswdsFormRenderer(TemplatesSetting):
    """Render every form with the U.S. Web Design System's markup and error messages.

    Django's own widgets render through its Jinja2 templates: the same markup, several
    times faster than the template language, which includes a template per option of a
    select (a third of the search page's time at 10,000 services)."""

    form_template_name = "forms/uswds_form.html"
    field_template_name = "forms/uswds_field.html"

    def get_template(self, template_name: str) -> Any:
        if template_name.startswith(_DJANGO_WIDGETS):
            return _widget_renderer().get_template(template_name)
        return super().get_template(template_name)


_DJANGO_WIDGETS = "django/forms/widgets/"


@functools.cache
def _widget_renderer() -> Jinja2:
    return Jinja2()


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
