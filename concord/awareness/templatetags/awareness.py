from django import template

from concord.awareness.models import Activity
from concord.awareness.queries import upcoming_activities

register = template.Library()


@register.simple_tag
def next_public_activities(count: int = 3) -> list[Activity]:
    """The next public awareness activities, for the home page: the same for everyone."""
    return upcoming_activities(None, limit=count)
