"""Pure functions: percentiles, the report (the JSON of var/bench/latest.json) and its
text and Markdown tables. No Django, no locust, no I/O: the unit tests run these."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.pages import FLOOR, MEMORY_GOAL_MB, SCALE_GOAL, Page


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Measurement:
    """One page at one scale: the response times inside the measured window."""

    page: Page
    scale: int
    path: str  # the resolved path that was requested
    times_ms: list[float]
    seconds: float  # length of the measured window
    queries: int | None = None
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)


def _ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, 2)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def build_report(
    measurements: list[Measurement],
    *,
    worker_rss_mb: dict[int, float],
    machine: str,
    date: str,
    run: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON document: floor, one row per page and scale, peak worker memory, goals."""
    scales = sorted({m.scale for m in measurements})
    base_scale = scales[0] if scales else None
    summary: dict[tuple[str, int], dict[str, float | None]] = {}
    for m in measurements:
        p50 = percentile(m.times_ms, 50) if m.times_ms else None
        p95 = percentile(m.times_ms, 95) if m.times_ms else None
        rps = len(m.times_ms) / m.seconds if m.seconds > 0 else None
        summary[(m.page.name, m.scale)] = {"p50": p50, "p95": p95, "rps": rps}

    floor_by_scale = {
        scale: summary.get((FLOOR.name, scale), {"p50": None, "p95": None}) for scale in scales
    }
    # Keep the order in which the pages were listed, scale by scale.
    order = {name: i for i, name in enumerate(dict.fromkeys(m.page.name for m in measurements))}
    rows = []
    for m in sorted(measurements, key=lambda m: (m.scale, order[m.page.name])):
        own = summary[(m.page.name, m.scale)]
        floor_p95 = floor_by_scale[m.scale]["p95"]
        ratio_floor = _ratio(own["p95"], floor_p95)
        ratio_scale = None
        if m.scale != base_scale and base_scale is not None:
            base = summary.get((m.page.name, base_scale))
            ratio_scale = _ratio(own["p95"], base["p95"] if base else None)
        rows.append(
            {
                "name": m.page.name,
                "path": m.path,
                "scale": m.scale,
                "p50_ms": _round(own["p50"], 2),
                "p95_ms": _round(own["p95"], 2),
                "rps": _round(own["rps"], 1),
                "queries": m.queries,
                "ratio_floor": ratio_floor,
                "ratio_scale": ratio_scale,
                # Extra fields: who asked, the goals and how the run went.
                "user": m.page.user,
                "requests": len(m.times_ms),
                "errors": m.errors,
                "error_samples": m.error_samples[:5],
                "goal_floor": m.page.floor_goal,
                "floor_ok": None if ratio_floor is None else ratio_floor <= m.page.floor_goal,
                "scale_ok": None if ratio_scale is None else ratio_scale <= SCALE_GOAL,
            }
        )
    base_floor = floor_by_scale.get(base_scale, {}) if base_scale is not None else {}
    peak = max(worker_rss_mb.values()) if worker_rss_mb else None
    return {
        "machine": machine,
        "date": date,
        "floor": {
            "p50_ms": _round(base_floor.get("p50"), 2),
            "p95_ms": _round(base_floor.get("p95"), 2),
        },
        "pages": rows,
        "worker_rss_mb": _round(peak, 1),
        # Extra fields.
        "floor_by_scale": {
            str(scale): {"p50_ms": _round(f["p50"], 2), "p95_ms": _round(f["p95"], 2)}
            for scale, f in floor_by_scale.items()
        },
        "worker_rss_mb_by_scale": {str(s): round(v, 1) for s, v in sorted(worker_rss_mb.items())},
        "memory_ok": None if peak is None else peak < MEMORY_GOAL_MB,
        "goals": {"scale": SCALE_GOAL, "memory_mb": MEMORY_GOAL_MB},
        "query_growth": query_growth(rows),
        "errors": sum(row["errors"] for row in rows),
        "run": run or {},
    }


