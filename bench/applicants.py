"""`make bench-applicants`: 50 applicants submitting the membership application at the
same moment, ten rounds, on SQLite and on PostgreSQL (issue 4).

For each database: seed the demo (scale 1), serve it with gunicorn (2 workers, production
settings) on 127.0.0.1, and run the rounds. In each round every applicant walks the public
flow (the start page, each step, the review page) with a browser's cookies and the forms'
hidden fields, waits at a barrier, and all the final submits go at once. Right before each
round, a slice of the floor: /health/ from as many threads as applicants, starting together.
Afterwards the database must hold every application exactly once, submitted once; no
response may be a 5xx and the server's log may not say "database is locked". Writes
var/bench/applicants.json and .md; any failure makes the exit status 1.

Each applicant connects from its own loopback address (127.0.0.2, 127.0.0.3, ...): the
start form is limited per IP address (MEMBERSHIP_RATE_PER_IP starts an hour, so at most
that many rounds), and real applicants come from different ones.
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
from dataclasses import dataclass
from pathlib import Path

from bench.__main__ import machine_description
from bench.applicants_report import Check, Run, build_report, render_markdown, render_text
from bench.browser import Browser, FlowError, Tally
from bench.htmlforms import FIRST, Answer, find_form, parse_forms
from bench.postgres import Postgres
from bench.seed import BASE_DIR, BENCH_DIR, ensure_seeded, seed_into, working_copy
from bench.server import (
    HOST,
    WORKERS,
    Gunicorn,
    Processes,
    bench_env,
    ensure_static,
    handle_termination,
)

DATABASES = ("sqlite", "postgresql")
START, REVIEW, SUBMIT, STATUS = "/apply/", "/apply/review/", "/apply/submit/", "/apply/status/"
STEP_PREFIX = "/apply/step/"
# The answers of every step, by field name (shell patterns for the values' repeated fields).
# Fields not named here keep what the page rendered: hidden tokens, today's date.
ANSWERS: dict[str, Answer] = {
    "homepage": "",  # the honeypot stays empty, as a person leaves it
    "action": "next",
    "legal_name": "Harbor Light Community Services",
    "sector": FIRST,
    "street_address": "100 Main Street",
    "city": "Martinez",
    "postal_code": "94553",
    "whole_county": True,
    "service_cities": "",
    "website": "https://harborlight.example.org",
    "phone": "925-555-0100",
    "description": "Case management and shelter referrals for survivors of trafficking.",
    "primary_name": "Dana Rivera",
    "primary_title": "Executive Director",
    "primary_email": "dana@harborlight.example.org",
    "primary_phone": "925-555-0101",
    "primary_language": FIRST,
    "alternate_name": "Sam Okafor",
    "alternate_title": "Program Manager",
    "alternate_email": "sam@harborlight.example.org",
    "alternate_phone": "925-555-0102",
    "alternate_language": FIRST,
    "committees": FIRST,
    "agrees_to_attend": True,
    "agrees_to_committee": True,
    "hours_per_month": "6",
    "affirm_*": True,
    "practice_*": "Our staff train on it every year and our intake follows it.",
    "agrees_to_confidentiality": True,
    "signature_name": "Dana Rivera",
    "signature_title": "Executive Director",
}
MAX_STEPS = 12  # more step pages than the wizard has means a step does not advance


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.applicants", description=__doc__)
    parser.add_argument("--applicants", type=int, default=50, help="at once (default 50)")
    parser.add_argument(
        "--rounds", type=int, default=10, help="rounds (default 10; at most 20, the start limit)"
    )
    parser.add_argument(
        "--databases",
        default=",".join(DATABASES),
        help=f"comma-separated, of {', '.join(DATABASES)} (default both)",
    )
    parser.add_argument(
        "--floor-requests", type=int, default=500, help="/health/ requests for the floor"
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where applicants.* go")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not args.databases or set(args.databases) - set(DATABASES):
        parser.error(f"databases must be among {', '.join(DATABASES)}")
    # One loopback address per applicant, 127.0.0.2 up to 127.0.0.254.
    if not 1 <= args.applicants <= 253 or args.rounds < 1 or args.floor_requests < 1:
        parser.error("applicants must be 1 to 253; rounds and floor requests positive")
    return args


def source_address(index: int) -> str:
    """The loopback address of applicant ``index`` (0-based): 127.0.0.2 onwards."""
    return f"127.0.0.{index + 2}"


# The applicants.


@dataclass
class Applicant:
    """One simulated applicant for one round."""

    browser: Browser
    email: str
    submit_data: list[tuple[str, str]] | None = None
    submit_ms: float | None = None
    finished_at: float | None = None
    error: str | None = None

    def fill(self) -> None:
        """The whole flow up to the review page; keeps the submit form's fields."""
        page_path, page = self.browser.get_page(START)
        start = find_form(parse_forms(page.body), self._url(page_path), START)
        path, _response = self.browser.post_form(
            START, start.fill({**ANSWERS, "email": self.email})
        )
        page_path, page = self.browser.get_page(path)
        for _step in range(MAX_STEPS):
            if not page_path.startswith(STEP_PREFIX):
                break
            form = find_form(parse_forms(page.body), self._url(page_path), page_path)
            missing = [n for n in form.empty_required(ANSWERS) if n != "email"]
            if missing:
                raise FlowError(f"no answer for required fields {missing} on {page_path}")
            path, _response = self.browser.post_form(page_path, form.fill(ANSWERS))
            page_path, page = self.browser.get_page(path)
        if page_path != REVIEW:
            raise FlowError(f"the steps led to {page_path}, not {REVIEW}")
        submit = find_form(parse_forms(page.body), self._url(page_path), SUBMIT)
        self.submit_data = submit.fill({})

    def submit(self) -> None:
        assert self.submit_data is not None
        path, response = self.browser.post_form(SUBMIT, self.submit_data)
        self.finished_at = time.perf_counter()
        if path != STATUS:
            raise FlowError(f"the submit led to {path}, not {STATUS}")
        self.submit_ms = response.ms

    def _url(self, path: str) -> str:
        return self.browser.base_url + path


