"""`make bench`: see bench/__init__.py. Run `python -m bench --help` for the options."""

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.pages import PAGES, Page, select
from bench.report import Measurement, build_report, render_markdown, render_text
from bench.seed import BASE_DIR, BENCH_DIR, ensure_seeded, sqlite_url, working_copy
from bench.server import Gunicorn, Processes, bench_env, ensure_static, handle_termination


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=1, help="unrecorded seconds per page")
    parser.add_argument("--users", type=int, default=2, help="concurrent users (default 2)")
    parser.add_argument(
        "--scales", default="1,100", help="comma-separated demo scales (default 1,100)"
    )
    parser.add_argument(
        "--pages", nargs="*", help="only the pages whose name contains one of these (and floor)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="split each page's seconds into this many slices, taking turns with the others",
    )
    parser.add_argument(
        "--max-requests", type=int, default=100_000, help="upper bound of requests per slice"
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where latest.* go")
    args = parser.parse_args(argv)
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if not args.scales or min(args.scales) < 1:
        parser.error("scales must be 1 or more")
    if args.seconds <= 0 or args.users < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("seconds, users and rounds must be positive")
    return args


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = psutil.virtual_memory().total / 1024**3
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_gib:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def run_child(processes: Processes, args: list[str], env: dict[str, str]) -> None:
    child = processes.start(args, cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL)
    try:
        code = child.wait()
    finally:
        processes.stop(child)
    if code != 0:
        raise RuntimeError(f"{' '.join(args[1:])} failed with exit code {code}")


@dataclass
class Scale:
    """One seeded database, its environment and what Django said about its pages."""

    scale: int
    database: Path
    env: dict[str, str]
    django: dict[str, Any]


def prepare_scale(
    scale: int,
    seeded: Path,
    pages: list[Page],
    args: argparse.Namespace,
    env: dict[str, str],
    processes: Processes,
    work_dir: Path,
    temp: Path,
) -> Scale:
    """Copy the seeded database, sign the personas in, count every page's queries."""
    database = working_copy(seeded, work_dir / f"scale{scale}.sqlite3")
    env = {**env, "DATABASE_URL": sqlite_url(database)}
    plan_path, django_out = temp / f"pages-{scale}.json", temp / f"django-{scale}.json"
    plan_path.write_text(
        json.dumps(
            {
                "pages": [
                    {"name": p.name, "path": p.path, "user": p.user, "status": p.status}
                    for p in pages
                ]
            }
        )
    )
    print(f"[bench] {scale}x: signing in the personas and counting queries ...", flush=True)
    run_child(
        processes,
        [sys.executable, "-m", "bench.django_side", str(plan_path), str(django_out)],
        env,
    )
    django = json.loads(django_out.read_text())
    (args.out / f"queries-scale{scale}.json").write_text(json.dumps(django["pages"], indent=1))
    return Scale(scale, database, env, django)


def measure(
    scales: list[Scale],
    pages: list[Page],
    args: argparse.Namespace,
    processes: Processes,
    work_dir: Path,
    temp: Path,
) -> tuple[list[Measurement], dict[int, float]]:
    """Serve every scale at once and drive the pages in turns across pages and scales.

    Taking turns spreads any other load on the machine evenly over the pages and the
    scales, so the ratios to the floor and between scales compare like with like. Only
    one server is under load at any moment; the other waits idle.
    """
    with contextlib.ExitStack() as stack:
        servers = {
            s.scale: stack.enter_context(
                Gunicorn(processes, s.database, s.env, work_dir / f"gunicorn-scale{s.scale}.log")
            )
            for s in scales
        }
        phases = []
        for page in pages:
            for s in scales:
                cookie = None
                if page.user:
                    cookie = f"{s.django['cookie_name']}={s.django['sessions'][page.user]}"
                phases.append(
                    {
                        "key": _key(page, s.scale),
                        "host": servers[s.scale].url,
                        "path": s.django["pages"][page.name]["path"],
                        "cookie": cookie,
                        "status": page.status,
                    }
                )
        print(
            f"[bench] gunicorn at {', '.join(f'{n}x {v.url}' for n, v in servers.items())}; "
            f"{len(pages)} pages x {args.warmup:g}+{args.seconds:g} s in {args.rounds} rounds, "
            f"{args.users} users",
            flush=True,
        )
        load_plan, load_out = temp / "load.json", temp / "load-out.json"
        load_plan.write_text(
            json.dumps(
                {
                    "users": args.users,
                    "warmup": args.warmup,
                    "seconds": args.seconds,
                    "rounds": args.rounds,
                    "max_requests": args.max_requests,
                    "phases": phases,
                }
            )
        )
        run_child(
            processes,
            [sys.executable, "-m", "bench.locustfile", str(load_plan), str(load_out)],
            scales[0].env,
        )
        load = {phase["key"]: phase for phase in json.loads(load_out.read_text())["phases"]}
    memory = {scale: server.peak_worker_mb for scale, server in servers.items()}

    measurements = []
    for s in scales:
        for page in pages:
            counted = s.django["pages"][page.name]
            loaded = load[_key(page, s.scale)]
            errors, samples = loaded["errors"], list(loaded["error_samples"])
            if counted["status"] != page.status:
                errors += 1
                samples.insert(0, f"test Client: HTTP {counted['status']}, expected {page.status}")
            measurements.append(
                Measurement(
                    page=page,
                    scale=s.scale,
                    path=counted["path"],
                    times_ms=loaded["times_ms"],
                    seconds=loaded["seconds"],
                    queries=counted["queries"],
                    errors=errors,
                    error_samples=samples,
                )
            )
    return measurements, memory


def _key(page: Page, scale: int) -> str:
    return f"{page.name} @{scale}x"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pages = select(PAGES, args.pages)
    args.out.mkdir(parents=True, exist_ok=True)
    work_dir = BENCH_DIR / "server"  # CONCORD_VAR_DIR of the served site: static files, copies
    work_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(work_dir)
    per_scale = len(pages) * (args.warmup + args.seconds + 0.1 * (args.rounds - 1))
    print(
        f"[bench] {len(pages)} pages at {', '.join(f'{s}x' for s in args.scales)}: about "
        f"{per_scale * len(args.scales) / 60:.1f} min of load after set-up",
        flush=True,
    )
    load_before = os.getloadavg()
    processes = Processes()
    with handle_termination():
        try:
            ensure_static(work_dir, env)
            seeded = {scale: ensure_seeded(scale, env) for scale in args.scales}
            with tempfile.TemporaryDirectory(dir=work_dir) as temp:
                scales = [
                    prepare_scale(
                        scale, seeded[scale], pages, args, env, processes, work_dir, Path(temp)
                    )
                    for scale in args.scales
                ]
                measurements, memory = measure(scales, pages, args, processes, work_dir, Path(temp))
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        finally:
            processes.stop_all()

    report = build_report(
        measurements,
        worker_rss_mb=memory,
        machine=machine_description(),
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        run={
            **run_settings(args),
            "cores": os.cpu_count(),
            # Before the benchmark adds its own: other work on the machine makes noise.
            "load_average_at_start": round(load_before[0], 2),
        },
    )
    (args.out / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "latest.md").write_text(render_markdown(report))
    print()
    print(render_text(report))
    print(
        f"\n[bench] wrote {_shown(args.out / 'latest.json')} and {_shown(args.out / 'latest.md')}"
    )
    if report["errors"]:
        print(f"[bench] {report['errors']} requests failed: see the notes above.", file=sys.stderr)
        return 1
    return 0


def run_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "seconds": args.seconds,
        "warmup": args.warmup,
        "users": args.users,
        "rounds": args.rounds,
        "scales": args.scales,
        "workers": 2,
        "load_generator": "locust (FastHttpUser, headless)",
    }


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(BASE_DIR))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
