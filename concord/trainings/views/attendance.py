"""Recording who attended a training session: its trainers and coordinators, once it has
started, in one POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.trainings.forms.attendance import FIELD_PREFIX, AttendanceForm
from concord.trainings.models import TrainingSession
from concord.trainings.queries import sessions_visible_to
from concord.trainings.services import attendance as services


def run_session(request: AuthenticatedRequest, pk: int) -> TrainingSession:
    """A session the person may see (404 otherwise) and runs (403 otherwise)."""
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    if not permissions.can_run_training_session(request.user, session):
        raise PermissionDenied
    return session


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = run_session(request, pk)
    registrations = list(services.roster(session))
    form = AttendanceForm(request.POST or None, registrations=registrations)
    started = services.has_started(session)
    if request.method == "POST":
        if not started:
            form.add_error(None, _("Attendance can be recorded once the session has started."))
        elif form.is_valid():
            try:
                result = services.record_attendance(
                    actor=request.user, session=session, attended=form.attended()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Attendance saved. Certificates issued: %(issued)s; revoked: %(revoked)s.")
                    % {"issued": len(result.issued), "revoked": result.revoked},
                )
                return redirect("trainings:attendance-record", pk=session.pk)
    return render(
        request,
        "trainings/attendance/attendance_record.html",
        {
            "session": session,
            "form": form,
            "rows": [(form[f"{FIELD_PREFIX}{r.pk}"], r) for r in registrations],
            "attended_count": sum(1 for r in registrations if r.attended),
            "has_started": started,
        },
    )


urls: list[URLPattern] = [
    path("trainings/sessions/<int:pk>/attendance/", attendance_record, name="attendance-record"),
]
