"""A side-by-side difference of two text versions, line by line (difflib), as rows for
an accessible table: each changed line says in words whether it was added, removed or
changed, so color is never the only sign."""

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EQUAL = "equal"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"
LABELS = {EQUAL: "", CHANGED: _("Changed"), ADDED: _("Added"), REMOVED: _("Removed")}
MAX_LINES = 20_000


@dataclass(frozen=True)
class DiffRow:
    change: str
    old_number: int | None
    old_line: str
    new_number: int | None
    new_line: str

    @property
    def label(self) -> str:
        return str(LABELS[self.change])


def side_by_side(old: str, new: str) -> list[DiffRow]:
    old_lines = old.splitlines()[:MAX_LINES]
    new_lines = new.splitlines()[:MAX_LINES]
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow(EQUAL, i + 1, old_lines[i], j + 1, new_lines[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        left, right = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(left), len(right))):
            i = left[k] if k < len(left) else None
            j = right[k] if k < len(right) else None
            change = CHANGED if i is not None and j is not None else REMOVED if j is None else ADDED
            rows.append(
                DiffRow(
                    change,
                    None if i is None else i + 1,
                    "" if i is None else old_lines[i],
                    None if j is None else j + 1,
                    "" if j is None else new_lines[j],
                )
            )
    return rows
