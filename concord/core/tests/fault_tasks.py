"""A job for the worker fault test: it sends an email, then waits to be killed (on its
first run only). In a module of its own so the real worker process can import it."""

import time
from pathlib import Path

from django.core.mail import send_mail
from django_tasks import task


@task()
def mail_then_wait(address: str, marker: str) -> None:
    first_run = not Path(marker).exists()
    send_mail("A seat is yours", "Someone cancelled: the seat is yours.", None, [address])
    Path(marker).touch()
    if first_run:
        time.sleep(120)  # the test kills the worker here
