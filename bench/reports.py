"""`make bench-reports`: the coordinators' dashboard and the annual report at 100x (issue 9).

Reuses the pages benchmark's seeded databases (``seed_demo --scale N``) and machinery:

- counts the queries of the dashboard worked out afresh (``REPORTS_CACHE_SECONDS=0``) with
  Django's test Client at 1x and at 100x: the count must be the same (aggregates in the
  database, not loops over rows);
- serves the 100x copy with gunicorn (2 workers, production settings) and measures, taking
  turns, the p95 of /health/ (the floor) and of /reports/ signed in as the coordinator
  with the MFA step passed, twice: as the site serves it (figures kept until a record they
  count changes), whose p95 must stay within 10x the floor's, and worked out afresh on
  every view, which is reported beside it;
- builds the annual PDF of the current year from the 100x copy with
  ``manage.py annual_report`` in a subprocess: the build must take under 10 s.

Writes var/bench/reports.json and .md; any goal missed makes the exit status 1.
"""

import argparse
import dataclasses
import datetime
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.__main__ import Scale, machine_description, measure, prepare_scale
from bench.pages import FLOOR, Page
from bench.report import percentile
from bench.seed import BASE_DIR, BENCH_DIR, ensure_seeded, sqlite_url, working_copy
from bench.server import Processes, bench_env, ensure_static, handle_termination

DASHBOARD_FLOOR_GOAL = 10.0
PDF_GOAL_SECONDS = 10.0
DASHBOARD = Page(
    "reports dashboard", "/reports/", user="coordinator", floor_goal=DASHBOARD_FLOOR_GOAL
)
PAGES: list[Page] = [FLOOR, DASHBOARD]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--scale", type=int, default=100, help="demo scale (default 100)")
    parser.add_argument(
        "--compare-scale",
        type=int,
        default=1,
        help="the scale whose dashboard query count must match (default 1; 0: none)",
    )
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=1, help="unrecorded seconds per page")
    parser.add_argument("--users", type=int, default=2, help="concurrent users (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="slices per page, taking turns")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per slice")
    parser.add_argument("--year", type=int, default=datetime.date.today().year)  # noqa: DTZ011
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where reports.* go")
    return parser.parse_args(argv)


