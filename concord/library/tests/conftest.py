from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def library_files(settings: Any, tmp_path: Path) -> Path:
    """Each test stores uploaded versions in its own directory."""
    root = tmp_path / "encrypted"
    root.mkdir()
    settings.ENCRYPTED_FILES_ROOT = root
    return root
