import datetime
import zoneinfo

from dateutil.rrule import rrulestr
from django.utils import timezone

from concord.coalition.models import Coalition


def current_coalition() -> Coalition | None:
    """The coalition this installation runs; None before ``seed_demo`` or set-up."""
    return Coalition.objects.order_by("pk").first()


def upcoming_meetings(
    coalition: Coalition, *, after: datetime.datetime | None = None, count: int = 1
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The next coalition meetings (start, end) from the coalition's recurrence rule."""
    if not coalition.meeting_rule:
        return []
    zone = zoneinfo.ZoneInfo(coalition.time_zone)
    now = (after or timezone.now()).astimezone(zone)
    # The rule runs on naive local dates: 09:00 stays 09:00 across daylight-saving changes.
    first = datetime.datetime.combine(now.date().replace(day=1), coalition.meeting_starts)
    try:
        rule = rrulestr(coalition.meeting_rule, dtstart=first)
    except (ValueError, TypeError):
        # The form refuses bad rules; one written another way must not break every page.
        return []
    meetings = []
    for start in rule.xafter(first - datetime.timedelta(seconds=1), count=count + 4, inc=True):
        start_at = start.replace(tzinfo=zone)
        end_at = datetime.datetime.combine(start.date(), coalition.meeting_ends, tzinfo=zone)
        if end_at > now:
            meetings.append((start_at, end_at))
        if len(meetings) == count:
            break
    return meetings
