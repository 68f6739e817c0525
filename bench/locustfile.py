"""The load generator: locust, headless, used as a library in a process of its own (locust
patches the standard library with gevent on import, so the orchestrator never imports it).

Each phase drives one page with ``users`` concurrent users that wait for nothing between
requests: ``warmup`` seconds that are not recorded, then ``seconds`` that are, split into
``rounds`` slices that take turns with the other pages'. A slice is bounded in time and in
request count (``max_requests``), and only ever targets the loopback host it is given.

Usage: python -m bench.locustfile PLAN.json OUT.json
PLAN: {"users", "warmup", "seconds", "rounds", "max_requests",
       "phases": [{"key", "host": "http://127.0.0.1:PORT", "path", "cookie", "status"}]}
OUT:  {"phases": [{"key", "times_ms", "seconds", "errors", "error_samples", "requests"}]}
"""

import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment
from locust.exception import StopUser
from locust.log import setup_logging

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class PageUser(FastHttpUser):
    """Requests one page again and again, as a fresh visitor holding only ``cookie``."""

    abstract = True
    wait_time = constant(0)
    path = "/health/"
    label = "floor"
    cookie: str | None = None
    expected_status = 200
    budget: dict[str, int] = {"left": 0}  # shared by the phase's users

    @task
    def get_page(self) -> None:
        if self.budget["left"] <= 0:
            raise StopUser
        self.budget["left"] -= 1
        # No cookie carries over from the last response (say a new CSRF cookie): every
        # request is a first visit with only the session cookie, if any.
        self.client.cookiejar.clear()
        headers = {"Cookie": self.cookie} if self.cookie else {}
        with self.client.get(
            self.path, name=self.label, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == self.expected_status:
                response.success()
            else:
                location = response.headers.get("Location", "") if response.headers else ""
                response.failure(
                    f"HTTP {response.status_code} for {self.path}"
                    + (f" (to {location})" if location else "")
                    + f", expected {self.expected_status}"
                )


def run_phase(
    plan: dict[str, Any], phase: dict[str, Any], *, warmup: float, seconds: float
) -> dict[str, Any]:
    """Drive one page for ``warmup`` unrecorded seconds, then ``seconds`` recorded ones."""
    host = phase["host"]
    if urlsplit(host).hostname not in LOOPBACK:
        raise SystemExit(f"refusing to load anything but loopback, not {host}")
    user_class = type(
        "Phase",
        (PageUser,),
        {
            "abstract": False,
            "host": host,
            "path": phase["path"],
            "label": phase["key"],
            "cookie": phase.get("cookie"),
            "expected_status": phase.get("status", 200),
            "budget": {"left": int(plan["max_requests"])},
        },
    )
    times: list[float] = []
    errors: list[str] = []
    record_from = time.time() + warmup
    record_until = record_from + seconds

    def on_request(
        response_time: float, start_time: float, exception: Exception | None, **_: Any
    ) -> None:
        if exception is not None:
            errors.append(str(exception))
        elif start_time >= record_from and start_time + response_time / 1000 <= record_until:
            times.append(response_time)

    environment = Environment(user_classes=[user_class], host=host)
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    users = int(plan["users"])
    runner.start(users, spawn_rate=100)  # all users at once (locust warns above 100)
    gevent.sleep(max(0.0, record_until - time.time()))
    runner.quit()
    return {
        "times_ms": times,
        "errors": errors,
        "requests": int(plan["max_requests"]) - user_class.budget["left"],
    }


def run_plan(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page for ``seconds`` in all, in ``rounds`` interleaved slices.

    Interleaving spreads whatever else the machine does over all pages alike, so the
    ratios to the floor hold better than with one block per page. Only a page's first
    slice has the whole unrecorded warm-up.
    """
    rounds = max(1, int(plan.get("rounds", 1)))
    slice_seconds = float(plan["seconds"]) / rounds
    results = {
        phase["key"]: {
            "key": phase["key"],
            "times_ms": [],
            "seconds": float(plan["seconds"]),
            "errors": [],
            "requests": 0,
        }
        for phase in plan["phases"]
    }
    for round_index in range(rounds):
        for phase in plan["phases"]:
            # Later slices skip only the moment the users take to start.
            warmup = float(plan["warmup"]) if round_index == 0 else min(0.1, plan["warmup"])
            found = run_phase(plan, phase, warmup=warmup, seconds=slice_seconds)
            result = results[phase["key"]]
            result["times_ms"] += found["times_ms"]
            result["errors"] += found["errors"]
            result["requests"] += found["requests"]
    out = []
    for result in results.values():
        errors = result.pop("errors")
        result["errors"] = len(errors)
        result["error_samples"] = list(dict.fromkeys(errors))[:5]
        times = sorted(result["times_ms"])
        p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
        print(
            f"[bench]   {result['key']:<34} {len(times) / result['seconds']:7.1f} rps"
            f"  p95 {p95:7.1f} ms  errors {result['errors']}",
            file=sys.stderr,
            flush=True,
        )
        out.append(result)
    return out


def main(plan_path: str, out_path: str) -> int:
    setup_logging("WARNING")
    plan = json.loads(Path(plan_path).read_text())
    Path(out_path).write_text(json.dumps({"phases": run_plan(plan)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
