import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from concord.core.mail import deliver_queued

logger = logging.getLogger("concord.tasks")


@task()
def deliver_queued_email() -> dict[str, int]:
    """Every scheduler pass: send the messages that wait for the mail server."""
    return deliver_queued()


def requeue_stalled_tasks(*, now: datetime.datetime | None = None) -> int:
    """Put back in the queue the jobs whose worker was killed while running them.

    django-tasks leaves such a job "running" for ever. After ``TASK_STALE_SECONDS`` (longer
    than any job takes) it is made ready again, and a worker runs it from the start; jobs
    are written to be safe to run twice, and their email goes out once (concord.core.mail).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_STALE_SECONDS)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("Requeued %s job(s) whose worker stopped while running them.", count)
    return count
