"""Writing files all or nothing.

A full disk (or any other failure) in the middle of a write must not leave half a file
behind for someone to open later: the bytes go to a temporary file beside the target,
which is renamed over the target only once complete and synced, and removed otherwise.
"""

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

PARTIAL_PREFIX = ".partial-"


def write_atomically(path: Path, chunks: Iterable[bytes], *, mode: int = 0o600) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=PARTIAL_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_partial(file_name: str) -> bool:
    """A temporary file of a write still going on, or of a process that died mid-write."""
    return file_name.startswith(PARTIAL_PREFIX)
