"""The production files in deploy/ work as written: the systemd units are valid, and the
web unit's gunicorn command writes JSON access lines that carry the request id."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bench.server import free_port

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def exec_start(unit: Path) -> list[str]:
    """The unit's ExecStart as arguments: continuation lines joined, %% unescaped."""
    text = unit.read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart=").replace("%%", "%"))


def test_there_are_units_for_the_web_the_worker_and_the_scheduler() -> None:
    assert [unit.name for unit in UNITS] == [
        "concord-scheduler.service",
        "concord-web.service",
        "concord-worker.service",
    ]
    assert exec_start(UNITS[0])[-1] == "run_scheduler"
    assert exec_start(UNITS[2])[-1] == "db_worker"


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_the_units_are_valid(unit: Path) -> None:
    result = subprocess.run(  # noqa: S603 (fixed arguments, the repository's own files)
        ["systemd-analyze", "verify", "--man=no", str(unit)],  # noqa: S607 (found on PATH)
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
        check=False,
    )
    # The unit's paths (/srv/concord, the concord user) do not exist on a test machine.
    problems = [
        line
        for line in result.stderr.splitlines()
        if not re.search(r"not executable|No such file|Failed to resolve|/srv/concord", line)
    ]
    assert problems == []


def test_the_web_units_gunicorn_writes_json_access_lines_with_the_request_id(
    tmp_path: Path,
) -> None:
    arguments = exec_start(ROOT / "deploy" / "systemd" / "concord-web.service")
    port = free_port()
    arguments[0] = str(Path(sys.executable).parent / "gunicorn")
    arguments[arguments.index("--bind") + 1] = f"127.0.0.1:{port}"
    arguments[arguments.index("--workers") + 1] = "1"
    env = {
        **os.environ,
        "DEBUG": "0",
        "LOG_FORMAT": "json",
        "SECRET_KEY": "deploy-test-" + "x" * 60,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CONCORD_VAR_DIR": str(tmp_path),
    }
    server = subprocess.Popen(  # noqa: S603 (the repository's own unit file)
        arguments, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        answer = None
        for _ in range(100):
            try:
                answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        assert answer is not None, "gunicorn did not start"
        request_id = answer.headers["X-Request-ID"]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)

    # Every access line is JSON; an early probe that timed out may have its own line.
    access = [json.loads(line) for line in output.splitlines() if '"gunicorn.access"' in line]
    answered = next(line for line in access if line["request_id"] == request_id)
    assert answered["method"] == "GET"
    assert answered["path"] == "/health/"
    assert answered["status"] == 200
    assert isinstance(answered["ms"], int)
