"""`make bench-load`: the load suite at full size (issue 10), on SQLite and on PostgreSQL.

For each database: migrate a fresh one and prepare it (``bench.load_django prepare``):
250 complete draft applications, a training session with 30 seats left and 200 people
waiting to confirm, 50 referrals each with two handlers signed in, 50 members signed in.
Serve it with gunicorn (2 workers, production settings) on 127.0.0.1, and send the crowds
(``bench/load.py``), each right after a slice of the floor (/health/ from as many threads,
starting together, so the ratio compares like with like):

- applications: 5 rounds of 50 applicants submitting at once;
- last seats: 200 people confirming at once for the last 30 seats;
- accepts: 50 referrals, each accepted by its two handlers at once (100 posts);
- double clicks: 50 applicants double-clicking the application's start form and 50
  members double-clicking the technical-assistance form (200 posts).

Then the database must hold every application submitted once (one status change, one
confirmation email queued), 30 seats taken and 170 waiting, 50 accepts, 50 applications
started and 50 requests; no response may be a 5xx and the server's log may not say
"database is locked". Writes var/bench/load.json and .md; a failed check exits with 1.
"""

import argparse
import datetime
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.applicants import locked_lines, measure_floor
from bench.browser import Browser, Tally
from bench.htmlforms import FIRST
from bench.load import Outcome, Person, at_once, people, source_address
from bench.report import percentile
from bench.server import Gunicorn, Processes
from bench.steps import django_step
from bench.trainings import TAKEN, database_for

DATABASES = ("sqlite", "postgresql")
MODULE = "bench.load_django"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load_suite", description=__doc__)
    parser.add_argument("--applicants", type=int, default=50, help="at once (default 50)")
    parser.add_argument("--rounds", type=int, default=5, help="of applicants (default 5)")
    parser.add_argument("--people", type=int, default=200, help="for the seats (default 200)")
    parser.add_argument("--seats", type=int, default=30, help="left (default 30)")
    parser.add_argument("--referrals", type=int, default=50, help="accepted twice (default 50)")
    parser.add_argument("--clickers", type=int, default=50, help="per form (default 50)")
    parser.add_argument(
        "--databases",
        default=",".join(DATABASES),
        help=f"comma-separated, of {', '.join(DATABASES)} (default both)",
    )
    parser.add_argument("--out", type=Path, default=None, help="where load.* go")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not args.databases or set(args.databases) - set(DATABASES):
        parser.error(f"databases must be among {', '.join(DATABASES)}")
    crowds = (args.applicants, args.people, 2 * args.referrals, 2 * args.clickers)
    if min(crowds) < 1 or max(crowds) > 253 or not 1 <= args.seats <= args.people:
        parser.error("each crowd must be 1 to 253 people (one loopback address each)")
    return args


@dataclass
class Crowd:
    """One scenario's figures on one database."""

    name: str
    people: int
    posts: int = 0
    seconds: float = 0.0
    post_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    expected: str = ""
    found: str = ""

    def p95(self, times: list[float]) -> float | None:
        return round(percentile(sorted(times), 95), 1) if times else None

    @property
    def ratio(self) -> float | None:
        post, floor = self.p95(self.post_ms), self.p95(self.floor_ms)
        return round(post / floor, 2) if post and floor else None

    @property
    def ok(self) -> bool:
        return self.expected == self.found and not self.server_errors and not self.failures

    def add(self, outcome: Outcome) -> None:
        self.posts += sum(len(person.responses) for person in outcome.people)
        self.seconds += outcome.seconds
        self.post_ms += outcome.milliseconds()
        self.server_errors += outcome.server_errors
        self.failures += outcome.failures[:3]


def floor_slice(base_url: str, threads: int, crowd: Crowd, tally: Tally) -> None:
    crowd.floor_ms += measure_floor(base_url, threads, max(threads, 100), tally)


def signed_in(person: Person, cookie: str, key: str) -> Person:
    person.browser.cookies[cookie] = key
    return person


