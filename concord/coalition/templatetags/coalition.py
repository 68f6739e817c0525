import datetime

from django import template

from concord.coalition.models import Coalition
from concord.coalition.queries import upcoming_meetings
from concord.meetings.queries import next_coalition_meetings

register = template.Library()


@register.simple_tag
def next_meetings(
    coalition: Coalition | None, count: int = 1
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The next coalition meetings as (start, end): from the meeting records, which know
    about moves and cancellations, or from the coalition's rule before any exist."""
    if not coalition:
        return []
    scheduled = next_coalition_meetings(count=count)
    if scheduled is not None:
        return [(meeting.starts_at, meeting.ends_at) for meeting in scheduled]
    return upcoming_meetings(coalition, count=count)
