from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from concord.backups.queries import STALE_AFTER, backup_status, recent_runs
from concord.core import permissions
from concord.core.http import AuthenticatedRequest


@login_required
@require_safe
def backup_overview(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_view_backups(request.user):
        raise PermissionDenied
    return render(
        request,
        "backups/backup_overview.html",
        {
            "status": backup_status(),
            "runs": recent_runs(),
            "stale_hours": int(STALE_AFTER.total_seconds() // 3600),
        },
    )


urlpatterns = [path("manage/backups/", backup_overview, name="backup-overview")]
