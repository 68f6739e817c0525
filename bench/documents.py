"""`make bench-documents`: the policies and protocols library at 2,000 documents of 10
versions each (issue 8).

Copies the seeded demo database (scale 1) and writes into it, in a subprocess with the
run's settings (``bench.documents_django generate``), the documents, their versions and
tags. Then serves a copy with gunicorn (2 workers, production settings) and measures,
taking turns, the p95 of /health/ (the floor) and of document searches, anonymous and as a
member; counts each search's queries with Django's test Client, for a broad search, a
narrow one, a second page and a filtered one: the count must not change with the results.

Goals: search p95 within 8x the floor's, no errors, the same query count for every search
of a persona. Writes var/bench/documents.json and .md; any goal missed makes the exit
status 1.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import steps
from bench.__main__ import Scale, measure
from bench.directory import load_average, run_header
from bench.directory_report import fmt, page_row, table_lines
from bench.documents_django import RARE_WORD
from bench.pages import FLOOR, PERSONAS, Page
from bench.seed import BENCH_DIR, ensure_seeded, sqlite_url, working_copy
from bench.server import Processes, bench_env, ensure_static, handle_termination

SEARCH_FLOOR_GOAL = 8.0
PUBLIC_SEARCH = Page("search: consent", "/documents/?q=consent", floor_goal=SEARCH_FLOOR_GOAL)
MEMBER_SEARCH = Page(
    "search: advocate protocol (member)",
    "/documents/?q=advocate+protocol",
    user="member",
    floor_goal=SEARCH_FLOOR_GOAL,
)
MEMBER_FILTERED = Page(
    "search: policy, Spanish, tag (member)",
    "/documents/?q=consent&kind=policy&language=es&tag=consent",
    user="member",
    floor_goal=SEARCH_FLOOR_GOAL,
)
PAGES: list[Page] = [FLOOR, PUBLIC_SEARCH, MEMBER_SEARCH, MEMBER_FILTERED]
# Counted only: the same persona's searches at other result sizes must cost the same.
COUNTED: dict[str, list[Page]] = {
    "anonymous": [
        PUBLIC_SEARCH,
        Page("search: rare word", f"/documents/?q={RARE_WORD}"),
        Page("search: consent, page 3", "/documents/?q=consent&page=3"),
    ],
    "member": [
        MEMBER_SEARCH,
        MEMBER_FILTERED,
        Page("search: rare word (member)", f"/documents/?q={RARE_WORD}", user="member"),
        Page("library (member)", "/documents/", user="member"),
    ],
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__)
    parser.add_argument("--documents", type=int, default=2_000, help="default 2,000")
    parser.add_argument("--versions", type=int, default=10, help="per document (default 10)")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=1, help="unrecorded seconds per page")
    parser.add_argument("--users", type=int, default=2, help="concurrent users (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="slices per page, taking turns")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per slice")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where documents.* go")
    args = parser.parse_args(argv)
    if min(args.documents, args.versions, args.users, args.rounds) < 1 or args.seconds <= 0:
        parser.error("documents, versions, seconds, users and rounds must be positive")
    return args


def django_step(
    processes: Processes,
    command: str,
    plan: dict[str, Any],
    env: dict[str, str],
    temp: Path,
    log: Path,
) -> dict[str, Any]:
    """Run ``bench.documents_django COMMAND`` (see bench.steps) and return what it wrote."""
    out, _seconds, _peak, error = steps.django_step(
        "bench.documents_django", processes, command, plan, env, temp, log
    )
    if error is not None or out is None:
        raise RuntimeError(error)
    return out


def build_report(
    *,
    args: argparse.Namespace,
    generated: dict[str, Any],
    floor: dict[str, Any] | None,
    pages: list[dict[str, Any]],
    queries: dict[str, dict[str, int | None]],
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
    for persona, counts in queries.items():
        values = list(counts.values())
        checks.append(
            {
                "goal": f"{persona}: every search makes the same number of queries",
                "value": ", ".join(f"{name}: {value}" for name, value in counts.items()),
                "ok": None not in values and len(set(values)) == 1,
            }
        )
    if floor_row is None or not rows:
        checks.append({"goal": "the pages were measured", "value": None, "ok": False})
    return {
        "documents": args.documents,
        "versions": args.versions,
        "generated": generated,
        "floor": floor_row,
        "pages": rows,
        "queries": queries,
        "checks": checks,
        "ok": all(check["ok"] for check in checks),
        "run": run,
    }


def _summary(report: dict[str, Any]) -> list[str]:
    run, counts = report["run"], report["generated"].get("counts", {})
    return [
        f"Documents benchmark, {report['documents']:,} documents of {report['versions']} "
        f"versions ({run.get('date', '')})",
        f"Machine: {run.get('machine', '')}",
        f"Load average (1 min) at start {run.get('load_average_at_start')}, "
        f"before the pages {run.get('load_average_before_pages')}, "
        f"at the end {run.get('load_average_at_end')}",
        f"Data: {fmt(counts.get('all_documents'))} documents, {fmt(counts.get('versions'))} "
        f"versions written in {fmt(report['generated'].get('seconds'))} s",
    ]


def render_text(report: dict[str, Any]) -> str:
    lines = table_lines(report)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [*_summary(report), ""]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    out.append("")
    for check in report["checks"]:
        out.append(f"[{'ok' if check['ok'] else 'MISSED'}] {check['goal']}: {check['value']}")
    out.append("All goals met." if report["ok"] else "Some goals were missed.")
    return "\n".join(out)


def render_markdown(report: dict[str, Any]) -> str:
    lines = table_lines(report)
    out = ["# Documents benchmark (issue 8)", "", *(f"- {line}" for line in _summary(report))]
    out += ["", "| " + " | ".join(lines[0]) + " |", "|" + "---|" * len(lines[0])]
    out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
    out += ["", "## Goals", ""]
    out += [
        f"- {'met' if check['ok'] else '**missed**'}: {check['goal']} ({check['value']})"
        for check in report["checks"]
    ]
    return "\n".join(out) + "\n"


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
    # Shared with `make bench` (the static files, the seeded demo) unless --out says else.
    work_dir = args.out / "server"
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    run = run_header(args)
    served = work_dir / f"documents-{args.documents}.sqlite3"
    (args.out / "documents-django.log").unlink(missing_ok=True)
    processes = Processes()
    generated: dict[str, Any] = {}
    floor: dict[str, Any] | None = None
    measured: list[dict[str, Any]] = []
    counted = [page for pages in COUNTED.values() for page in pages]
    queries: dict[str, dict[str, int | None]] = {
        persona: {page.name: None for page in pages} for persona, pages in COUNTED.items()
    }
    with handle_termination(), tempfile.TemporaryDirectory(dir=work_dir) as temp_name:
        temp = Path(temp_name)
        try:
            ensure_static(work_dir, env)
            working_copy(ensure_seeded(1, env, args.out), served)
            served_env = {**env, "DATABASE_URL": sqlite_url(served)}
            print(f"[bench] writing {args.documents:,} documents ...", flush=True)
            started = time.monotonic()
            generated = django_step(
                processes,
                "generate",
                {"documents": args.documents, "versions": args.versions},
                served_env,
                temp,
                args.out / "documents-django.log",
            )
            print(
                f"[bench] written in {time.monotonic() - started:.1f} s: {generated['counts']}",
                flush=True,
            )
            pages = [FLOOR, *{page.name: page for page in counted}.values()]
            django = django_step(
                processes,
                "pages",
                {
                    "personas": {"member": PERSONAS["member"]},
                    "pages": [
                        {"name": p.name, "path": p.path, "user": p.user, "status": p.status}
                        for p in pages
                    ],
                },
                served_env,
                temp,
                args.out / "documents-django.log",
            )
            (args.out / "queries-documents.json").write_text(json.dumps(django["pages"], indent=1))
            for persona, persona_pages in COUNTED.items():
                for page in persona_pages:
                    queries[persona][page.name] = django["pages"][page.name]["queries"]
            run["load_average_before_pages"] = load_average()
            scale = Scale(args.documents, served, served_env, django)
            measurements, _memory = measure([scale], PAGES, args, processes, work_dir, temp)
            for m in measurements:
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
    report = build_report(
        args=args, generated=generated, floor=floor, pages=measured, queries=queries, run=run
    )
    (args.out / "documents.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "documents.md").write_text(render_markdown(report))
    print()
    print(render_text(report))
    print(f"\n[bench] wrote {args.out / 'documents.json'} and {args.out / 'documents.md'}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
