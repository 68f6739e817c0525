from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks() -> None:
    """Run every queued background task through django-tasks' own worker code.

    The ``db_worker`` command itself closes database connections between tasks, which a
    test's transaction cannot survive, so this drives its ``Worker.run_task`` directly.
    A task that fails makes the test fail with its traceback.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.claim("tests")
        worker.run_task(result)
        result.refresh_from_db()
        assert not result.traceback, result.traceback
