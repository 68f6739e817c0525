"""Scheduling: meeting series, cancelling, moving and adding meetings, reminder settings."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from concord.core import permissions
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.meetings.forms.schedule import (
    MeetingAddForm,
    MeetingMoveForm,
    ReminderSettingsForm,
    SeriesForm,
)
from concord.meetings.models import CommitteeStatus, Meeting, MeetingSeries, MeetingStatus
from concord.meetings.queries import (
    committees_scheduled_by,
    meetings_visible_to,
    series_managed_by,
    series_visible_to,
)
from concord.meetings.recurrence import RuleError, rule_dates
from concord.meetings.services import reminders, schedule

PREVIEW_COUNT = 5
# Far enough ahead for five dates of any yearly rule.
PREVIEW_YEARS = 6


def preview_dates(rule: str, first: datetime.date) -> list[datetime.date]:
    """The next few dates a rule gives from today (or from its first date, if later)."""
    if not rule:
        return []
    start = max(first, timezone.localdate())
    end = start + datetime.timedelta(days=366 * PREVIEW_YEARS)
    try:
        return rule_dates(rule, first=first, start=start, end=end)[:PREVIEW_COUNT]
    except RuleError:
        return []


def _series_values(form: SeriesForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
@require_safe
def series_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_schedule_meetings(request.user):
        raise PermissionDenied
    upcoming = Q(meetings__starts_at__gte=timezone.now(), meetings__status=MeetingStatus.SCHEDULED)
    series = (
        series_managed_by(request.user)
        .annotate(next_starts_at=Min("meetings__starts_at", filter=upcoming))
        .order_by("committee__name", "title")
    )
    return render(
        request,
        "meetings/series_list.html",
        {"series_list": series, "can_add_coalition": permissions.is_coordinator(request.user)},
    )


def _series_form_page(
    request: AuthenticatedRequest, form: SeriesForm, series: MeetingSeries | None
) -> HttpResponse:
    if request.method == "POST" and "preview" in request.POST and form.is_valid():
        dates = preview_dates(form.cleaned_data["rule"], form.cleaned_data["starts_on"])
        previewing = True
    else:
        dates = preview_dates(series.rule, series.starts_on) if series else []
        previewing = False
    return render(
        request,
        "meetings/series_form.html",
        {"form": form, "series": series, "preview": dates, "previewing": previewing},
    )


@login_required
def series_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_schedule_meetings(request.user):
        raise PermissionDenied
    form = SeriesForm(
        request.POST or None,
        user=request.user,
        committees=committees_scheduled_by(request.user),
        initial={"committee": request.GET.get("committee")},
    )
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            series = schedule.create_series(actor=request.user, values=_series_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting series added."))
            return redirect("meetings:series-edit", pk=series.pk)
    return _series_form_page(request, form, None)


@login_required
def series_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(series_visible_to(request.user), pk=pk)
    if not permissions.can_manage_series(request.user, series):
        raise PermissionDenied
    form = SeriesForm(
        request.POST or None,
        # The form works on its own copy: a rejected form must not change the series.
        instance=MeetingSeries.objects.get(pk=series.pk),
        user=request.user,
        committees=committees_scheduled_by(request.user),
    )
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            schedule.update_series(actor=request.user, series=series, values=_series_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting series saved."))
            return redirect("meetings:series-edit", pk=series.pk)
    return _series_form_page(request, form, series)


def _managed_meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
    # Everything of an archived committee is read-only.
    archived = meeting.committee is not None and meeting.committee.is_archived
    if archived or not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    if request.method == "POST":
        schedule.cancel_meeting(actor=request.user, meeting=meeting)
        messages.success(request, _("Meeting cancelled. The invitees are told by email."))
        return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"meeting": meeting})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    if meeting.is_cancelled:
        messages.error(request, _("This meeting is cancelled: add a new meeting instead."))
        return redirect(meeting)
    form = MeetingMoveForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.move_meeting(
                actor=request.user,
                meeting=meeting,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                location=form.cleaned_data["location"],
                online_url=form.cleaned_data["online_url"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting changed. The invitees are told by email."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _add_initial(request: AuthenticatedRequest) -> dict[str, Any]:
    """Prefill from ?series= or ?committee=, among what the person may schedule."""
    initial: dict[str, Any] = {}
    series_id, committee_id = request.GET.get("series", ""), request.GET.get("committee", "")
    if series_id.isdigit():
        series = series_managed_by(request.user).filter(pk=series_id).first()
        if series is not None:
            initial.update(
                series=series.pk,
                committee=series.committee_id,
                title=series.title,
                title_es=series.title_es,
                start_time=series.start_time,
                end_time=series.end_time,
                time_zone=series.time_zone,
                location=series.location,
                online_url=series.online_url,
            )
    elif committee_id.isdigit():
        committee = committees_scheduled_by(request.user).filter(pk=committee_id).first()
        if committee is not None:
            initial.update(committee=committee.pk, title=committee.name)
    return initial


@login_required
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_schedule_meetings(request.user):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = MeetingAddForm(
        request.POST or None,
        user=request.user,
        series=series_managed_by(request.user).exclude(committee__status=CommitteeStatus.ARCHIVED),
        committees=committees_scheduled_by(request.user),
        initial=_add_initial(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: schedule.add_meeting(actor=request.user, values=form.cleaned_data),
                result_url=lambda meeting: meeting.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting added."))
            return redirect(url)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
def reminder_settings(request: AuthenticatedRequest) -> HttpResponse:
    # An unticked box sends nothing: the POST itself, even empty, is the answer.
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"receives_reminders": request.user.receives_reminders},
    )
    if request.method == "POST" and form.is_valid():
        receives = form.cleaned_data["receives_reminders"]
        reminders.set_reminder_preference(
            actor=request.user, person=request.user, receives=receives
        )
        messages.success(
            request, _("Meeting reminders are on.") if receives else _("Meeting reminders are off.")
        )
        return redirect(reverse("meetings:reminder-settings"))
    return render(request, "meetings/reminder_settings.html", {"form": form})


# This module's URL patterns, gathered by concord/meetings/urls.py.
urls: list[URLPattern] = [
    path("manage/series/", series_list, name="series-list"),
    path("manage/series/new/", series_create, name="series-create"),
    path("manage/series/<int:pk>/edit/", series_edit, name="series-edit"),
    path("manage/meetings/new/", meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/cancel/", meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/move/", meeting_move, name="meeting-move"),
    path("account/reminders/", reminder_settings, name="reminder-settings"),
]
