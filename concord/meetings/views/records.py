"""A meeting's records: agenda, minutes, motions; and action items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.meetings.forms.records import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemCreateForm,
    AgendaItemForm,
    ApproveMinutesForm,
    MinutesForm,
    MotionForm,
    MoveForm,
)
from concord.meetings.models import ActionItem, AgendaItem, Meeting, Minutes
from concord.meetings.queries import meetings_visible_to
from concord.meetings.services import records as services


def _get_meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    """A meeting whose records the signed-in person may edit: 404 out of scope, else 403."""
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
    if not permissions.can_edit_meeting_records(request.user, meeting):
        raise PermissionDenied
    return meeting


def _get_item(meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=meeting
    )


def _agenda_url(meeting: Meeting) -> str:
    return reverse("meetings:agenda-edit", args=[meeting.pk])


# Agendas


@login_required
def agenda_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = AgendaItemCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.add_agenda_item(
                    actor=request.user, meeting=meeting, values=form.cleaned_data
                ),
                result_url=lambda item: _agenda_url(meeting),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Item added."))
            return redirect(url)
    items = list(meeting.agenda_items.all())
    return render(
        request,
        "meetings/agenda_edit.html",
        {
            "meeting": meeting,
            "items": items,
            "total_minutes": sum(item.minutes_allotted or 0 for item in items),
            "form": form,
        },
    )


@login_required
def agenda_item_edit(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    item = _get_item(meeting, item_pk)
    form = AgendaItemForm(request.POST or None, instance=AgendaItem.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(actor=request.user, item=item, values=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Item saved."))
            return redirect(_agenda_url(meeting))
    return render(
        request, "meetings/agenda_item_form.html", {"form": form, "meeting": meeting, "item": item}
    )


@login_required
@require_POST
def agenda_item_remove(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    item = _get_item(meeting, item_pk)
    services.remove_agenda_item(actor=request.user, item=item)
    messages.success(request, _("Item removed."))
    return redirect(_agenda_url(meeting))


@login_required
@require_POST
def agenda_item_move(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    item = _get_item(meeting, item_pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move_agenda_item(
            actor=request.user, item=item, direction=form.cleaned_data["direction"]
        )
    else:
        messages.error(request, _("Choose up or down."))
    return redirect(_agenda_url(meeting))


@login_required
@require_POST
def agenda_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    perform(
        request,
        lambda: services.publish_agenda(actor=request.user, meeting=meeting),
        success=_("Agenda published. Invitees are being emailed."),
    )
    return redirect(_agenda_url(meeting))


# Minutes and motions


@login_required
def minutes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_at_meeting").first()
    started = meeting.starts_at <= timezone.now()
    editable = started and (minutes is None or minutes.status == Minutes.Status.DRAFT)
    form = MinutesForm(request.POST or None, instance=minutes)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(
                actor=request.user, meeting=meeting, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect(reverse("meetings:minutes-edit", args=[meeting.pk]))
    approve_form = None
    if minutes is not None and minutes.status == Minutes.Status.DRAFT:
        approve_form = ApproveMinutesForm(meetings=services.approving_meetings(meeting)[:24])
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "started": started,
            "editable": editable,
            "form": form,
            "approve_form": approve_form,
            "motions": meeting.motions.order_by("pk"),
        },
    )


@login_required
@require_POST
def minutes_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    form = ApproveMinutesForm(request.POST, meetings=services.approving_meetings(meeting))
    if not form.is_valid():
        messages.error(request, _("Choose a later meeting of the same series or committee."))
    else:
        perform(
            request,
            lambda: services.approve_minutes(
                actor=request.user,
                meeting=meeting,
                approved_at=form.cleaned_data["approved_at_meeting"],
            ),
            success=_("Minutes approved."),
        )
    return redirect(reverse("meetings:minutes-edit", args=[meeting.pk]))


@login_required
def motion_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = MotionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.record_motion(
                    actor=request.user, meeting=meeting, values=form.cleaned_data
                ),
                result_url=lambda motion: reverse("meetings:minutes-edit", args=[meeting.pk]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Motion recorded."))
            return redirect(url)
    return render(request, "meetings/minutes_motion_form.html", {"form": form, "meeting": meeting})


# Action items


@login_required
def meeting_action_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ActionItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.create_action_item(
                    actor=request.user, meeting=meeting, values=form.cleaned_data
                ),
                result_url=lambda item: reverse("meetings:minutes-edit", args=[meeting.pk]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action item added."))
            return redirect(url)
    return render(
        request,
        "meetings/action_form.html",
        {"form": form, "meeting": meeting, "committee": None},
    )


@login_required
@require_safe
def action_list(request: AuthenticatedRequest) -> HttpResponse:
    items = (
        ActionItem.objects.filter(owner=request.user, status=ActionItem.Status.OPEN)
        .select_related("committee", "meeting")
        .order_by("due_on", "pk")
    )
    return render(
        request, "meetings/action_list.html", {"items": items, "today": timezone.localdate()}
    )


@login_required
@require_POST
def action_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem.objects.select_related("committee"), pk=pk)
    if not permissions.can_change_action_item(request.user, item):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
    else:
        perform(
            request,
            lambda: services.change_action_item_status(
                actor=request.user, item=item, status=form.cleaned_data["status"]
            ),
            success=_("Action item updated."),
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):
        return redirect(back)
    return redirect(reverse("meetings:action-list"))


urls: list[URLPattern] = [
    path("meetings/<int:pk>/agenda/", agenda_edit, name="agenda-edit"),
    path(
        "meetings/<int:pk>/agenda/items/<int:item_pk>/",
        agenda_item_edit,
        name="agenda-item-edit",
    ),
    path(
        "meetings/<int:pk>/agenda/items/<int:item_pk>/remove/",
        agenda_item_remove,
        name="agenda-item-remove",
    ),
    path(
        "meetings/<int:pk>/agenda/items/<int:item_pk>/move/",
        agenda_item_move,
        name="agenda-item-move",
    ),
    path("meetings/<int:pk>/agenda/publish/", agenda_publish, name="agenda-publish"),
    path("meetings/<int:pk>/minutes/", minutes_edit, name="minutes-edit"),
    path("meetings/<int:pk>/minutes/approve/", minutes_approve, name="minutes-approve"),
    path("meetings/<int:pk>/motions/new/", motion_create, name="motion-create"),
    path(
        "meetings/<int:pk>/action-items/new/", meeting_action_create, name="meeting-action-create"
    ),
    path("action-items/", action_list, name="action-list"),
    path("action-items/<int:pk>/status/", action_status, name="action-status"),
]
