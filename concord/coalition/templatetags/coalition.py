import datetime

from django import template

from concord.coalition.models import Coalition
from concord.coalition.queries import upcoming_meetings

register = template.Library()


@register.simple_tag
def next_meetings(
    coalition: Coalition | None, count: int = 1
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    if not coalition:
        return []
    return upcoming_meetings(coalition, count=count)
