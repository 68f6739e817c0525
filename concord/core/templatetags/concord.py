from django import template
from django.forms import BoundField
from django.http import HttpRequest
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language: str) -> str:
    """This page's path in another language: the language lives in the URL, not a cookie."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/" if language == "en" else f"/{language}/"
    return translate_url(request.path, language)


_WIDGET_CLASSES = {
    "select": "usa-select",
    "textarea": "usa-textarea",
    "checkbox": "usa-checkbox__input",
}


@register.simple_tag
def uswds_widget(field: BoundField) -> str:
    """Render a field's widget with the USWDS class and the error and hint descriptions."""
    css = _WIDGET_CLASSES.get(field.widget_type, "usa-input")
    if field.errors and field.widget_type != "checkbox":
        css += " usa-input--error"
    attrs: dict[str, str | bool] = {"class": css}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
