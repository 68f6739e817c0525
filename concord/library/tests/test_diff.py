from concord.library.diff import ADDED, CHANGED, EQUAL, REMOVED, side_by_side


def test_side_by_side_pairs_changed_lines_and_marks_additions_and_removals() -> None:
    rows = side_by_side("a\nb\nc\nd", "a\nB\nc\nd\ne")

    assert [(row.change, row.old_number, row.new_number) for row in rows] == [
        (EQUAL, 1, 1),
        (CHANGED, 2, 2),
        (EQUAL, 3, 3),
        (EQUAL, 4, 4),
        (ADDED, None, 5),
    ]
    assert rows[1].label == "Changed"


def test_side_by_side_marks_removed_lines() -> None:
    rows = side_by_side("a\nb", "a")

    assert [(row.change, row.old_line, row.new_line) for row in rows] == [
        (EQUAL, "a", "a"),
        (REMOVED, "b", ""),
    ]
