"""Things other than meetings that belong on the calendar: training sessions, awareness
activities. Each app registers a provider in its ``AppConfig.ready``; the calendar pages and
the iCalendar feeds merge what the providers return with the meetings.

A provider answers for one viewer: ``None`` is the public (the public feed and anonymous
visitors) and must get public entries only; a signed-in person may get members-only ones.
A provider makes a fixed number of queries, whatever the number of entries.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CalendarEntry:
    uid: (
        str  # stable for the entry's whole life and unique across providers, e.g. "training-<uuid>"
    )
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    url: str  # the entry's page, a path (the feeds make it absolute)
    kind: str | Promise  # shown beside the title: "Training", "Awareness activity"
    updated_at: datetime.datetime
    location: str = ""
    cancelled: bool = False
    sequence: int = 0
    description: str = ""

    @property
    def title_text(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled

    def get_absolute_url(self) -> str:
        return self.url

    def get_status_display(self) -> str:
        return _("Cancelled") if self.cancelled else _("Scheduled")


Provider = Callable[[Any, datetime.datetime, datetime.datetime], Iterable[CalendarEntry]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add ``provider(viewer, start, end)``; usable as a decorator. Registering twice is a
    no-op, so a reloaded app does not double its entries."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def calendar_entries(
    viewer: Any, *, start: datetime.datetime, end: datetime.datetime
) -> list[CalendarEntry]:
    """Every provider's entries that start in [start, end), in time order. ``viewer`` is a
    user (anonymous counts as the public) or ``None`` for the public."""
    if viewer is not None and not viewer.is_authenticated:
        viewer = None
    entries = [entry for provider in _providers for entry in provider(viewer, start, end)]
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.uid))
