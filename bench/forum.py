"""`make bench-forum`: the members' forum at 20,000 posts (issue 8).

Copies the seeded demo database (scale 1) and writes into it, in a subprocess with the
run's settings (``bench.forum_django generate``), 20,000 posts: one thread with 500
replies, one with three, the rest in threads of twenty. Then serves a copy with gunicorn
(2 workers, production settings) and measures, taking turns, the p95 of /health/ (the
floor) and of the 500-reply thread's first and last pages, signed in as the demo member;
counts the queries of those pages, of the small thread and of the category page with
Django's test Client: the thread's count must not grow with its replies.

Goals: each thread page's p95 within 8x the floor's, the same query count for the small
thread and both pages of the big one. Writes var/bench/forum.json and .md; any goal missed
makes the exit status 1.
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
from bench.directory_report import fmt, page_row, table_lines
from bench.pages import FLOOR, Page
from bench.referrals import _entry
from bench.seed import BENCH_DIR, ensure_seeded, sqlite_url, working_copy
from bench.server import Processes, bench_env, ensure_static, handle_termination
from bench.steps import StepResult

THREAD_FLOOR_GOAL = 8.0


def django_step(
    processes: Processes,
    command: str,
    plan: dict[str, Any],
    env: dict[str, str],
    temp: Path,
    log: Path,
) -> StepResult:
    """Run ``bench.forum_django COMMAND`` (see bench.steps)."""
    return steps.django_step("bench.forum_django", processes, command, plan, env, temp, log)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.forum", description=__doc__)
    parser.add_argument("--posts", type=int, default=20_000, help="default 20,000")
    parser.add_argument("--big", type=int, default=500, help="replies of the big thread")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=1, help="unrecorded seconds per page")
    parser.add_argument("--users", type=int, default=2, help="concurrent users (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="slices per page, taking turns")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per slice")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where forum.* go")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.users < 1 or args.rounds < 1 or args.big < 1:
        parser.error("seconds, users, rounds and big must be positive")
    if args.posts < args.big + 10:
        parser.error("posts must exceed the big thread's replies by 10 or more")
    return args


def pages_for(paths: dict[str, str]) -> tuple[list[Page], list[Page]]:
    """The measured pages and the pages whose queries are counted."""
    first = Page("thread of 500, first page", paths["big"], "member", floor_goal=THREAD_FLOOR_GOAL)
    last = Page(
        "thread of 500, last page",
        paths["big"] + "?page=last",
        "member",
        floor_goal=THREAD_FLOOR_GOAL,
    )
    small = Page("thread of 3", paths["small"], "member", floor_goal=THREAD_FLOOR_GOAL)
    category = Page("category", paths["category"], "member", floor_goal=THREAD_FLOOR_GOAL)
    return [FLOOR, first, last], [first, last, small, category]


def build_report(
    *,
    counts: dict[str, int],
    floor: dict[str, Any] | None,
    pages: list[dict[str, Any]],
    queries: dict[str, int | None],
    run: dict[str, Any],
) -> dict[str, Any]:
    floor_row = page_row(floor, None, floor=True) if floor else None
    floor_p95 = floor_row["p95_ms"] if floor_row else None
    rows = [page_row(page, floor_p95) for page in pages]
    checks = [
        {
            "goal": f"{row['name']}: p95 within {row['goal']:g}x the floor's, no errors",
            "value": row["floor_ratio"],
            "ok": bool(row["ok"]),
        }
        for row in rows
    ]
    threads = [value for name, value in queries.items() if name.startswith("thread")]
    checks.append(
        {
            "goal": "a thread page makes the same number of queries whatever its replies",
            "value": ", ".join(f"{name}: {value}" for name, value in queries.items()),
            "ok": bool(threads) and None not in threads and len(set(threads)) == 1,
        }
    )
    if floor_row is None or not rows:
        checks.append({"goal": "the pages were measured", "value": None, "ok": False})
    return {
        "counts": counts,
        "floor": floor_row,
        "pages": rows,
        "queries": queries,
        "checks": checks,
        "ok": all(check["ok"] for check in checks),
        "run": run,
    }


def render_text(report: dict[str, Any]) -> str:
    counts, run = report["counts"], report["run"]
    lines = table_lines(report)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [
        f"Forum benchmark, {counts.get('posts', 0):,} posts in {counts.get('threads', 0):,} "
        f"threads, the big one with {counts.get('big_replies', 0):,} replies "
        f"({run.get('date', '')})",
        f"Machine: {run.get('machine', '')}; load average at start "
        f"{run.get('load_average_at_start')}, at the end {run.get('load_average_at_end')}",
        f"Queries: {', '.join(f'{k} {fmt(v)}' for k, v in report['queries'].items())}",
        "",
    ]
    for line in lines:
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    out.append("")
    for check in report["checks"]:
        out.append(f"[{'ok' if check['ok'] else 'MISSED'}] {check['goal']}: {check['value']}")
    out.append("All goals met." if report["ok"] else "Some goals were missed.")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work_dir = BENCH_DIR / "server"
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    run = run_header(args)
    pristine = BENCH_DIR / f"forum-{args.posts}.sqlite3"
    served = work_dir / f"forum-{args.posts}.sqlite3"
    log = BENCH_DIR / "forum-django.log"
    log.unlink(missing_ok=True)
    processes = Processes()
    counts: dict[str, int] = {}
    floor: dict[str, Any] | None = None
    measured: list[dict[str, Any]] = []
    queries: dict[str, int | None] = {}
    with handle_termination(), tempfile.TemporaryDirectory(dir=work_dir) as temp_name:
        temp = Path(temp_name)
        try:
            ensure_static(work_dir, env)
            working_copy(ensure_seeded(1, env), pristine)
            db_env = {**env, "DATABASE_URL": sqlite_url(pristine)}
            print(f"[bench] writing {args.posts:,} forum posts ...", flush=True)
            plan = {"posts": args.posts, "big": args.big}
            out, seconds, _peak, error = django_step(processes, "generate", plan, db_env, temp, log)
            if error is not None or out is None:
                raise RuntimeError(error)
            counts = out["counts"]
            print(f"[bench] written in {seconds:.1f} s: {counts}", flush=True)
            measured_pages, counted = pages_for(out["paths"])
            queries = {page.name: None for page in counted}

            working_copy(pristine, served)
            served_env = {**env, "DATABASE_URL": sqlite_url(served)}
            pages_plan = {
                "personas": out["personas"],
                "pages": [
                    {"name": p.name, "path": p.path, "user": p.user, "status": p.status}
                    for p in [FLOOR, *counted]
                ],
            }
            django, _seconds, _peak, error = django_step(
                processes, "pages", pages_plan, served_env, temp, log
            )
            if error is not None or django is None:
                raise RuntimeError(error)
            (args.out / "queries-forum.json").write_text(json.dumps(django["pages"], indent=1))
            queries = {page.name: django["pages"][page.name]["queries"] for page in counted}
            scale = Scale(args.posts, served, served_env, django)
            results, _memory = measure([scale], measured_pages, args, processes, work_dir, temp)
            for m in results:
                if m.page is FLOOR:
                    floor = _entry(m)
                else:
                    measured.append(_entry(m))
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        except RuntimeError as failure:
            print(f"[bench] {failure}", file=sys.stderr)
        finally:
            processes.stop_all()
    run["load_average_at_end"] = load_average()
    report = build_report(counts=counts, floor=floor, pages=measured, queries=queries, run=run)
    (args.out / "forum.json").write_text(json.dumps(report, indent=2) + "\n")
    text = render_text(report)
    (args.out / "forum.md").write_text("# Forum benchmark (issue 8)\n\n```\n" + text + "\n```\n")
    print()
    print(text)
    print(f"\n[bench] wrote {args.out / 'forum.json'} and {args.out / 'forum.md'}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
