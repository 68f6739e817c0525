"""`make bench-directory`: the service directory at 10,000 services (issue 5).

Generates a synthetic HSDS tabular package (bench.directory_package) into var/bench/,
imports it with `manage.py import_hsds` into a copy of the seeded demo database (scale 1)
that has the default taxonomy, timing the import and sampling its peak memory; then serves
that database with gunicorn (2 workers, production settings) and measures, taking turns,
the p95 of /health/ (the floor), filtered full-text searches and the HSDS API, and counts
each page's queries with Django's test Client.

Goals: search p95 within 6x the floor's, API within 8x, import under 60 s and 500 MB.
Writes var/bench/directory.json and .md; any goal missed makes the exit status 1.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench.__main__ import machine_description, measure, prepare_scale
from bench.directory_package import DEFAULT_TAXONOMY, write_package
from bench.directory_report import (
    API_FLOOR_GOAL,
    SEARCH_FLOOR_GOAL,
    build_report,
    render_markdown,
    render_text,
)
from bench.pages import FLOOR, Page
from bench.seed import BASE_DIR, BENCH_DIR, ensure_seeded, sqlite_url, working_copy
from bench.server import Processes, bench_env, ensure_static, handle_termination

PAGES: list[Page] = [
    FLOOR,
    Page(
        "search: shelter, Spanish, Concord",
        "/services/?q=shelter&language=es&city=Concord",
        floor_goal=SEARCH_FLOOR_GOAL,
    ),
    Page("search: legal", "/services/?q=legal", floor_goal=SEARCH_FLOOR_GOAL),
    Page("hsds api services", "/api/hsds/services?per_page=50", floor_goal=API_FLOOR_GOAL),
    Page(
        "hsds api services: legal",
        "/api/hsds/services?per_page=50&search=legal",
        floor_goal=API_FLOOR_GOAL,
    ),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.directory", description=__doc__)
    parser.add_argument("--services", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=1, help="unrecorded seconds per page")
    parser.add_argument("--users", type=int, default=2, help="concurrent users (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="slices per page, taking turns")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per slice")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where directory.* go")
    args = parser.parse_args(argv)
    if args.services < 1 or args.seconds <= 0 or args.users < 1 or args.rounds < 1:
        parser.error("services, seconds, users and rounds must be positive")
    return args


class PeakRss(threading.Thread):
    """Polls a process (and its children) for the largest resident memory seen."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            try:
                total = self.process.memory_info().rss
                for child in self.process.children(recursive=True):
                    total += child.memory_info().rss
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._done.wait(self.interval)

    def stop(self) -> float:
        self._done.set()
        self.join(timeout=5)
        return self.peak / (1024 * 1024)


def manage(processes: Processes, args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as handle:
        child = processes.start(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        try:
            code = child.wait()
        finally:
            processes.stop(child)
    if code != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({code}); see {log}")


def timed_import(
    processes: Processes, package: Path, env: dict[str, str], log: Path
) -> tuple[float, float, str | None]:
    """Wall seconds, peak RSS (MB) and the error, if any, of `import_hsds package`."""
    with log.open("a") as handle:
        started = time.monotonic()
        child = processes.start(
            [sys.executable, "manage.py", "import_hsds", str(package)],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        sampler = PeakRss(child.pid)
        sampler.start()
        try:
            code = child.wait()
        finally:
            seconds = time.monotonic() - started
            peak_mb = sampler.stop()
            processes.stop(child)
    error = None if code == 0 else f"import_hsds exited with {code}; see {log}"
    return seconds, peak_mb, error


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def run_header(args: argparse.Namespace) -> dict[str, Any]:
    """What a served benchmark's report says of its run, filled in as it goes."""
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_description(),
        "cores": os.cpu_count(),
        "load_average_at_start": load_average(),
        "seconds": args.seconds,
        "warmup": args.warmup,
        "users": args.users,
        "rounds": args.rounds,
        "workers": 2,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work_dir = BENCH_DIR / "server"  # shared with `make bench`: the static files
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    run = run_header(args)
    package = BENCH_DIR / f"directory-package-{args.services}"
    database = BENCH_DIR / f"directory-{args.services}.sqlite3"
    log = BENCH_DIR / "directory-manage.log"
    log.unlink(missing_ok=True)
    processes = Processes()
    floor: dict[str, Any] | None = None
    measured: list[dict[str, Any]] = []
    with handle_termination():
        try:
            print(f"[bench] writing a package of {args.services:,} services ...", flush=True)
            counts = write_package(package, args.services)
            ensure_static(work_dir, env)
            seeded = ensure_seeded(1, env)
            working_copy(seeded, database)
            db_env = {**env, "DATABASE_URL": sqlite_url(database)}
            manage(
                processes,
                ["import_hsds", str(DEFAULT_TAXONOMY), "--kind", "taxonomy_term"],
                db_env,
                log,
            )
            print("[bench] importing the package ...", flush=True)
            seconds, peak_mb, error = timed_import(processes, package, db_env, log)
            print(f"[bench] import: {seconds:.1f} s, peak {peak_mb:.0f} MB", flush=True)
            if error is None:
                run["load_average_before_pages"] = load_average()
                with tempfile.TemporaryDirectory(dir=work_dir) as temp:
                    # Labelled by the number of services: its files (server/scale10000.*,
                    # queries-scale10000.json) never collide with `make bench`'s scales.
                    scale = prepare_scale(
                        args.services, database, PAGES, args, env, processes, work_dir, Path(temp)
                    )
                    measurements, _memory = measure(
                        [scale], PAGES, args, processes, work_dir, Path(temp)
                    )
                for m in measurements:
                    entry = {
                        "name": m.page.name,
                        "path": m.path,
                        "goal": None if m.page is FLOOR else m.page.floor_goal,
                        "times_ms": m.times_ms,
                        "queries": m.queries,
                        "errors": m.errors,
                    }
                    if m.page is FLOOR:
                        floor = entry
                    else:
                        measured.append(entry)
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        finally:
            processes.stop_all()
    run["load_average_at_end"] = load_average()
    report = build_report(
        services=args.services,
        counts=counts,
        import_seconds=seconds,
        import_peak_mb=peak_mb,
        import_error=error,
        floor=floor,
        pages=measured,
        run=run,
    )
    (args.out / "directory.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "directory.md").write_text(render_markdown(report))
    print()
    print(render_text(report))
    print(f"\n[bench] wrote {args.out / 'directory.json'} and {args.out / 'directory.md'}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
