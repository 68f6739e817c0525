from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "concord.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_tasks.signals import task_finished, task_started

        from concord.core import (
            checks,  # noqa: F401  (registers the system checks)
            mail,
        )

        # Mail sent by a background task is keyed by the task, so a rerun sends it once.
        task_started.connect(mail.task_started, dispatch_uid="concord-mail-task-started")
        task_finished.connect(mail.task_finished, dispatch_uid="concord-mail-task-finished")
