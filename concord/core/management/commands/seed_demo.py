import importlib
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

# Each app that has demo data provides demo.seed(scale=, rng=); order follows dependencies.
DEMO_MODULES = [
    "concord.coalition.demo",
    "concord.agencies.demo",
    "concord.accounts.demo",
    "concord.meetings.demo",
    "concord.membership.demo",
    "concord.directory.demo",
    "concord.referrals.demo",
    "concord.trainings.demo",
    "concord.trainings.demo_completion",
    "concord.awareness.demo",
    "concord.assistance.demo",
    "concord.library.demo",
    "concord.forum.demo",
]


class Command(BaseCommand):
    help = "Load the demo coalition. Idempotent: a second run adds only what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the demo's rows by this factor (the benchmark uses 1 and 100).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, scale: int, quiet_logins: bool, **options: Any) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        rng = random.Random(2026)  # noqa: S311 (demo data, the same on every machine)
        with transaction.atomic():
            for name in DEMO_MODULES:
                for line in importlib.import_module(name).seed(scale=scale, rng=rng):
                    self.stdout.write(line)
        if not quiet_logins:
            from concord.accounts.demo import login_lines

            self.stdout.write("\n".join(login_lines()))
