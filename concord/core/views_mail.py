"""The coordinators' view of the mail queue: what waits for the mail server, and why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.audit.services import record_event
from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.core.models import QueuedEmail

LIST_LIMIT = 100


def waiting_email() -> dict[str, object]:
    """Counts and the oldest waiting messages; never a recipient or a subject."""
    waiting = QueuedEmail.objects.filter(sent_at__isnull=True)
    summary = waiting.aggregate(count=Count("id"), oldest=Min("queued_at"))
    return {
        "count": summary["count"],
        "oldest": summary["oldest"],
        "rows": list(
            waiting.order_by("queued_at", "id").only(
                "queued_at", "attempts", "next_attempt_at", "last_error"
            )[:LIST_LIMIT]
        ),
    }


@login_required
@require_safe
def email_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_view_email_queue(request.user):
        raise PermissionDenied
    return render(request, "core/email_queue.html", {**waiting_email(), "limit": LIST_LIMIT})


@login_required
@require_POST
def email_queue_retry(request: AuthenticatedRequest) -> HttpResponse:
    """Make every waiting message due now and queue a delivery, instead of waiting for
    the back-off (after the mail server is known to be back)."""
    if not permissions.can_view_email_queue(request.user):
        raise PermissionDenied
    from concord.core.tasks import deliver_queued_email

    count = QueuedEmail.objects.filter(sent_at__isnull=True).update(next_attempt_at=timezone.now())
    deliver_queued_email.enqueue()
    record_event(
        actor=request.user, action="concord.core.email_queue_retried", data={"count": count}
    )
    messages.success(request, _("The waiting messages will be tried again in a moment."))
    return redirect("core:email-queue")


urls: list[URLPattern] = [
    path("manage/email-queue/", email_queue, name="email-queue"),
    path("manage/email-queue/retry/", email_queue_retry, name="email-queue-retry"),
]
