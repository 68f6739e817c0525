"""The task worker killed in the middle of a job (issue 10): the job runs again and its
email goes out once. A real `manage.py db_worker` process, killed with SIGKILL."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from concord.core.models import QueuedEmail
from concord.core.tasks import requeue_stalled_tasks
from concord.core.tests.fault_tasks import mail_then_wait
from tests.mail import Mailbox

ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    return (
        f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or '127.0.0.1'}"
        f":{config['PORT'] or 5432}/{config['NAME']}"
    )


def worker(*arguments: str, mail_port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
    }
    return subprocess.Popen(  # noqa: S603 (this project's own command)
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *arguments,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_job_runs_again_and_its_email_goes_out_once(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    marker = tmp_path / "sent"
    result = mail_then_wait.enqueue("seat@example.org", str(marker))
    port = int(settings.EMAIL_PORT)

    first = worker(mail_port=port)
    try:
        wait_for(lambda: marker.exists() and len(smtp_server.messages) == 1)
    finally:
        first.send_signal(signal.SIGKILL)  # no chance to record anything
        first.communicate(timeout=30)

    job = DBTaskResult.objects.get(id=result.id)
    assert job.status == TaskResultStatus.RUNNING  # left behind by the killed worker
    assert requeue_stalled_tasks(now=timezone.now()) == 0  # not stale yet
    assert requeue_stalled_tasks(now=timezone.now() + datetime.timedelta(hours=2)) == 1

    second = worker("--batch", mail_port=port)
    output, _ = second.communicate(timeout=120)

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, output
    assert len(smtp_server.messages) == 1  # the rerun found its message already sent
    assert smtp_server.messages[0]["Subject"] == "A seat is yours"
    sent = QueuedEmail.objects.get()
    assert sent.key == f"{result.id}:0"
    assert sent.sent_at is not None
    assert sent.message == ""  # delivered: the content is gone
