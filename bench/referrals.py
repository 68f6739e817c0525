"""`make bench-referrals`: referrals at 50,000 over 60 agencies (issue 6).

Copies the seeded demo database (scale 1) and writes into it, in a subprocess with the
run's settings (``bench.referrals_django generate``), 50,000 referrals over 60 agencies
(the demo's and new ones, each with a directory organization, a service and a person with
the referral role and TOTP), 10,000 of them past their retention. Then:

- serves a copy with gunicorn (2 workers, production settings) and measures, taking
  turns, the p95 of /health/ (the floor) and of the referral inbox of the busy agency
  (2,000 referrals), signed in as its referral person with the MFA step passed; counts the
  inbox's queries with Django's test Client for the busy agency (first and second page)
  and for a quiet one (40 referrals): the count must not grow with the inbox;
- runs the retention purge on another copy in a subprocess, timing it and sampling its
  peak memory.

Goals: inbox p95 within 6x the floor's, the same query count at every size, the purge of
10,000 under 30 s. Writes var/bench/referrals.json and .md; any goal missed makes the exit
status 1.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import steps
from bench.__main__ import Scale, measure
from bench.directory import load_average, run_header
from bench.pages import FLOOR, Page
from bench.referrals_report import INBOX_FLOOR_GOAL, build_report, render_markdown, render_text
from bench.seed import BENCH_DIR, ensure_seeded, sqlite_url, working_copy
from bench.server import Processes, bench_env, ensure_static, handle_termination
from bench.steps import StepResult

INBOX = Page("inbox (busy agency)", "/referrals/", user="busy", floor_goal=INBOX_FLOOR_GOAL)
PAGES: list[Page] = [FLOOR, INBOX]
# Counted only: the inbox at other sizes, to show that its query count is fixed.
COUNTED: list[Page] = [
    INBOX,
    Page("inbox page 2 (busy agency)", "/referrals/?page=2", user="busy"),
    Page("inbox (quiet agency)", "/referrals/", user="quiet"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.referrals", description=__doc__)
    parser.add_argument("--referrals", type=int, default=50_000, help="default 50,000")
    parser.add_argument("--agencies", type=int, default=60, help="default 60")
    parser.add_argument("--busy", type=int, default=2_000, help="the busy agency's inbox")
    parser.add_argument("--quiet", type=int, default=40, help="the quiet agency's inbox")
    parser.add_argument("--purgeable", type=int, default=10_000, help="past retention")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=1, help="unrecorded seconds per page")
    parser.add_argument("--users", type=int, default=2, help="concurrent users (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="slices per page, taking turns")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per slice")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where referrals.* go")
    args = parser.parse_args(argv)
    if args.referrals < 1 or args.seconds <= 0 or args.users < 1 or args.rounds < 1:
        parser.error("referrals, seconds, users and rounds must be positive")
    if args.agencies < 3:
        parser.error("agencies must be 3 or more")
    if args.busy + args.quiet > args.referrals or not 0 <= args.purgeable <= args.referrals:
        parser.error("busy, quiet and purgeable must fit in the referrals")
    return args


def django_step(
    processes: Processes,
    command: str,
    plan: dict[str, Any],
    env: dict[str, str],
    temp: Path,
    log: Path,
) -> StepResult:
    """Run ``bench.referrals_django COMMAND`` (see bench.steps)."""
    return steps.django_step("bench.referrals_django", processes, command, plan, env, temp, log)


def _entry(measurement: Any) -> dict[str, Any]:
    return {
        "name": measurement.page.name,
        "path": measurement.path,
        "goal": None if measurement.page is FLOOR else measurement.page.floor_goal,
        "times_ms": measurement.times_ms,
        "queries": measurement.queries,
        "errors": measurement.errors,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work_dir = BENCH_DIR / "server"  # shared with `make bench`: the static files
    work_dir.mkdir(parents=True, exist_ok=True)
    # One environment, so one FIELD_ENCRYPTION_KEY, for the writer, the server and the purge.
    env = bench_env(work_dir)
    run = run_header(args)
    pristine = BENCH_DIR / f"referrals-{args.referrals}.sqlite3"
    served = work_dir / f"referrals-{args.referrals}.sqlite3"
    purged = BENCH_DIR / f"referrals-{args.referrals}-purge.sqlite3"
    log = BENCH_DIR / "referrals-django.log"
    log.unlink(missing_ok=True)
    processes = Processes()
    generated: dict[str, Any] = {}
    generate_seconds: float | None = None
    floor: dict[str, Any] | None = None
    measured: list[dict[str, Any]] = []
    queries: dict[str, int | None] = {page.name: None for page in COUNTED}
    purge: dict[str, Any] | None = None
    purge_error: str | None = "not run"
    with handle_termination(), tempfile.TemporaryDirectory(dir=work_dir) as temp_name:
        temp = Path(temp_name)
        try:
            ensure_static(work_dir, env)
            working_copy(ensure_seeded(1, env), pristine)
            db_env = {**env, "DATABASE_URL": sqlite_url(pristine)}
            print(
                f"[bench] writing {args.referrals:,} referrals over {args.agencies} agencies ...",
                flush=True,
            )
            plan = {
                "referrals": args.referrals,
                "agencies": args.agencies,
                "busy": args.busy,
                "quiet": args.quiet,
                "purgeable": args.purgeable,
            }
            out, generate_seconds, _peak, error = django_step(
                processes, "generate", plan, db_env, temp, log
            )
            if error is not None or out is None:
                raise RuntimeError(error)
            generated = out
            print(f"[bench] written in {generate_seconds:.1f} s: {out['counts']}", flush=True)

            working_copy(pristine, served)
            served_env = {**env, "DATABASE_URL": sqlite_url(served)}
            pages_plan = {
                "personas": generated["personas"],
                "pages": [
                    {"name": p.name, "path": p.path, "user": p.user, "status": p.status}
                    for p in [FLOOR, *COUNTED]
                ],
            }
            django, _seconds, _peak, error = django_step(
                processes, "pages", pages_plan, served_env, temp, log
            )
            if error is not None or django is None:
                raise RuntimeError(error)
            (args.out / "queries-referrals.json").write_text(json.dumps(django["pages"], indent=1))
            queries = {page.name: django["pages"][page.name]["queries"] for page in COUNTED}
            run["load_average_before_pages"] = load_average()
            scale = Scale(args.referrals, served, served_env, django)
            measurements, _memory = measure([scale], PAGES, args, processes, work_dir, temp)
            for m in measurements:
                if m.page is FLOOR:
                    floor = _entry(m)
                else:
                    measured.append(_entry(m))

            print(f"[bench] purging {args.purgeable:,} expired referrals ...", flush=True)
            working_copy(pristine, purged)
            purge_env = {**env, "DATABASE_URL": sqlite_url(purged)}
            purge, wall, peak_mb, purge_error = django_step(
                processes, "purge", {}, purge_env, temp, log
            )
            if purge is not None:
                purge |= {"wall_seconds": round(wall, 2), "peak_mb": round(peak_mb, 0)}
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        except RuntimeError as failure:
            print(f"[bench] {failure}", file=sys.stderr)
        finally:
            processes.stop_all()
    run["load_average_at_end"] = load_average()
    report = build_report(
        referrals=args.referrals,
        agencies=args.agencies,
        purgeable=args.purgeable,
        counts=generated.get("counts", {}),
        generate_seconds=generate_seconds,
        floor=floor,
        pages=measured,
        queries=queries,
        purge=purge,
        purge_error=purge_error,
        run=run,
    )
    (args.out / "referrals.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "referrals.md").write_text(render_markdown(report))
    print()
    print(render_text(report))
    print(f"\n[bench] wrote {args.out / 'referrals.json'} and {args.out / 'referrals.md'}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