def send_crowds(base_url: str, plan: dict[str, Any], args: argparse.Namespace) -> list[Crowd]:
    cookie = plan["session_cookie"]
    tally = Tally()
    applications = Crowd("applications submitted at once", args.applicants)
    links = plan["applications"]
    for number in range(args.rounds):
        floor_slice(base_url, args.applicants, applications, tally)
        crowd = people(
            base_url, args.applicants, tally, page="/apply/review/", action="/apply/submit/"
        )
        mine = links[number * args.applicants : (number + 1) * args.applicants]
        for person, link in zip(crowd, mine, strict=True):
            person.before = [link]
        applications.add(at_once(crowd, tally))

    seats = Crowd(f"last {args.seats} seats", args.people)
    floor_slice(base_url, args.people, seats, tally)
    seats.add(
        at_once(
            [
                Person(Browser(base_url, source_address(index), tally), link, link)
                for index, link in enumerate(plan["confirm_links"])
            ],
            tally,
        )
    )

    accepts = Crowd("two accepts of one referral", 2 * args.referrals)
    floor_slice(base_url, 2 * args.referrals, accepts, tally)
    handlers = [
        signed_in(
            Person(Browser(base_url, source_address(2 * n + i), tally), r["detail"], r["accept"]),
            cookie,
            key,
        )
        for n, r in enumerate(plan["referrals"])
        for i, key in enumerate(r["sessions"])
    ]
    accepts.add(at_once(handlers, tally))

    clicks = Crowd("double-clicked forms", 2 * args.clickers)
    floor_slice(base_url, 2 * args.clickers, clicks, tally)
    starters = people(base_url, args.clickers, tally, page="/apply/", action="/apply/", clicks=2)
    for index, person in enumerate(starters):
        person.answers = {"homepage": "", "email": f"bench-load-clicker{index}@example.org"}
    askers = [
        signed_in(
            Person(
                Browser(base_url, source_address(args.clickers + index), tally),
                "/technical-assistance/",
                "/technical-assistance/",
                {
                    "topic": FIRST,
                    "urgency": FIRST,
                    "description": "Help drafting a protocol for hospital staff.",
                    "homepage": "",
                },
                clicks=2,
            ),
            cookie,
            key,
        )
        for index, key in enumerate(plan["members"])
    ]
    clicks.add(at_once([*starters, *askers], tally))
    return [applications, seats, accepts, clicks]


def check(crowds: list[Crowd], counts: dict[str, Any], args: argparse.Namespace) -> None:
    applications, seats, accepts, clicks = crowds
    submitted = args.applicants * args.rounds
    applications.expected = f"{submitted} submitted, {submitted} changes, {submitted} emails"
    applications.found = (
        f"{counts['submitted']} submitted, {counts['submitted_changes']} changes, "
        f"{counts['confirmation_tasks']} emails"
    )
    waiting = args.people - args.seats
    seats.expected = f"{args.seats} seated, {waiting} waiting"
    registered = counts["seats"].get("registered", 0) - TAKEN
    seats.found = f"{registered} seated, {counts['seats'].get('waitlisted', 0)} waiting"
    accepts.expected = f"{args.referrals} accepts"
    accepts.found = f"{counts['accepts']} accepts"
    clicks.expected = f"{args.clickers} applications, {args.clickers} requests"
    clicks.found = f"{counts['started']} applications, {counts['assistance_requests']} requests"


