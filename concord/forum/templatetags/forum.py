import functools

from django import template
from django.utils.safestring import SafeString

from concord.core.markdown import render

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown written in the forum, as sanitized HTML (concord.core.markdown)."""
    return _rendered(text or "")


# A busy thread's page renders the same fifty posts for every reader: keep the sanitized
# HTML of recent bodies (keyed by the text itself, so an edit is a new entry).
@functools.lru_cache(maxsize=4096)
def _rendered(text: str) -> SafeString:
    return render(text)