def query_growth(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages whose query count differs between scales: a sign of an N+1 or a missing limit."""
    by_name: dict[str, dict[int, int | None]] = {}
    for row in rows:
        by_name.setdefault(row["name"], {})[row["scale"]] = row["queries"]
    grown = []
    for name, counts in by_name.items():
        known = {scale: q for scale, q in counts.items() if q is not None}
        if len(set(known.values())) > 1:
            grown.append({"name": name, "queries": {str(s): q for s, q in sorted(known.items())}})
    return grown


def _fmt(value: float | int | None, spec: str = "") -> str:
    return "—" if value is None else format(value, spec)


def _ok(value: bool | None) -> str:
    return "" if value is None else ("pass" if value else "FAIL")


HEADERS = [
    "page",
    "scale",
    "p50 ms",
    "p95 ms",
    "rps",
    "queries",
    "p95/floor",
    "floor goal",
    "100x/1x",
    "scale goal",
    "errors",
]


def table_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for row in report["pages"]:
        ratio_floor = row["ratio_floor"]
        rows.append(
            [
                row["name"],
                f"{row['scale']}x",
                _fmt(row["p50_ms"], ".1f"),
                _fmt(row["p95_ms"], ".1f"),
                _fmt(row["rps"], ".0f"),
                _fmt(row["queries"]),
                "—" if ratio_floor is None else f"{ratio_floor:.2f}",
                f"≤{row['goal_floor']:g} {_ok(row['floor_ok'])}".strip()
                if row["name"] != FLOOR.name
                else "",
                _fmt(row["ratio_scale"], ".2f"),
                f"≤{SCALE_GOAL:g} {_ok(row['scale_ok'])}" if row["scale_ok"] is not None else "",
                str(row["errors"]),
            ]
        )
    return rows


def memory_line(report: dict[str, Any]) -> str:
    by_scale = ", ".join(
        f"{mb:.1f} MB at {s}x" for s, mb in report["worker_rss_mb_by_scale"].items()
    )
    return (
        f"Peak memory per gunicorn worker: {_fmt(report['worker_rss_mb'], '.1f')} MB"
        f" ({by_scale}); goal < {MEMORY_GOAL_MB:g} MB: {_ok(report['memory_ok']) or '—'}"
    )


def render_text(report: dict[str, Any]) -> str:
    rows = [HEADERS, *table_rows(report)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(memory_line(report))
    lines.extend(_notes(report))
    lines.extend(_busy(report))
    return "\n".join(lines)


def _busy(report: dict[str, Any]) -> list[str]:
    """A warning when other work shared the machine: its figures are noisier than usual."""
    run = report.get("run", {})
    load, cores = run.get("load_average_at_start"), run.get("cores")
    if load is None or not cores or load <= cores / 2:
        return []
    return [
        f"Other work shared the machine (load average {load:.1f} on {cores} cores at the start):"
        " latencies and ratios are noisier than on an idle machine."
    ]


def render_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Benchmark of {report['date']} on {report['machine']}"
        f" (`make bench`; floor: `/health/`, p95 {_fmt(report['floor']['p95_ms'], '.1f')} ms at 1x).",
        *_busy(report),
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(HEADERS))) + "|",
    ]
    for row in table_rows(report):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    lines.append("")
    lines.append(memory_line(report) + ".")
    notes = _notes(report)
    if notes:
        lines.append("")
        lines.extend(f"- {note.lstrip('- ')}" for note in notes)
    return "\n".join(lines) + "\n"


def _notes(report: dict[str, Any]) -> list[str]:
    notes = []
    for grown in report["query_growth"]:
        counts = ", ".join(f"{q} at {s}x" for s, q in grown["queries"].items())
        notes.append(f"- queries grow with scale on {grown['name']}: {counts}")
    for row in report["pages"]:
        if row["errors"]:
            sample = "; ".join(row["error_samples"][:2])
            notes.append(f"- {row['errors']} errors on {row['name']} at {row['scale']}x: {sample}")
    return notes
