"""gunicorn on 127.0.0.1 with production settings, its workers' memory, and the clean-up
that ends every process the benchmark started, on any exit (Ctrl-C and SIGTERM too)."""

import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
from cryptography.fernet import Fernet

from bench.seed import BASE_DIR, sqlite_url

HOST = "127.0.0.1"
# Ports that other work on this machine uses; never bind them.
RESERVED_PORTS = frozenset({8000, 8011, 54329})
WORKERS = 2
# Straight to loopback, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def bench_env(var_dir: Path, secret_key: str | None = None) -> dict[str, str]:
    """Production settings for local HTTP: DEBUG off, a fresh key, plain cookies."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "EMAIL_HOST", "TRUST_X_FORWARDED_PROTO", "CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secret_key or random_secret_key(),
            # One key per run: the run's database starts empty and is thrown away after.
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "CONCORD_VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def random_secret_key(length: int = 64) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def free_port(host: str = HOST, reserved: frozenset[int] = RESERVED_PORTS) -> int:
    """A port that the kernel hands out as free on ``host``, never a reserved one."""
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
        if port not in reserved:
            return int(port)
    raise RuntimeError("no free port found")


# Static files: with DEBUG=0 templates need the manifest that collectstatic writes. It takes
# about a minute, so the result is kept under var/bench/ while its inputs are unchanged.
STATIC_INPUTS = ["static", "package-lock.json", "requirements.txt", "config/settings.py"]


def static_fingerprint(base_dir: Path = BASE_DIR) -> str:
    digest = hashlib.sha256()
    for name in STATIC_INPUTS:
        root = base_dir / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.exists():
                digest.update(str(path.relative_to(base_dir)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_static(var_dir: Path, env: dict[str, str]) -> None:
    stamp = var_dir / "static.stamp.json"
    expected = static_fingerprint()
    manifest = var_dir / "static" / "staticfiles.json"
    with contextlib.suppress(FileNotFoundError, ValueError):
        if manifest.exists() and json.loads(stamp.read_text())["fingerprint"] == expected:
            return
    print("[bench] collectstatic (about a minute, kept for later runs) ...", flush=True)
    stamp.unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    stamp.write_text(json.dumps({"fingerprint": expected}))


class Processes:
    """Every child the benchmark starts, each in its own process group, ended on exit."""

    def __init__(self) -> None:
        self._children: list[subprocess.Popen[Any]] = []

    def start(self, args: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        # A session of its own: Ctrl-C reaches only the benchmark, which then ends the
        # child's whole group (gunicorn's master and workers) itself.
        child = subprocess.Popen(args, start_new_session=True, **kwargs)
        self._children.append(child)
        return child

    def stop(self, child: subprocess.Popen[Any], timeout: float = 10) -> None:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait(timeout=timeout)
        # Workers that outlived their master (they should not) go too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        if child in self._children:
            self._children.remove(child)

    def stop_all(self) -> None:
        for child in list(reversed(self._children)):
            self.stop(child)


@contextlib.contextmanager
def handle_termination() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into SystemExit, so ``finally`` blocks clean up as on Ctrl-C."""

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class RssSampler(threading.Thread):
    """Samples the resident memory of the gunicorn master's children (its workers)."""

    def __init__(self, master_pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.master = psutil.Process(master_pid)
        self.interval = interval
        self.peak_by_pid: dict[int, int] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def sample(self) -> None:
        with contextlib.suppress(psutil.Error):
            for worker in self.master.children():
                with contextlib.suppress(psutil.Error):
                    rss = worker.memory_info().rss
                    self.peak_by_pid[worker.pid] = max(rss, self.peak_by_pid.get(worker.pid, 0))

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)

    @property
    def peak_mb(self) -> float:
        return max(self.peak_by_pid.values(), default=0) / (1024 * 1024)


class Gunicorn:
    """gunicorn serving ``database`` (a SQLite file, or a database URL) on
    127.0.0.1:<free port> with 2 workers.

    ``capture_output`` sends what Django logs (to stderr) into the log file too, so a
    run can search it for errors afterwards."""

    def __init__(
        self,
        processes: Processes,
        database: Path | str,
        env: dict[str, str],
        log_path: Path,
        *,
        capture_output: bool = False,
    ) -> None:
        self.processes = processes
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        url = sqlite_url(database) if isinstance(database, Path) else database
        self.env = {**env, "DATABASE_URL": url}
        self.log_path = log_path
        self.capture_output = capture_output
        self.child: subprocess.Popen[Any] | None = None
        self.sampler: RssSampler | None = None

    def __enter__(self) -> "Gunicorn":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.child = self.processes.start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(WORKERS),
                "--timeout",
                "60",
                # gunicorn 27 opens a control socket at one fixed path per user; another
                # gunicorn on this machine (make serve) would share it.
                "--no-control-socket",
                "--error-logfile",
                str(self.log_path),
                *(["--capture-output"] if self.capture_output else []),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.processes.stop(self.child)
            raise
        self.sampler = RssSampler(self.child.pid)
        self.sampler.start()
        return self

    def _wait_until_ready(self, timeout: float = 60) -> None:
        assert self.child is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.child.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited early; see {self.log_path}:\n{self._log_tail()}"
                )
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                _DIRECT.open(f"{self.url}/health/", timeout=2) as response,
            ):
                if response.status == 200 and self._worker_count() >= WORKERS:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s:\n{self._log_tail()}")

    def _worker_count(self) -> int:
        assert self.child is not None
        with contextlib.suppress(psutil.Error):
            return len(psutil.Process(self.child.pid).children())
        return 0

    def _log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        return ""

    def __exit__(self, *exc: object) -> None:
        if self.sampler is not None:
            self.sampler.sample()
            self.sampler.stop()
        if self.child is not None:
            self.processes.stop(self.child)

    @property
    def peak_worker_mb(self) -> float:
        return self.sampler.peak_mb if self.sampler else 0.0
