"""Awareness activities on the coalition's calendar and in its iCalendar feeds."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from concord.awareness.queries import activities_visible_to
from concord.meetings.entries import CalendarEntry

KIND = _("Awareness activity")


def activity_entries(
    viewer: Any, start: datetime.datetime, end: datetime.datetime
) -> Iterable[CalendarEntry]:
    """Activities starting in [start, end): public ones for the public (``None``),
    members-only ones too for members. Cancelled ones stay, marked, so calendar programs
    remove them. One query."""
    activities = activities_visible_to(viewer).filter(starts_at__gte=start, starts_at__lt=end)
    return [
        CalendarEntry(
            uid=f"awareness-activity-{activity.uid}",
            title=activity.title_text,
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            time_zone=activity.time_zone,
            url=activity.get_absolute_url(),
            kind=KIND,
            updated_at=activity.updated_at,
            location=activity.location,
            cancelled=activity.is_cancelled,
            sequence=activity.sequence,
            description=activity.description_text,
        )
        for activity in activities.order_by("starts_at", "pk")
    ]
