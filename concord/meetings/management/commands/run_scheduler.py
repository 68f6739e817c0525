"""The periodic scheduler: queues the meetings' background jobs for the task worker."""

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from concord.meetings.tasks import scheduler_pass


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs (due reminders on every pass; the meeting horizon and the "
        "archive of expired sub-committees once a day) for the task worker. Safe to run "
        "twice at once: every reminder is recorded before it is sent, so it goes out once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=300, help="Seconds between passes (300)."
        )
        parser.add_argument("--once", action="store_true", help="Run one pass and stop.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        last_daily: datetime.date | None = None
        while True:
            last_daily = scheduler_pass(today=timezone.localdate(), last_daily=last_daily)
            if once:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            # A long-lived process: drop connections the database may have timed out.
            close_old_connections()
