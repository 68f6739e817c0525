"""The directory benchmark's report (issue 5): pure functions of what bench.directory
measured, so that the maths and the goals are tested without a server."""

from typing import Any

from bench.report import percentile

SEARCH_FLOOR_GOAL = 6.0
API_FLOOR_GOAL = 8.0
IMPORT_SECONDS_GOAL = 60.0
IMPORT_MEMORY_GOAL_MB = 500.0


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def page_row(
    page: dict[str, Any], floor_p95: float | None, *, floor: bool = False
) -> dict[str, Any]:
    """One page's figures: ``page`` has name, path, goal (None: the floor), times_ms,
    queries and errors."""
    times = page["times_ms"]
    p95 = percentile(times, 95) if times else None
    ratio = p95 / floor_p95 if p95 is not None and floor_p95 else None
    goal = page.get("goal")
    ok: bool | None = page.get("errors", 0) == 0 and bool(times)
    if ok and goal is not None:
        ok = ratio is not None and ratio <= goal
    return {
        "name": page["name"],
        "path": page["path"],
        "requests": len(times),
        "p50_ms": _round(percentile(times, 50) if times else None),
        "p95_ms": _round(p95),
        "floor_ratio": None if floor else _round(ratio),
        "goal": goal,
        "queries": page.get("queries"),
        "errors": page.get("errors", 0),
        "ok": ok,
    }


def build_report(
    *,
    services: int,
    counts: dict[str, int],
    import_seconds: float | None,
    import_peak_mb: float | None,
    import_error: str | None,
    floor: dict[str, Any] | None,
    pages: list[dict[str, Any]],
    run: dict[str, Any],
) -> dict[str, Any]:
    """Every figure and whether each goal was met; ``ok`` is all of them."""
    floor_row = page_row(floor, None, floor=True) if floor else None
    floor_p95 = floor_row["p95_ms"] if floor_row else None
    rows = [page_row(page, floor_p95) for page in pages]
    checks = [
        {
            "goal": f"import of {services:,} services under {IMPORT_SECONDS_GOAL:g} s",
            "value": _round(import_seconds, 1),
            "ok": import_error is None
            and import_seconds is not None
            and import_seconds < IMPORT_SECONDS_GOAL,
        },
        {
            "goal": f"import peak memory under {IMPORT_MEMORY_GOAL_MB:g} MB",
            "value": _round(import_peak_mb, 0),
            "ok": import_error is None
            and import_peak_mb is not None
            and import_peak_mb < IMPORT_MEMORY_GOAL_MB,
        },
    ]
    for row in rows:
        checks.append(
            {
                "goal": f"{row['name']}: p95 within {row['goal']:g}x the floor's, no errors",
                "value": row["floor_ratio"],
                "ok": bool(row["ok"]),
            }
        )
    if floor_row is not None and not floor_row["ok"]:
        checks.append({"goal": "the floor answers without errors", "value": None, "ok": False})
    return {
        "services": services,
        "counts": counts,
        "import": {
            "seconds": _round(import_seconds, 1),
            "peak_mb": _round(import_peak_mb, 0),
            "error": import_error,
        },
        "floor": floor_row,
        "pages": rows,
        "checks": checks,
        "ok": all(check["ok"] for check in checks),
        "run": run,
    }


def fmt(value: Any, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def table_lines(report: dict[str, Any]) -> list[list[str]]:
    header = ["page", "requests", "p50 ms", "p95 ms", "x floor", "goal", "queries", "errors", "ok"]
    lines = [header]
    for row in ([report["floor"]] if report["floor"] else []) + report["pages"]:
        lines.append(
            [
                row["name"],
                str(row["requests"]),
                fmt(row["p50_ms"], ".1f"),
                fmt(row["p95_ms"], ".1f"),
                fmt(row["floor_ratio"], ".2f"),
                "-" if row["goal"] is None else f"{row['goal']:g}x",
                fmt(row["queries"]),
                str(row["errors"]),
                "yes" if row["ok"] else "NO",
            ]
        )
    return lines


def _summary(report: dict[str, Any]) -> list[str]:
    run, imported = report["run"], report["import"]
    counts = report["counts"]
    return [
        f"Directory benchmark, {report['services']:,} services, "
        f"{counts.get('location', 0):,} locations ({run.get('date', '')})",
        f"Machine: {run.get('machine', '')}",
        f"Load average (1 min) at start {run.get('load_average_at_start')}, "
        f"before the pages {run.get('load_average_before_pages')}, "
        f"at the end {run.get('load_average_at_end')}",
        f"Import: {fmt(imported['seconds'])} s, peak RSS {fmt(imported['peak_mb'])} MB"
        + (f" - FAILED: {imported['error']}" if imported["error"] else ""),
    ]


def render_text(report: dict[str, Any]) -> str:
    lines = table_lines(report)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [*_summary(report), ""]
    for line in lines:
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    out.append("")
    for check in report["checks"]:
        out.append(f"[{'ok' if check['ok'] else 'MISSED'}] {check['goal']}: {check['value']}")
    out.append("All goals met." if report["ok"] else "Some goals were missed.")
    return "\n".join(out)


def render_markdown(report: dict[str, Any]) -> str:
    lines = table_lines(report)
    out = ["# Directory benchmark (issue 5)", ""]
    out += [f"- {line}" for line in _summary(report)]
    out += ["", "| " + " | ".join(lines[0]) + " |", "|" + "---|" * len(lines[0])]
    out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
    out += ["", "## Goals", ""]
    out += [
        f"- {'met' if check['ok'] else '**missed**'}: {check['goal']} ({check['value']})"
        for check in report["checks"]
    ]
    return "\n".join(out) + "\n"
