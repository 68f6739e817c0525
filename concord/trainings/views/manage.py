"""Coordinators' pages: the trainings and sessions list, the training and session forms,
cancelling a session, and the roster (for coordinators and the training's trainers)."""

import csv
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from concord.audit.services import record_event
from concord.core import permissions
from concord.core.exports import neutralise
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.trainings import queries
from concord.trainings.forms.catalogue import SessionForm, TrainingForm
from concord.trainings.models import RegistrationStatus, Training, TrainingSession
from concord.trainings.services import catalogue


def _require_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_trainings(request.user):
        raise PermissionDenied


@login_required
@require_safe
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    return render(
        request,
        "trainings/manage/manage_list.html",
        {
            "trainings": Training.objects.order_by("title", "pk"),
            "sessions": queries.managed_sessions(),
            "now": timezone.now(),
        },
    )


def _training_form_page(request: AuthenticatedRequest, training: Training | None) -> HttpResponse:
    form = TrainingForm(request.POST or None, instance=training)
    if request.method == "POST" and form.is_valid():
        saved = catalogue.save_training(
            actor=request.user,
            training=training,
            values=form.cleaned_data,
            trainers=form.cleaned_data["trainers"],
            trainer_agencies=form.cleaned_data["trainer_agencies"],
        )
        messages.success(request, _("The training is saved."))
        if training is None:
            # A new training has no sessions yet: schedule the first.
            return redirect("trainings:session-create", saved.pk)
        return redirect(saved)
    return render(
        request, "trainings/manage/training_form.html", {"form": form, "training": training}
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    return _training_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    training = get_object_or_404(Training, pk=pk)
    return _training_form_page(request, training)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    training = get_object_or_404(Training, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = catalogue.create_session(
            actor=request.user, training=training, values=form.session_values()
        )
        messages.success(request, _("The session is scheduled."))
        return redirect(session)
    return render(
        request,
        "trainings/manage/session_form.html",
        {"form": form, "training": training, "session": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    session = get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)
    form = SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = catalogue.update_session(
                actor=request.user, session=session, values=form.session_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect(session)
    return render(
        request,
        "trainings/manage/session_form.html",
        {"form": form, "training": session.training, "session": session},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    session = get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)
    if request.method == "POST":
        try:
            catalogue.cancel_session(actor=request.user, session=session)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The session is cancelled; everyone registered is told by email.")
            )
        return redirect(session)
    zone = ZoneInfo(session.time_zone)
    return render(
        request,
        "trainings/manage/session_cancel.html",
        {"session": session, "starts": session.starts_at.astimezone(zone)},
    )


def _roster_session(request: AuthenticatedRequest, pk: int) -> TrainingSession:
    session = get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)
    if not permissions.can_see_training_roster(request.user, session):
        raise PermissionDenied
    return session


@login_required
@require_safe
def session_roster(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _roster_session(request, pk)
    rows = list(queries.roster(session))
    groups = [
        (label, [row for row in rows if row.status == value])
        for value, label in RegistrationStatus.choices
    ]
    zone = ZoneInfo(session.time_zone)
    return render(
        request,
        "trainings/manage/roster.html",
        {"session": session, "groups": groups, "starts": session.starts_at.astimezone(zone)},
    )


@login_required
@require_safe
def session_roster_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _roster_session(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-roster.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Email"), _("Agency or affiliation"), _("Sector"), _("Status"), _("Since")]
    )
    for row in queries.roster(session):
        writer.writerow(
            [
                neutralise(value)
                for value in (
                    row.name,
                    row.email,
                    row.affiliation,
                    row.get_sector_display(),
                    row.get_status_display(),
                    row.queued_at.isoformat() if row.queued_at else "",
                )
            ]
        )
    record_event(
        actor=request.user,
        action="concord.training.roster.exported",
        target=session,
        data={},
    )
    return response


urls: list[URLPattern] = [
    path("trainings/manage/", manage_list, name="manage-list"),
    path("trainings/manage/new/", training_create, name="training-create"),
    path("trainings/manage/<int:pk>/edit/", training_edit, name="training-edit"),
    path("trainings/manage/<int:pk>/sessions/new/", session_create, name="session-create"),
    path("trainings/manage/sessions/<int:pk>/edit/", session_edit, name="session-edit"),
    path("trainings/manage/sessions/<int:pk>/cancel/", session_cancel, name="session-cancel"),
    path("trainings/sessions/<int:pk>/roster/", session_roster, name="session-roster"),
    path("trainings/sessions/<int:pk>/roster.csv", session_roster_csv, name="session-roster-csv"),
]
