"""Running one step of a benchmark's own Django half (``bench.<name>_django COMMAND``) in a
child process with the run's settings: data generation, query counts, a timed task."""

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.directory import PeakRss
from bench.seed import BASE_DIR
from bench.server import Processes

StepResult = tuple[dict[str, Any] | None, float, float, str | None]


def django_step(
    module: str,
    processes: Processes,
    command: str,
    plan: dict[str, Any],
    env: dict[str, str],
    temp: Path,
    log: Path,
) -> StepResult:
    """Run ``module COMMAND PLAN OUT``: what it wrote to OUT, wall seconds, peak RSS (MB)
    and the error, if any (its output goes to ``log``)."""
    plan_path, out_path = temp / f"{command}-plan.json", temp / f"{command}-out.json"
    plan_path.write_text(json.dumps(plan))
    out_path.unlink(missing_ok=True)
    with log.open("a") as handle:
        started = time.monotonic()
        child = processes.start(
            [sys.executable, "-m", module, command, str(plan_path), str(out_path)],
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
    if code != 0 or not out_path.exists():
        return None, seconds, peak_mb, f"{command} exited with {code}; see {log}"
    return json.loads(out_path.read_text()), seconds, peak_mb, None
