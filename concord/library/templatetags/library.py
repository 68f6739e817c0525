from django import template
from django.utils.safestring import SafeString

from concord.core import markdown as rendering

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown written in the site, rendered and sanitized (concord.core.markdown)."""
    return rendering.render(text)
