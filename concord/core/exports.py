"""Helpers for the CSV downloads."""

# A spreadsheet runs a cell that starts with one of these as a formula (SECURITY.md rule 12).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