def bench_database(
    kind: str, args: argparse.Namespace, env: dict[str, str], processes: Processes, work: Path
) -> tuple[list[Crowd], int]:
    log_path = work / f"gunicorn-load-{kind}.log"
    log_path.unlink(missing_ok=True)
    step_log = work / f"load-django-{kind}.log"
    step_log.unlink(missing_ok=True)
    wanted = {
        "applicants": args.applicants,
        "rounds": args.rounds,
        "people_for_seats": args.people,
        "seats": args.seats,
        "referrals": args.referrals,
        "clickers": args.clickers,
    }
    with database_for(kind, env, work) as url, tempfile.TemporaryDirectory(dir=work) as temp:
        step_env = {**env, "DATABASE_URL": url}
        print(f"[bench] {kind}: preparing the crowds' records ...", flush=True)
        plan, _s, _mb, error = django_step(
            MODULE, processes, "prepare", wanted, step_env, Path(temp), step_log
        )
        if plan is None:
            raise RuntimeError(error)
        with Gunicorn(processes, url, env, log_path, capture_output=True) as server:
            print(f"[bench] {kind}: gunicorn at {server.url}", flush=True)
            for _ in range(4):  # each worker's first pages load templates
                Browser(server.url, "127.0.0.1", Tally()).request("GET", "/apply/")
            crowds = send_crowds(server.url, plan, args)
        counts, _s, _mb, error = django_step(
            MODULE, processes, "count", {"session": plan["session"]}, step_env, Path(temp), step_log
        )
        if counts is None:
            raise RuntimeError(error)
    check(crowds, counts, args)
    for crowd in crowds:
        print(
            f"[bench] {kind}: {crowd.name}: {crowd.found} (expected {crowd.expected}); "
            f"{crowd.server_errors} 5xx; p95 {crowd.p95(crowd.post_ms)} ms, "
            f"{crowd.ratio}x the floor",
            flush=True,
        )
    return crowds, locked_lines(log_path)


def render_markdown(results: dict[str, Any], date: str, machine: str) -> str:
    lines = [
        "# Load benchmark",
        "",
        f"{date}, {machine}. gunicorn, 2 workers, production settings. Each crowd's p95 is "
        "compared with /health/'s p95 from as many threads at once, measured right before it.",
        "",
        "| database | crowd | people | posts | seconds | p95 ms | floor p95 ms | ratio | "
        "expected | found | 5xx | ok |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|",
    ]
    for kind, run in results.items():
        for crowd in run["crowds"]:
            lines.append(
                f"| {kind} | {crowd['name']} | {crowd['people']} | {crowd['posts']} | "
                f"{crowd['seconds']:.2f} | {crowd['p95_ms']} | {crowd['floor_p95_ms']} | "
                f"{crowd['ratio']} | {crowd['expected']} | {crowd['found']} | "
                f"{crowd['server_errors']} | {'yes' if crowd['ok'] else 'NO'} |"
            )
    lines.append("")
    for kind, run in results.items():
        lines.append(f"- {kind}: 'database is locked' in the server's log: {run['locked']}")
        lines += [f"- {kind}: {sample}" for c in run["crowds"] for sample in c["failures"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from bench.__main__ import machine_description
    from bench.seed import BENCH_DIR
    from bench.server import bench_env, ensure_static, handle_termination

    args = parse_args(argv)
    out = args.out or BENCH_DIR
    out.mkdir(parents=True, exist_ok=True)
    work = BENCH_DIR / "server"
    work.mkdir(parents=True, exist_ok=True)
    env = bench_env(work)
    processes = Processes()
    results: dict[str, Any] = {}
    with handle_termination():
        try:
            for kind in args.databases:
                ensure_static(work, env)
                crowds, locked = bench_database(kind, args, env, processes, work)
                results[kind] = {
                    "locked": locked,
                    "crowds": [
                        {
                            "name": c.name,
                            "people": c.people,
                            "posts": c.posts,
                            "seconds": round(c.seconds, 3),
                            "p95_ms": c.p95(c.post_ms),
                            "floor_p95_ms": c.p95(c.floor_ms),
                            "ratio": c.ratio,
                            "expected": c.expected,
                            "found": c.found,
                            "server_errors": c.server_errors,
                            "failures": c.failures,
                            "ok": c.ok,
                        }
                        for c in crowds
                    ],
                }
        except KeyboardInterrupt:
            print("\n[bench] interrupted; stopping the servers.", file=sys.stderr)
            return 130
        finally:
            processes.stop_all()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    ok = all(run["locked"] == 0 and all(c["ok"] for c in run["crowds"]) for run in results.values())
    markdown = render_markdown(results, date, machine_description())
    (out / "load.json").write_text(json.dumps({"date": date, "ok": ok, **results}, indent=2) + "\n")
    (out / "load.md").write_text(markdown)
    print()
    print(markdown)
    if not ok:
        print("[bench] the load benchmark FAILED: see the checks above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
