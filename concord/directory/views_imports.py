"""Imports of HSDS data by upload (issue 5), for coordinators: the list of runs, the
upload form and each run's progress page, which refreshes itself without JavaScript
until the run ends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import earlier_submission_url
from concord.directory.forms_imports import ImportUploadForm
from concord.directory.models import ImportRun
from concord.directory.services import import_runs

RUNS_LISTED = 50


def _check(request: AuthenticatedRequest) -> None:
    if not permissions.can_import_directory(request.user):
        raise PermissionDenied


@login_required
@require_safe
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    _check(request)
    runs = ImportRun.objects.select_related("uploaded_by")[:RUNS_LISTED]
    return render(request, "directory/imports/import_list.html", {"runs": runs})


@login_required
def import_create(request: AuthenticatedRequest) -> HttpResponse:
    _check(request)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.checked is not None:
        url = import_runs.queue_import(
            actor=request.user, upload=form.checked, token=form.cleaned_data["submission_token"]
        )
        messages.success(request, _("File received: the import runs in the background."))
        return redirect(url)
    return render(request, "directory/imports/import_form.html", {"form": form})


@login_required
@require_safe
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _check(request)
    run = get_object_or_404(ImportRun.objects.select_related("uploaded_by"), pk=pk)
    # Refreshing by itself is a time limit of sorts (WCAG 2.2.1): people may turn it off.
    refresh = not run.is_finished and request.GET.get("refresh") != "off"
    return render(request, "directory/imports/import_detail.html", {"run": run, "refresh": refresh})
