"""The calendar (month and list), meeting pages, RSVPs and the iCalendar feeds."""

import calendar as monthcal
import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.meetings.entries import CalendarEntry, calendar_entries
from concord.meetings.forms.calendar import LIST_VIEW, CalendarViewForm, FeedActionForm, RsvpForm
from concord.meetings.ical import CALENDAR_MEDIA_TYPE, meetings_calendar
from concord.meetings.models import CalendarFeed, Meeting, Rsvp
from concord.meetings.queries import calendar_meetings, meetings_visible_to
from concord.meetings.services import calendar as services
from concord.meetings.services.schedule import horizon

# The list view shows this many upcoming meetings; feeds reach this far back.
LIST_LIMIT = 100
FEED_PAST_DAYS = 365
SUNDAY = 6


Item = Meeting | CalendarEntry


def _calendar_items(
    user: object, *, start: datetime.datetime, end: datetime.datetime
) -> list[Item]:
    """Meetings, and the other apps' entries (training sessions, awareness activities), in
    time order."""
    items: list[Item] = [*calendar_meetings(user, start=start, end=end)]
    items += calendar_entries(user, start=start, end=end)
    return sorted(items, key=lambda item: item.starts_at)


def _month_grid(user: object, first: datetime.date) -> list[list[tuple[datetime.date, list[Item]]]]:
    """The weeks of ``first``'s month, each day with the meetings and events that start on
    it in their own time zone."""
    weeks = monthcal.Calendar(firstweekday=SUNDAY).monthdatescalendar(first.year, first.month)
    start = timezone.make_aware(datetime.datetime.combine(weeks[0][0], datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(weeks[-1][-1], datetime.time.min))
    by_day: dict[datetime.date, list[Item]] = defaultdict(list)
    items = _calendar_items(
        user, start=start - datetime.timedelta(days=1), end=end + datetime.timedelta(days=2)
    )
    for item in items:
        by_day[item.starts_at.astimezone(ZoneInfo(item.time_zone)).date()].append(item)
    return [[(day, by_day.get(day, [])) for day in week] for week in weeks]


def _add_months(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    form = CalendarViewForm(request.GET)
    form.is_valid()  # a bad value is left out of cleaned_data: its default applies
    values = form.cleaned_data
    today = timezone.localdate()
    context: dict[str, object] = {"today": today, "signed_in": request.user.is_authenticated}
    if values.get("view") == LIST_VIEW:
        now = timezone.now()
        meetings = _calendar_items(request.user, start=now, end=now + datetime.timedelta(days=366))[
            :LIST_LIMIT
        ]
        context.update(view=LIST_VIEW, meetings=meetings, limit=LIST_LIMIT)
        return render(request, "meetings/calendar_list.html", context)
    first = values.get("month") or today.replace(day=1)
    context.update(
        first=first,
        weeks=_month_grid(request.user, first),
        previous=_add_months(first, -1),
        next=_add_months(first, 1),
        weekdays=[datetime.date(2023, 1, day) for day in range(1, 8)],  # Sunday to Saturday
    )
    return render(request, "meetings/calendar_month.html", context)


def _visible_meeting(request: HttpRequest, pk: int) -> Meeting | None:
    return meetings_visible_to(request.user).filter(pk=pk).first()


def _not_visible(request: HttpRequest) -> HttpResponse:
    # Anonymous visitors are asked to sign in whether or not the meeting exists, so the
    # answer does not reveal which committee meetings there are.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    if meeting is None:
        return _not_visible(request)
    user = request.user
    can_manage = permissions.can_manage_meeting(user, meeting)
    can_answer = permissions.can_answer_rsvp(user, meeting)
    zone = ZoneInfo(meeting.time_zone)
    context = {
        "meeting": meeting,
        "starts": meeting.starts_at.astimezone(zone),
        "ends": meeting.ends_at.astimezone(zone),
        "online_url": meeting.online_url if permissions.can_see_online_link(user, meeting) else "",
        "agenda": list(meeting.agenda_items.all()) if meeting.agenda_published_at else None,
        "can_manage": can_manage,
        "can_answer": can_answer and not meeting.is_cancelled and meeting.ends_at > timezone.now(),
    }
    if can_manage:
        counts = dict(
            Rsvp.objects.filter(meeting=meeting).values_list("answer").annotate(Count("id"))
        )
        context["rsvp_counts"] = [
            (label, counts.get(value, 0)) for value, label in Rsvp.Answer.choices
        ]
    if context["can_answer"]:
        own = Rsvp.objects.filter(meeting=meeting, person_id=user.pk).first()
        context["own_rsvp"] = own
        context["rsvp_form"] = RsvpForm(initial={"answer": own.answer if own else None})
    return render(request, "meetings/meeting_detail.html", context)


@login_required
@require_POST
def meeting_rsvp(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    if meeting is None:
        raise Http404
    if not permissions.can_answer_rsvp(request.user, meeting):
        raise PermissionDenied
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, no or maybe."))
        return redirect(meeting)
    try:
        services.answer_rsvp(
            actor=request.user, meeting=meeting, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    messages.success(request, _("Thank you: your answer is saved."))
    return redirect(meeting)


def _calendar_response(content: bytes, *, filename: str, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_MEDIA_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    if meeting is None:
        return _not_visible(request)
    link = permissions.can_see_online_link(request.user, meeting)
    content = meetings_calendar([meeting], name=meeting.title_text, online_link=lambda _m: link)
    return _calendar_response(content, filename=f"meeting-{meeting.pk}.ics", attachment=True)


def _feed_window() -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    end = datetime.datetime.combine(horizon() + datetime.timedelta(days=1), datetime.time.min)
    return start, timezone.make_aware(end)


@require_safe
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The public feed: coalition meetings, never an online link."""
    start, end = _feed_window()
    meetings = calendar_meetings(None, start=start, end=end)
    content = meetings_calendar(
        meetings,
        entries=calendar_entries(None, start=start, end=end),
        name=_("Coalition calendar"),
        online_link=lambda _meeting: False,
    )
    return _calendar_response(content, filename="calendar.ics")


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's private feed, found by its secret token alone (calendar programs carry
    no session): the coalition's meetings and their committees', online links included."""
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.person.is_active:
        raise Http404
    start, end = _feed_window()
    # calendar_meetings holds exactly the meetings whose link the person may see: the
    # coalition's, and their own committees' (every active committee's for coordinators).
    meetings = calendar_meetings(feed.person, start=start, end=end)
    content = meetings_calendar(
        meetings,
        entries=calendar_entries(feed.person, start=start, end=end),
        name=_("My meetings"),
        online_link=lambda _m: True,
    )
    return _calendar_response(content, filename="my-meetings.ics")


@login_required
def feed_manage(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = FeedActionForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            if action == FeedActionForm.REVOKE:
                services.revoke_feed(actor=request.user)
                messages.success(request, _("Your calendar link no longer works."))
            elif action == FeedActionForm.REPLACE:
                services.replace_feed(actor=request.user)
                messages.success(
                    request, _("Your new calendar link is ready; the old one no longer works.")
                )
            else:
                services.create_feed(actor=request.user)
                messages.success(request, _("Your calendar link is ready."))
            return redirect("meetings:feed-manage")
        messages.error(request, _("Choose what to do with your calendar link."))
    feed = services.live_feed(request.user)
    feed_url = (
        settings.SITE_URL + reverse("personal-feed", kwargs={"token": feed.token}) if feed else ""
    )
    return render(
        request,
        "meetings/calendar_feed.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "public_url": settings.SITE_URL + reverse("calendar-feed"),
        },
    )


# This module's URL patterns, gathered by concord/meetings/urls.py.
urls: list[URLPattern] = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/feed/", feed_manage, name="feed-manage"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>.ics", meeting_ics, name="meeting-ics"),
    path("meetings/<int:pk>/rsvp/", meeting_rsvp, name="meeting-rsvp"),
]

# The feeds are language-neutral, outside i18n_patterns (config/urls.py through
# concord/meetings/feed_urls.py): calendar programs fetch them without a session.
feed_urls: list[URLPattern] = [
    path("calendar.ics", calendar_feed, name="calendar-feed"),
    path("calendar/feed/<str:token>.ics", personal_feed, name="personal-feed"),
]
