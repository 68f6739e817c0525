"""The referrals benchmark's report (issue 6): pure functions of what bench.referrals
measured, so that the maths and the goals are tested without a server."""

from typing import Any

from bench.directory_report import fmt, page_row, table_lines

INBOX_FLOOR_GOAL = 6.0
PURGE_SECONDS_GOAL = 30.0


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def build_report(
    *,
    referrals: int,
    agencies: int,
    purgeable: int,
    counts: dict[str, int],
    generate_seconds: float | None,
    floor: dict[str, Any] | None,
    pages: list[dict[str, Any]],
    queries: dict[str, int | None],
    purge: dict[str, Any] | None,
    purge_error: str | None,
    run: dict[str, Any],
) -> dict[str, Any]:
    """Every figure and whether each goal was met; ``ok`` is all of them.

    ``queries`` holds each inbox variant's query count (busy agency, its second page, the
    quiet agency): the goal is that they are all equal. ``purge`` is what
    ``bench.referrals_django purge`` wrote, with ``wall_seconds`` and ``peak_mb`` of its
    process added."""
    floor_row = page_row(floor, None, floor=True) if floor else None
    floor_p95 = floor_row["p95_ms"] if floor_row else None
    rows = [page_row(page, floor_p95) for page in pages]
    checks = [
        {
            "goal": f"{row['name']}: p95 within {row['goal']:g}x the floor's, no errors",
            "value": row["floor_ratio"],
            "ok": bool(row["ok"]),
        }
        for row in rows
    ]
    counted = [value for value in queries.values() if value is not None]
    checks.append(
        {
            "goal": "the inbox makes the same number of queries whatever its size",
            "value": ", ".join(f"{name}: {value}" for name, value in queries.items()),
            "ok": bool(counted) and len(counted) == len(queries) and len(set(counted)) == 1,
        }
    )
    purge_seconds = purge.get("seconds") if purge else None
    erased = (purge or {}).get("counts", {}).get("referrals")
    checks.append(
        {
            "goal": f"purge of {purgeable:,} expired referrals under {PURGE_SECONDS_GOAL:g} s",
            "value": _round(purge_seconds, 2),
            "ok": purge_error is None
            and purge_seconds is not None
            and purge_seconds < PURGE_SECONDS_GOAL
            and erased == purgeable
            and (purge or {}).get("left") == 0,
        }
    )
    if floor_row is not None and not floor_row["ok"]:
        checks.append({"goal": "the floor answers without errors", "value": None, "ok": False})
    if floor_row is None or not rows:
        checks.append({"goal": "the pages were measured", "value": None, "ok": False})
    return {
        "referrals": referrals,
        "agencies": agencies,
        "counts": counts,
        "generate_seconds": _round(generate_seconds, 1),
        "floor": floor_row,
        "pages": rows,
        "queries": queries,
        "purge": {**(purge or {}), "error": purge_error},
        "checks": checks,
        "ok": all(check["ok"] for check in checks),
        "run": run,
    }


def _summary(report: dict[str, Any]) -> list[str]:
    run, counts, purge = report["run"], report["counts"], report["purge"]
    purged = purge.get("counts", {})
    return [
        f"Referrals benchmark, {report['referrals']:,} referrals over "
        f"{report['agencies']} agencies ({run.get('date', '')})",
        f"Machine: {run.get('machine', '')}",
        f"Load average (1 min) at start {run.get('load_average_at_start')}, "
        f"before the pages {run.get('load_average_before_pages')}, "
        f"at the end {run.get('load_average_at_end')}",
        f"Data: {counts.get('referrals', 0):,} referrals, {counts.get('consents', 0):,} "
        f"consents, {counts.get('messages', 0):,} messages, written in "
        f"{fmt(report['generate_seconds'])} s; the busy agency's inbox holds "
        f"{counts.get('busy_inbox', 0):,}, the quiet one's {counts.get('quiet_inbox', 0):,}",
        f"Inbox queries: {', '.join(f'{k} {v}' for k, v in report['queries'].items())}",
        f"Purge: {fmt(purge.get('seconds'))} s in the task ({fmt(purge.get('wall_seconds'))} "
        f"s with the process start), peak RSS {fmt(purge.get('peak_mb'))} MB, erased "
        f"{fmt(purged.get('referrals'))} referrals and {fmt(purged.get('consents'))} "
        f"consents, {fmt(purge.get('left'))} left"
        + (f" - FAILED: {purge['error']}" if purge.get("error") else ""),
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
    out = ["# Referrals benchmark (issue 6)", ""]
    out += [f"- {line}" for line in _summary(report)]
    out += ["", "| " + " | ".join(lines[0]) + " |", "|" + "---|" * len(lines[0])]
    out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
    out += ["", "## Goals", ""]
    out += [
        f"- {'met' if check['ok'] else '**missed**'}: {check['goal']} ({check['value']})"
        for check in report["checks"]
    ]
    return "\n".join(out) + "\n"
