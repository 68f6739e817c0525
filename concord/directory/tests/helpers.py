import shutil
from pathlib import Path
from typing import Any

from concord.directory.tables import HSDS_DIR, TABLES

EXAMPLES = HSDS_DIR / "examples"
CSV_EXAMPLES = EXAMPLES / "csv"


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every directory table, in a comparable form."""
    return {
        name: list(table.model._default_manager.order_by("pk").values())
        for name, table in TABLES.items()
    }


def copy_csv_examples(target: Path) -> Path:
    shutil.copytree(CSV_EXAMPLES, target)
    return target


def edit_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
