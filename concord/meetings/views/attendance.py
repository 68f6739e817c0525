import csv
import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from concord.core import permissions
from concord.core.actions import perform
from concord.core.exports import neutralise
from concord.core.http import AuthenticatedRequest
from concord.meetings.forms.attendance import AttendanceForm
from concord.meetings.models import Attendance, Meeting
from concord.meetings.queries import invitees, meetings_visible_to
from concord.meetings.queries_participation import (
    SORTS,
    coalition_meetings_held,
    participation,
)
from concord.meetings.services import attendance as services

PAGE_SIZE = 25


def _get_meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    return get_object_or_404(meetings_visible_to(request.user), pk=pk)


def _managed_meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    meeting = _get_meeting(request, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


@login_required
def attendance_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    people = list(invitees(meeting).order_by("full_name", "email"))
    recorded = dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status"))
    form = AttendanceForm(request.POST or None, people=people, recorded=recorded)
    if request.method == "POST":
        if not services.has_started(meeting):
            form.add_error(None, _("Attendance can be recorded once the meeting has started."))
        elif form.is_valid():
            try:
                services.record_attendance(
                    actor=request.user, meeting=meeting, statuses=form.statuses()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("meetings:attendance-record", pk=meeting.pk)
    check_in_url = ""
    if meeting.check_in_token:
        check_in_url = request.build_absolute_uri(
            reverse("meetings:check-in", args=[meeting.pk, meeting.check_in_token])
        )
    return render(
        request,
        "meetings/attendance_record.html",
        {
            "meeting": meeting,
            "form": form,
            "people_count": len(people),
            "present_count": sum(1 for status in recorded.values() if status == "present"),
            "has_started": services.has_started(meeting),
            "is_check_in_time": services.is_check_in_time(meeting),
            "check_in_url": check_in_url,
        },
    )


@login_required
@require_POST
def check_in_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    perform(
        request,
        lambda: services.open_check_in(actor=request.user, meeting=meeting),
        success=_("Check-in is open."),
    )
    return redirect("meetings:attendance-record", pk=meeting.pk)


@login_required
@require_POST
def check_in_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    services.close_check_in(actor=request.user, meeting=meeting)
    messages.success(request, _("Check-in is closed."))
    return redirect("meetings:attendance-record", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request: AuthenticatedRequest, pk: int, token: str) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    # A wrong, closed or out-of-time link looks the same as a missing meeting.
    if not (
        meeting.check_in_token
        and hmac.compare_digest(meeting.check_in_token.encode(), token.encode())
        and services.is_check_in_time(meeting)
    ):
        raise Http404
    if not invitees(meeting).filter(pk=request.user.pk).exists():
        raise PermissionDenied
    if request.method == "POST":
        perform(
            request,
            lambda: services.check_in(actor=request.user, meeting=meeting),
            success=_("You are checked in."),
        )
        return redirect(request.path)
    checked_in = Attendance.objects.filter(
        meeting=meeting, person=request.user, status=Attendance.Status.PRESENT
    ).exists()
    return render(
        request,
        "meetings/attendance_check_in.html",
        {"meeting": meeting, "checked_in": checked_in},
    )


@login_required
@require_safe
def participation_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_participation(request.user):
        raise PermissionDenied
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    now = timezone.now()
    held = coalition_meetings_held(now)
    agencies = participation(sort=sort, now=now, held=held)
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/participation_list.html",
        {"page": page, "sort": sort, "held": held},
    )


@login_required
@require_safe
def participation_csv(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_participation(request.user):
        raise PermissionDenied
    now = timezone.now()
    held = coalition_meetings_held(now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participation.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Agency"),
            _("Coalition meetings attended"),
            _("Coalition meetings held"),
            _("Coalition meetings committed"),
            _("Committee meetings attended"),
            _("Committees joined"),
            _("Committees committed"),
            _("Below commitment"),
        ]
    )
    for agency in participation(sort="name", now=now, held=held):
        row = vars(agency)  # the annotations, which the type checker does not know
        figures = (
            agency.name,
            row["coalition_attended"],
            held,
            row["coalition_expected"],
            row["committee_attended"],
            row["committees_joined"],
            row["committed_committees"],
        )
        below = _("yes") if row["below_commitment"] else _("no")
        writer.writerow([*map(neutralise, figures), below])
    return response


urls: list[URLPattern] = [
    path("meetings/<int:pk>/attendance/", attendance_record, name="attendance-record"),
    path("meetings/<int:pk>/check-in/open/", check_in_open, name="check-in-open"),
    path("meetings/<int:pk>/check-in/close/", check_in_close, name="check-in-close"),
    path("meetings/<int:pk>/check-in/<str:token>/", check_in, name="check-in"),
    path("manage/participation/", participation_list, name="participation-list"),
    path("manage/participation.csv", participation_csv, name="participation-csv"),
]
