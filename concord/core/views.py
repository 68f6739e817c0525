import datetime
import errno
import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_safe

logger = logging.getLogger("concord.health")


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """One database round trip: the floor that the benchmark compares every page with."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """For monitors: the database answers, and the task queue is being worked (no task has
    waited longer than ``TASK_QUEUE_MAX_WAIT_SECONDS`` since it was due). 503 otherwise."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    checks = {"database": "ok", "tasks": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        overdue = timezone.now() - datetime.timedelta(seconds=settings.TASK_QUEUE_MAX_WAIT_SECONDS)
        # A task without a delay has the far-future sentinel as run_after: due on enqueue.
        waiting = Q(run_after=get_date_max(), enqueued_at__lt=overdue) | Q(run_after__lt=overdue)
        if DBTaskResult.objects.ready().filter(waiting).exists():
            checks["tasks"] = "stalled"
    except DatabaseError as error:
        logger.error("Readiness check: the database did not answer (%s).", type(error).__name__)
        checks = {"database": "unavailable", "tasks": "unknown"}
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context processors: the failure may be the database.
    error = sys.exc_info()[1]
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        # A full disk while receiving or storing a file: nothing half-written was kept
        # (concord.core.files), and the person is told so.
        logger.error("The disk is full: a request could not store its file.")
        content = loader.render_to_string("507.html", {"coalition": None})
        return HttpResponse(content, status=507)
    if isinstance(error, OperationalError | InterfaceError):
        # The database is down or unreachable: a temporary state, said as such. Django opens
        # a new connection on the next request, so the site recovers by itself.
        content = loader.render_to_string("503.html", {"coalition": None})
        response = HttpResponse(content, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.render_to_string("500.html", {"coalition": None}), status=500)