def build_pdf(scale: Scale, year: int, work_dir: Path, processes: Processes) -> dict[str, Any]:
    """Run the command on its own copy of the database; its own timing excludes start-up."""
    database = working_copy(scale.database, work_dir / f"reports-pdf-scale{scale.scale}.sqlite3")
    env = {**scale.env, "DATABASE_URL": sqlite_url(database)}
    output = work_dir / f"annual-report-{year}.pdf"
    started = time.monotonic()
    child = processes.start(
        [
            sys.executable,
            "manage.py",
            "annual_report",
            "--year",
            str(year),
            "--output",
            str(output),
        ],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _err = child.communicate()
    wall = time.monotonic() - started
    processes.stop(child)
    found = re.search(r"in ([0-9.]+) s\.", out or "")
    return {
        "exit_code": child.returncode,
        "build_seconds": float(found.group(1)) if found else None,
        "command_seconds": round(wall, 2),
        "bytes": output.stat().st_size if output.exists() else 0,
        "starts_with_pdf": output.exists() and output.read_bytes()[:4] == b"%PDF",
    }


def figures(measurements: list[Any]) -> dict[str, Any]:
    """The floor's and the dashboard's percentiles in one measurement, and their ratio."""
    by_page = {m.page.name: m for m in measurements}

    def p(name: str, q: float) -> float | None:
        times = by_page[name].times_ms
        return round(percentile(times, q), 1) if times else None

    floor, dashboard = p(FLOOR.name, 95), p(DASHBOARD.name, 95)
    return {
        "floor_p95_ms": floor,
        "dashboard_p50_ms": p(DASHBOARD.name, 50),
        "dashboard_p95_ms": dashboard,
        "dashboard_requests": len(by_page[DASHBOARD.name].times_ms),
        "dashboard_over_floor": (
            round(dashboard / floor, 2) if floor and dashboard is not None else None
        ),
    }


def report(
    served: list[Any],
    afresh: list[Any],
    counts: dict[int, int],
    pdf: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    kept, worked_out = figures(served), figures(afresh)
    ratio = kept["dashboard_over_floor"]
    errors = sum(m.errors for m in [*served, *afresh])
    goals = {
        "dashboard_p95_within_10x_floor": ratio is not None and ratio <= DASHBOARD_FLOOR_GOAL,
        # Compared only when the run counted at two scales.
        "dashboard_queries_fixed": len(counts) > 1 and len(set(counts.values())) == 1,
        "annual_pdf_under_10s": pdf["exit_code"] == 0
        and pdf["starts_with_pdf"]
        and pdf["build_seconds"] is not None
        and pdf["build_seconds"] < PDF_GOAL_SECONDS,
        "no_errors": errors == 0,
    }
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_description(),
        "scale": args.scale,
        "run": {"seconds": args.seconds, "users": args.users, "rounds": args.rounds},
        **kept,
        "afresh": worked_out,
        "dashboard_queries": {f"{scale}x": count for scale, count in counts.items()},
        "annual_pdf": pdf,
        "errors": errors,
        "error_samples": [s for m in [*served, *afresh] for s in m.error_samples][:5],
        "goals": goals,
        "passed": all(goals.values()),
    }


def render_text(result: dict[str, Any]) -> str:
    pdf, afresh = result["annual_pdf"], result["afresh"]
    lines = [
        f"Reports benchmark of {result['date']} at {result['scale']}x on {result['machine']}",
        f"floor (/health/) p95: {result['floor_p95_ms']} ms",
        f"dashboard (/reports/) as served p50 {result['dashboard_p50_ms']} ms, p95 "
        f"{result['dashboard_p95_ms']} ms over {result['dashboard_requests']} requests: "
        f"{result['dashboard_over_floor']}x the floor "
        f"(goal <= {DASHBOARD_FLOOR_GOAL:g}x)",
        f"dashboard worked out afresh on every view: floor p95 {afresh['floor_p95_ms']} ms, "
        f"p50 {afresh['dashboard_p50_ms']} ms, p95 {afresh['dashboard_p95_ms']} ms over "
        f"{afresh['dashboard_requests']} requests: {afresh['dashboard_over_floor']}x the floor",
        f"dashboard queries: {result['dashboard_queries']} (goal: the same at every scale)",
        f"annual PDF: built in {pdf['build_seconds']} s ({pdf['command_seconds']} s with "
        f"start-up), {pdf['bytes'] // 1024} KB (goal < {PDF_GOAL_SECONDS:g} s)",
        f"errors: {result['errors']}",
        "goals: "
        + ", ".join(f"{name} {'pass' if ok else 'FAIL'}" for name, ok in result["goals"].items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    # prepare_scale writes its query counts to args.out: keep them apart from `make bench`'s.
    args.queries_out = args.out / "reports-queries"
    work_dir = BENCH_DIR / "server"
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    # The queries counted are those of the figures worked out, not of a kept page.
    counting_env = {**env, "REPORTS_CACHE_SECONDS": "0"}
    processes = Processes()
    with handle_termination():
        try:
            ensure_static(work_dir, env)
            scales_wanted = sorted({args.compare_scale, args.scale} - {0})
            seeded = {scale: ensure_seeded(scale, env) for scale in scales_wanted}
            with tempfile.TemporaryDirectory(dir=work_dir) as temp:
                counting = argparse.Namespace(**{**vars(args), "out": args.queries_out})
                counting.out.mkdir(parents=True, exist_ok=True)
                scales = {
                    scale: prepare_scale(
                        scale,
                        seeded[scale],
                        PAGES,
                        counting,
                        counting_env,
                        processes,
                        work_dir,
                        Path(temp),
                    )
                    for scale in scales_wanted
                }
                counts = {
                    scale: s.django["pages"][DASHBOARD.name]["queries"]
                    for scale, s in scales.items()
                }
                measured = scales[args.scale]
                served_env = {k: v for k, v in measured.env.items() if k != "REPORTS_CACHE_SECONDS"}
                served, _memory = measure(
                    [dataclasses.replace(measured, env=served_env)],
                    PAGES,
                    args,
                    processes,
                    work_dir,
                    Path(temp),
                )
                print("[bench] again, with the figures worked out on every view ...", flush=True)
                afresh, _memory = measure([measured], PAGES, args, processes, work_dir, Path(temp))
                print(
                    f"[bench] building the annual PDF of {args.year} at {args.scale}x ...",
                    flush=True,
                )
                pdf = build_pdf(scales[args.scale], args.year, work_dir, processes)
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        finally:
            processes.stop_all()
    result = report(served, afresh, counts, pdf, args)
    (args.out / "reports.json").write_text(json.dumps(result, indent=2) + "\n")
    text = render_text(result)
    (args.out / "reports.md").write_text(text.replace("\n", "  \n") + "\n")
    print()
    print(text)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
