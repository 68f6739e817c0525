"""Pure parts of the applicants benchmark: the figures of one database's run, what counts
as a failure, and the tables of var/bench/applicants.*. No network, no Django."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.report import percentile


@dataclass
class Check:
    """What the database holds after the run, counted by bench.applicants_check."""

    applications: int = 0
    distinct_emails: int = 0
    distinct_references: int = 0
    unconfirmed: int = 0
    # Applications whose only status change is draft → unconfirmed.
    submitted_once: int = 0


@dataclass
class Run:
    """One database's measurements: the final submits, the rounds and the floor."""

    database: str
    expected: int  # applicants x rounds
    submit_ms: list[float]
    round_submit_seconds: list[float]  # barrier release to the last submit's response
    round_flow_seconds: list[float]  # first GET /apply/ to the last submit's response
    floor_ms: list[float]
    check: Check
    server_errors: int = 0
    flow_errors: int = 0
    database_locked: int = 0
    error_samples: list[str] = field(default_factory=list)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def per_second(count: int, seconds: Sequence[float]) -> float | None:
    total = sum(seconds)
    return count / total if total > 0 else None


def problems(run: Run) -> list[str]:
    """Every way the run missed the issue's bar: each makes the command fail."""
    found = []
    c = run.check
    if len(run.submit_ms) != run.expected:
        found.append(f"{len(run.submit_ms)} of {run.expected} final submits answered as expected")
    if c.applications != run.expected:
        found.append(f"{c.applications} applications stored, expected {run.expected}")
    if c.distinct_emails != c.applications:
        found.append(f"{c.applications - c.distinct_emails} applicants stored more than once")
    if c.distinct_references != c.applications:
        found.append(f"{c.applications - c.distinct_references} references repeated")
    if c.unconfirmed != c.applications:
        found.append(f"{c.applications - c.unconfirmed} applications not unconfirmed")
    if c.submitted_once != c.applications:
        found.append(
            f"{c.applications - c.submitted_once} applications without exactly one "
            "draft → unconfirmed change"
        )
    if run.server_errors:
        found.append(f"{run.server_errors} server errors (5xx)")
    if run.flow_errors:
        found.append(f"{run.flow_errors} applicants' flows went wrong")
    if run.database_locked:
        found.append(f'{run.database_locked} "database is locked" lines in the server log')
    return found


def summarize(run: Run) -> dict[str, Any]:
    p50 = percentile(run.submit_ms, 50) if run.submit_ms else None
    p95 = percentile(run.submit_ms, 95) if run.submit_ms else None
    floor_p50 = percentile(run.floor_ms, 50) if run.floor_ms else None
    floor_p95 = percentile(run.floor_ms, 95) if run.floor_ms else None
    submits = len(run.submit_ms)
    found = problems(run)
    return {
        "database": run.database,
        "expected": run.expected,
        "submits": submits,
        "submit": {
            "p50_ms": _round(p50),
            "p95_ms": _round(p95),
            "max_ms": _round(max(run.submit_ms) if run.submit_ms else None),
        },
        "floor": {"p50_ms": _round(floor_p50), "p95_ms": _round(floor_p95)},
        "ratio_floor": _round(p95 / floor_p95) if p95 is not None and floor_p95 else None,
        "throughput": {
            "submit_per_s": _round(per_second(submits, run.round_submit_seconds), 1),
            "flow_per_s": _round(per_second(submits, run.round_flow_seconds), 1),
        },
        "round_submit_seconds": [round(s, 3) for s in run.round_submit_seconds],
        "round_flow_seconds": [round(s, 3) for s in run.round_flow_seconds],
        "check": vars(run.check),
        "server_errors": run.server_errors,
        "flow_errors": run.flow_errors,
        "database_locked": run.database_locked,
        "error_samples": run.error_samples[:5],
        "problems": found,
        "ok": not found,
    }


def build_report(
    runs: list[Run], *, machine: str, date: str, settings: dict[str, Any]
) -> dict[str, Any]:
    databases = [summarize(run) for run in runs]
    return {
        "machine": machine,
        "date": date,
        "run": settings,
        "databases": databases,
        "ok": bool(databases) and all(d["ok"] for d in databases),
    }


HEADERS = [
    "database",
    "stored",
    "submits/s",
    "flow/s",
    "submit p50 ms",
    "submit p95 ms",
    "floor p95 ms",
    "p95/floor",
    "5xx",
    "locked",
    "result",
]


def _fmt(value: float | int | None, spec: str = "") -> str:
    return "—" if value is None else format(value, spec)


def table_rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [
            d["database"],
            f"{d['check']['applications']}/{d['expected']}",
            _fmt(d["throughput"]["submit_per_s"], ".1f"),
            _fmt(d["throughput"]["flow_per_s"], ".1f"),
            _fmt(d["submit"]["p50_ms"], ".1f"),
            _fmt(d["submit"]["p95_ms"], ".1f"),
            _fmt(d["floor"]["p95_ms"], ".1f"),
            _fmt(d["ratio_floor"], ".1f"),
            str(d["server_errors"]),
            str(d["database_locked"]),
            "pass" if d["ok"] else "FAIL",
        ]
        for d in report["databases"]
    ]


def _settings_line(report: dict[str, Any]) -> str:
    run = report["run"]
    return (
        f"{run.get('applicants')} applicants submitting at the same moment, "
        f"{run.get('rounds')} rounds, gunicorn with {run.get('workers')} workers; "
        f"floor: /health/ from {run.get('applicants')} threads starting together, "
        f"{run.get('floor_requests')} requests in slices right before each round."
    )


def _notes(report: dict[str, Any]) -> list[str]:
    notes = []
    for d in report["databases"]:
        for problem in d["problems"]:
            notes.append(f"{d['database']}: {problem}")
        for sample in d["error_samples"][:3]:
            notes.append(f"{d['database']}: e.g. {sample}")
    run = report["run"]
    load, cores = run.get("load_average_at_start"), run.get("cores")
    if load is not None and cores and load > cores / 2:
        notes.append(
            f"Other work shared the machine (load average {load:.1f} on {cores} cores at "
            "the start): latencies are noisier than on an idle machine."
        )
    return notes


def render_text(report: dict[str, Any]) -> str:
    rows = [HEADERS, *table_rows(report)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(rows):
        cells = [c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(_settings_line(report))
    lines.extend(f"- {note}" for note in _notes(report))
    return "\n".join(lines)


def render_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Membership applications benchmark of {report['date']} on {report['machine']}"
        " (`make bench-applicants`).",
        "",
        _settings_line(report),
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(HEADERS))) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in table_rows(report))
    lines.append("")
    lines.append(
        "submits/s: applications per second over the submit phase (all final submits "
        "divided by the sum of each round's time from the barrier to the last response); "
        "flow/s: the same over each round's whole flow, from the first page to the last submit."
    )
    notes = _notes(report)
    if notes:
        lines.append("")
        lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines) + "\n"
