"""`make bench-trainings`: 200 people confirming their registration at the same moment
for the last 30 seats of a training session, on SQLite and on PostgreSQL (issue 7).

For each database: migrate a fresh one, and write into it (in a subprocess with the
server's settings, ``python -m bench.trainings prepare``) a session with 30 seats left and
200 public registrations waiting for their email confirmation, with each one's signed
confirmation link. Serve it with gunicorn (2 workers, production settings) on 127.0.0.1.
Each person, from their own loopback address, opens their link (the page with the confirm
button, which sets the CSRF cookie), waits at a barrier, and all the confirmations are
posted at once. Afterwards the database must hold 30 more seats and 170 on the waitlist;
no response may be a 5xx (or anything but the confirmation page) and the server's log may
not say "database is locked". Writes var/bench/trainings.json and .md; the exit status is
1 unless the counts are 30 / 170 / 0 errors on every database.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATABASES = ("sqlite", "postgresql")
PEOPLE, SEATS_LEFT, TAKEN = 200, 30, 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.trainings", description=__doc__)
    parser.add_argument("--people", type=int, default=PEOPLE, help="at once (default 200)")
    parser.add_argument("--seats", type=int, default=SEATS_LEFT, help="left (default 30)")
    parser.add_argument(
        "--databases",
        default=",".join(DATABASES),
        help=f"comma-separated, of {', '.join(DATABASES)} (default both)",
    )
    parser.add_argument("--out", type=Path, default=None, help="where trainings.* go")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not args.databases or set(args.databases) - set(DATABASES):
        parser.error(f"databases must be among {', '.join(DATABASES)}")
    # One loopback address per person, 127.0.0.2 up to 127.0.0.254.
    if not 1 <= args.people <= 253 or not 1 <= args.seats <= args.people:
        parser.error("people must be 1 to 253, seats 1 to people")
    return args


# The Django side, run in a subprocess with the server's settings and database.


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare(people: int, seats: int, out_path: str) -> int:
    """A session with ``seats`` seats left and ``people`` pending registrations; writes
    the session's id and each registration's confirmation path."""
    _django()
    from django.urls import reverse
    from django.utils import timezone

    from concord.trainings.models import (
        Registration,
        RegistrationStatus,
        Training,
        TrainingSession,
    )
    from concord.trainings.services.registration import Purpose, make_token

    now = timezone.now()
    training = Training.objects.create(
        title="Bench: recognizing human trafficking", summary="Benchmark.", length_minutes=120
    )
    starts = now + datetime.timedelta(days=14)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=TAKEN + seats,
        registration_deadline=starts - datetime.timedelta(days=1),
        location="1025 Escobar St, Martinez",
    )
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    Registration.objects.bulk_create(
        Registration(
            session=session,
            name=f"Seated {index}",
            email=f"{prefix}-seated{index}@example.org",
            sector="health_care",
            status=RegistrationStatus.REGISTERED,
            queued_at=now,
        )
        for index in range(TAKEN)
    )
    pending = Registration.objects.bulk_create(
        Registration(
            session=session,
            name=f"Person {index}",
            email=f"{prefix}-p{index}@example.org",
            sector="health_care",
            status=RegistrationStatus.PENDING,
        )
        for index in range(people)
    )
    paths = [
        reverse("trainings:registration-confirm", args=[make_token(row, Purpose.CONFIRM)])
        for row in Registration.objects.filter(pk__in=[row.pk for row in pending]).order_by("pk")
    ]
    Path(out_path).write_text(json.dumps({"session": session.pk, "paths": paths}))
    return 0


def count(session_id: int, out_path: str) -> int:
    _django()
    from django.db.models import Count

    from concord.trainings.models import Registration

    rows = Registration.objects.filter(session_id=session_id).values("status")
    counts = {row["status"]: row["n"] for row in rows.annotate(n=Count("id"))}
    Path(out_path).write_text(json.dumps(counts))
    return 0


# The client side.


@dataclass
class Person:
    path: str
    browser: Any
    form: list[tuple[str, str]] | None = None
    status: int | None = None
    ms: float | None = None
    finished_at: float | None = None
    error: str | None = None


@dataclass
class Run:
    database: str
    people: int
    seats: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    p95_ms: float | None = None
    server_errors: int = 0
    other_errors: int = 0
    database_locked: int = 0
    samples: list[str] = field(default_factory=list)

    @property
    def registered(self) -> int:
        return self.counts.get("registered", 0) - TAKEN

    @property
    def waitlisted(self) -> int:
        return self.counts.get("waitlisted", 0)

    @property
    def errors(self) -> int:
        return self.server_errors + self.other_errors + self.database_locked

    @property
    def ok(self) -> bool:
        return (self.registered, self.waitlisted, self.errors) == (
            self.seats,
            self.people - self.seats,
            0,
        )


def confirm_all(base_url: str, paths: list[str]) -> tuple[list[Person], float]:
    """Everyone opens their link, then all confirm at once. Returns the people and the
    seconds from the barrier to the last response."""
    from bench.applicants import source_address
    from bench.browser import Browser, Tally
    from bench.htmlforms import find_form, parse_forms

    tally = Tally()
    people = [
        Person(path, Browser(base_url, source_address(i), tally)) for i, path in enumerate(paths)
    ]
    released: list[float] = []
    barrier = threading.Barrier(
        len(people), action=lambda: released.append(time.perf_counter()), timeout=600
    )

    def walk(person: Person) -> None:
        try:
            page = person.browser.request("GET", person.path)
            if page.status != 200:
                raise RuntimeError(f"HTTP {page.status} for the confirmation page")
            form = find_form(parse_forms(page.body), base_url + person.path, person.path)
            person.form = form.fill({})
        except Exception as error:  # any failure must still reach the barrier below
            person.error = f"open: {type(error).__name__}: {error}"
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            person.error = person.error or "the barrier broke"
            return
        if person.form is None:
            return
        try:
            response = person.browser.request("POST", person.path, person.form)
        except (OSError, http.client.HTTPException) as error:
            person.error = f"confirm: {type(error).__name__}: {error}"
            return
        person.finished_at = time.perf_counter()
        person.status, person.ms = response.status, response.ms
        if response.status != 200 or "Registration confirmed" not in response.body:
            person.error = f"confirm: HTTP {response.status}"

    threads = [threading.Thread(target=walk, args=(p,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ends = [p.finished_at for p in people if p.finished_at is not None]
    last = max(ends, default=time.perf_counter())
    return people, last - (released[0] if released else last)


def _django_step(args: list[str], env: dict[str, str], url: str, out: Path) -> dict[str, Any]:
    from bench.seed import BASE_DIR

    subprocess.run(
        [sys.executable, "-m", "bench.trainings", *args, str(out)],
        cwd=BASE_DIR,
        env={**env, "DATABASE_URL": url},
        check=True,
        stdin=subprocess.DEVNULL,
    )
    result: dict[str, Any] = json.loads(out.read_text())
    return result


@contextlib.contextmanager
def database_for(kind: str, env: dict[str, str], work_dir: Path) -> Iterator[str]:
    """A freshly migrated, empty database of ``kind``, as a URL: this benchmark brings
    its own session, so it does not need the demo."""
    from bench.postgres import Postgres
    from bench.seed import BASE_DIR, sqlite_url

    def migrate(url: str) -> None:
        for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=BASE_DIR,
                env={**env, "DATABASE_URL": url},
                check=True,
                stdin=subprocess.DEVNULL,
            )

    if kind == "sqlite":
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="trainings-") as temp:
            url = sqlite_url(Path(temp) / "trainings.sqlite3")
            migrate(url)
            yield url
        return
    print("[bench] starting a throwaway PostgreSQL cluster ...", flush=True)
    with Postgres() as postgres:
        migrate(postgres.url)
        yield postgres.url


def bench_database(
    kind: str, args: argparse.Namespace, env: dict[str, str], processes: Any, work_dir: Path
) -> Run:
    from bench.applicants import locked_lines
    from bench.server import Gunicorn

    log_path = work_dir / f"gunicorn-trainings-{kind}.log"
    log_path.unlink(missing_ok=True)
    run = Run(database=kind, people=args.people, seats=args.seats)
    with (
        database_for(kind, env, work_dir) as url,
        tempfile.TemporaryDirectory(dir=work_dir) as temp,
    ):
        plan = _django_step(
            ["prepare", str(args.people), str(args.seats)], env, url, Path(temp) / "plan.json"
        )
        with Gunicorn(processes, url, env, log_path, capture_output=True) as server:
            print(f"[bench] {kind}: gunicorn at {server.url}", flush=True)
            people, seconds = confirm_all(server.url, plan["paths"])
        run.seconds = seconds
        times = sorted(p.ms for p in people if p.ms is not None)
        run.p95_ms = times[max(0, int(len(times) * 0.95) - 1)] if times else None
        run.server_errors = sum(1 for p in people if p.status is not None and p.status >= 500)
        run.other_errors = sum(1 for p in people if p.error) - run.server_errors
        run.samples = [p.error for p in people if p.error][:3]
        run.database_locked = locked_lines(log_path)
        run.counts = _django_step(["count", str(plan["session"])], env, url, Path(temp) / "n.json")
    print(
        f"[bench] {kind}: {run.registered} registered, {run.waitlisted} waitlisted, "
        f"{run.errors} errors in {run.seconds:.2f} s",
        flush=True,
    )
    return run


def render_markdown(runs: list[Run], date: str, machine: str) -> str:
    lines = [
        "# Trainings benchmark",
        "",
        f"{date}, {machine}. {runs[0].people if runs else PEOPLE} people confirm at once for "
        f"the last {runs[0].seats if runs else SEATS_LEFT} seats; gunicorn, 2 workers.",
        "",
        "| database | registered | waitlisted | errors | seconds | p95 ms | ok |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        p95 = f"{run.p95_ms:.0f}" if run.p95_ms is not None else "-"
        lines.append(
            f"| {run.database} | {run.registered} | {run.waitlisted} | {run.errors} | "
            f"{run.seconds:.2f} | {p95} | {'yes' if run.ok else 'NO'} |"
        )
    for run in runs:
        lines += [f"- {run.database}: {sample}" for sample in run.samples]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import machine_description
    from bench.seed import BENCH_DIR
    from bench.server import Processes, bench_env, ensure_static, handle_termination

    args = parse_args(argv)
    out = args.out or BENCH_DIR
    out.mkdir(parents=True, exist_ok=True)
    work_dir = BENCH_DIR / "server"
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    processes = Processes()
    runs: list[Run] = []
    with handle_termination():
        try:
            for kind in args.databases:
                ensure_static(work_dir, env)
                runs.append(bench_database(kind, args, env, processes, work_dir))
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        finally:
            processes.stop_all()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = {
        "date": date,
        "ok": all(run.ok for run in runs),
        "runs": [
            {
                "database": run.database,
                "people": run.people,
                "seats": run.seats,
                "registered": run.registered,
                "waitlisted": run.waitlisted,
                "errors": run.errors,
                "server_errors": run.server_errors,
                "database_locked": run.database_locked,
                "seconds": round(run.seconds, 3),
                "p95_ms": run.p95_ms,
                "ok": run.ok,
            }
            for run in runs
        ],
    }
    markdown = render_markdown(runs, date, machine_description())
    (out / "trainings.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "trainings.md").write_text(markdown)
    print()
    print(markdown)
    if not report["ok"]:
        print("[bench] the trainings benchmark FAILED: see the counts above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        sys.exit(prepare(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
    if len(sys.argv) > 1 and sys.argv[1] == "count":
        sys.exit(count(int(sys.argv[2]), sys.argv[3]))
    sys.exit(main())
