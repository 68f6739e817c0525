"""A throwaway PostgreSQL cluster on loopback for the benchmark, removed on exit.

Like scripts/test-postgres.sh, but on a free port and in a fresh directory, so it never
meets the test suite's cluster (port 54329). Durability stays at PostgreSQL's defaults
(fsync and synchronous commit on): the figures are those of a real server's commits.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.server import HOST, free_port

DATABASE = "concord_bench"
ROLE = "concord"


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory."""
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "pg_ctl").exists()]
    return max(found, key=lambda p: int(p.parent.name), default=None) if found else None


def _as_owner(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: the postgres system user runs it then.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Postgres:
    """``with Postgres() as pg:`` a running cluster with an empty database at ``pg.url``."""

    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError(
                "PostgreSQL is not installed (scripts/system-deps.sh test installs it)."
            )
        self.bin = bin_dir
        self.port = free_port()
        self.url = f"postgres://{ROLE}@{HOST}:{self.port}/{DATABASE}"
        self.dir: Path | None = None

    def _run(self, args: list[str], **kwargs: Any) -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, **kwargs)

    def __enter__(self) -> "Postgres":
        self.dir = Path(tempfile.mkdtemp(prefix=f"concord-bench-pg-{self.port}-", dir="/tmp"))
        try:
            if os.geteuid() == 0:
                if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                    self._run(["useradd", "--system", "--no-create-home", "postgres"])
                shutil.chown(self.dir, "postgres")
            data = str(self.dir)
            # Trust is safe here: the cluster listens on 127.0.0.1 only and holds demo data.
            self._run(
                _as_owner(
                    [str(self.bin / "initdb"), "-D", data, "-U", ROLE, "--auth=trust", "-E", "UTF8"]
                )
            )
            options = f"-c listen_addresses={HOST} -p {self.port} -k {data}"
            pg_ctl = [str(self.bin / "pg_ctl"), "-D", data, "-l", f"{data}/server.log", "-w"]
            self._run(_as_owner([*pg_ctl, "-o", options, "start"]))
            createdb = [str(self.bin / "createdb"), "-h", HOST, "-p", str(self.port)]
            self._run([*createdb, "-U", ROLE, DATABASE])
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.dir is None:
            return
        with contextlib.suppress(subprocess.CalledProcessError, OSError):
            self._run(
                _as_owner([str(self.bin / "pg_ctl"), "-D", str(self.dir), "-m", "fast", "stop"]),
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