def run_round(
    base_url: str, emails: list[str], tally: Tally
) -> tuple[list[Applicant], float, float]:
    """One round: every applicant fills in, all submit at once. Returns the applicants,
    the seconds from the barrier to the last response, and from the start to it."""
    applicants = [
        Applicant(Browser(base_url, source_address(i), tally), email)
        for i, email in enumerate(emails)
    ]
    released: list[float] = []
    barrier = threading.Barrier(
        len(applicants), action=lambda: released.append(time.perf_counter()), timeout=600
    )

    def walk(applicant: Applicant) -> None:
        try:
            applicant.fill()
        except Exception as error:  # any failure must still reach the barrier below
            applicant.error = f"{type(error).__name__}: {error}"
        try:
            barrier.wait()  # those that failed wait too, so the others are not left hanging
        except threading.BrokenBarrierError:
            applicant.error = applicant.error or "the barrier broke"
            return
        if applicant.error is None:
            try:
                applicant.submit()
            except (FlowError, OSError, http.client.HTTPException) as error:
                applicant.error = f"submit: {type(error).__name__}: {error}"

    started = time.perf_counter()
    threads = [threading.Thread(target=walk, args=(a,), daemon=True) for a in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ends = [a.finished_at for a in applicants if a.finished_at is not None]
    last = max(ends, default=time.perf_counter())
    release = released[0] if released else last
    return applicants, last - release, last - started


def measure_floor(base_url: str, threads: int, requests: int, tally: Tally) -> list[float]:
    """/health/ from ``threads`` threads that start together, as the submits do: the floor
    that the submit's p95 is compared to."""
    times: list[float] = []
    lock = threading.Lock()
    per_thread = [
        requests // threads + (1 if i < requests % threads else 0) for i in range(threads)
    ]
    start = threading.Barrier(threads, timeout=120)

    def hit(index: int) -> None:
        browser = Browser(base_url, source_address(index), tally)
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait()
        for _ in range(per_thread[index]):
            try:
                response = browser.request("GET", "/health/")
            except (OSError, http.client.HTTPException) as error:
                with tally.lock:
                    tally.note(f"GET /health/: {type(error).__name__}: {error}")
                continue
            if response.status == 200:
                with lock:
                    times.append(response.ms)
            else:
                with tally.lock:
                    tally.note(f"HTTP {response.status} for GET /health/")

    workers = [threading.Thread(target=hit, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return times


# The server side: a database per kind, seeded, served, counted.


@contextlib.contextmanager
def database_for(kind: str, env: dict[str, str], work_dir: Path) -> Iterator[Path | str]:
    """A freshly seeded database of ``kind``: a SQLite file or a PostgreSQL URL."""
    if kind == "sqlite":
        seeded = ensure_seeded(1, env)
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="applicants-") as temp:
            yield working_copy(seeded, Path(temp) / "applicants.sqlite3")
        return
    print("[bench] starting a throwaway PostgreSQL cluster and seeding it ...", flush=True)
    with Postgres() as postgres:
        seed_into(postgres.url, 1, env)
        yield postgres.url


def count_stored(prefix: str, env: dict[str, str], database: Path | str, temp: Path) -> Check:
    from bench.seed import sqlite_url

    url = database if isinstance(database, str) else sqlite_url(database)
    out = temp / "check.json"
    subprocess.run(
        [sys.executable, "-m", "bench.applicants_check", prefix, str(out)],
        cwd=BASE_DIR,
        env={**env, "DATABASE_URL": url},
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return Check(**json.loads(out.read_text()))


def locked_lines(log_path: Path) -> int:
    with contextlib.suppress(OSError):
        text = log_path.read_text(errors="replace").lower()
        return text.count("database is locked")
    return 0


def bench_database(
    kind: str, args: argparse.Namespace, env: dict[str, str], processes: Processes, work_dir: Path
) -> Run:
    log_path = work_dir / f"gunicorn-applicants-{kind}.log"
    log_path.unlink(missing_ok=True)
    # The run's own prefix tells its applications from the demo's and from earlier runs'.
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    tally = Tally()
    submit_ms: list[float] = []
    round_submit: list[float] = []
    round_flow: list[float] = []
    flow_errors = 0
    with database_for(kind, env, work_dir) as database:
        with Gunicorn(processes, database, env, log_path, capture_output=True) as server:
            print(f"[bench] {kind}: gunicorn at {server.url}", flush=True)
            for _ in range(2 * WORKERS):  # each worker's first page loads templates
                Browser(server.url, HOST, tally).request("GET", START)
            floor: list[float] = []
            for number in range(1, args.rounds + 1):
                # A slice of the floor right before each round: other work on the machine
                # then weighs on the floor as on the submits, and the ratio stays fair.
                share = args.floor_requests // args.rounds + (
                    1 if number <= args.floor_requests % args.rounds else 0
                )
                floor += measure_floor(server.url, args.applicants, share, tally)
                emails = [f"{prefix}r{number}-a{i}@example.org" for i in range(args.applicants)]
                applicants, submit_seconds, flow_seconds = run_round(server.url, emails, tally)
                done = [a for a in applicants if a.submit_ms is not None]
                submit_ms.extend(a.submit_ms for a in done if a.submit_ms is not None)
                round_submit.append(submit_seconds)
                round_flow.append(flow_seconds)
                failed = [a for a in applicants if a.error]
                flow_errors += len(failed)
                for applicant in failed[:3]:
                    tally.note(f"round {number}: {applicant.error}")
                print(
                    f"[bench] {kind}: round {number}/{args.rounds}: {len(done)} submitted in "
                    f"{submit_seconds:.2f} s (whole flow {flow_seconds:.1f} s)"
                    + (f", {len(failed)} failed" if failed else ""),
                    flush=True,
                )
        with tempfile.TemporaryDirectory(dir=work_dir) as temp:
            check = count_stored(prefix, env, database, Path(temp))
    return Run(
        database=kind,
        expected=args.applicants * args.rounds,
        submit_ms=submit_ms,
        round_submit_seconds=round_submit,
        round_flow_seconds=round_flow,
        floor_ms=floor,
        check=check,
        server_errors=tally.server_errors,
        flow_errors=flow_errors,
        database_locked=locked_lines(log_path),
        error_samples=tally.samples,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work_dir = BENCH_DIR / "server"  # the pages benchmark's var dir: its static files too
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    load_before = os.getloadavg()
    processes = Processes()
    runs: list[Run] = []
    with handle_termination():
        try:
            for kind in args.databases:
                # Again for each database: static files changed since the last one would
                # make every page that names them a server error.
                ensure_static(work_dir, env)
                runs.append(bench_database(kind, args, env, processes, work_dir))
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        finally:
            processes.stop_all()

    report = build_report(
        runs,
        machine=machine_description(),
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        settings={
            "applicants": args.applicants,
            "rounds": args.rounds,
            "floor_requests": args.floor_requests,
            "workers": WORKERS,
            "databases": args.databases,
            "cores": os.cpu_count(),
            "load_average_at_start": round(load_before[0], 2),
        },
    )
    (args.out / "applicants.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "applicants.md").write_text(render_markdown(report))
    print()
    print(render_text(report))
    if not report["ok"]:
        print("[bench] the applicants benchmark FAILED: see the notes above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
