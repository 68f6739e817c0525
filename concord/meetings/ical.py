"""RFC 5545 calendars of meetings, built with the icalendar package.

Each meeting keeps one UID for its whole life and a SEQUENCE that its changes raise, so
calendar programs that subscribed update the events they already hold. Times carry the
meeting's own time zone (TZID) and the calendar its VTIMEZONE definitions.
"""

import datetime
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from concord.meetings.entries import CalendarEntry
from concord.meetings.models import Meeting

PRODUCT_ID = "-//Concord//Meetings//EN"
CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@concord"


def meeting_url(meeting: Meeting) -> str:
    # Feeds are language-neutral: the link is the default language's page.
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + meeting.get_absolute_url()


def _event(meeting: Meeting, *, online_link: bool) -> Event:
    zone = ZoneInfo(meeting.time_zone)
    url = meeting_url(meeting)
    lines = []
    if meeting.committee is not None:
        lines.append(meeting.committee.name)
    if online_link and meeting.online_url:
        lines.append(_("Join online: %(link)s") % {"link": meeting.online_url})
    lines.append(_("Details: %(link)s") % {"link": url})
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title_text)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    event.add("description", "\n".join(lines))
    return event


def _entry_event(entry: CalendarEntry) -> Event:
    zone = ZoneInfo(entry.time_zone)
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL + entry.url
    lines = [str(entry.kind)]
    if entry.description:
        lines.append(entry.description)
    lines.append(_("Details: %(link)s") % {"link": url})
    event = Event()
    event.add("uid", f"{entry.uid}@concord")
    event.add("sequence", entry.sequence)
    event.add("dtstamp", entry.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", entry.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", entry.title)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.location:
        event.add("location", entry.location)
    event.add("url", url)
    event.add("description", "\n".join(lines))
    return event


def meetings_calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    online_link: Callable[[Meeting], bool],
    entries: Iterable[CalendarEntry] = (),
) -> bytes:
    """The meetings, and other apps' ``entries``, as one VCALENDAR; ``online_link`` says
    for which meetings the link may show. Entries never carry an online link.

    Public output must pass ``lambda meeting: False``.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    last = datetime.date(2038, 1, 1)
    for meeting in meetings:
        calendar.add_component(_event(meeting, online_link=online_link(meeting)))
        last = max(last, meeting.ends_at.date() + datetime.timedelta(days=1))
    for entry in entries:
        calendar.add_component(_entry_event(entry))
        last = max(last, entry.ends_at.date() + datetime.timedelta(days=1))
    # VTIMEZONE definitions cover the span of the events (icalendar's default stops at 2038).
    calendar.add_missing_timezones(last_date=last)
    return calendar.to_ical()
