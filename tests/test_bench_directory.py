"""The directory benchmark's pure parts: the synthetic HSDS package (row counts, columns,
references, determinism) and the report's maths and goals. No server, no load."""

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from bench.directory import PAGES, parse_args
from bench.directory_package import (
    TABLE_ORDER,
    columns_by_table,
    file_names,
    generate_rows,
    taxonomy_term_ids,
    write_package,
)
from bench.directory_report import build_report, page_row, render_markdown, render_text
from bench.pages import FLOOR

N = 50
# What points at what: (table, column) -> the table it refers to.
REFERENCES = {
    ("service", "organization_id"): "organization",
    ("location", "organization_id"): "organization",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("address", "location_id"): "location",
    ("phone", "service_id"): "service",
    ("schedule", "service_id"): "service",
    ("language", "service_id"): "service",
    ("cost_option", "service_id"): "service",
    ("service_area", "service_id"): "service",
    ("attribute", "link_id"): "service",
}


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict[str, object]]]:
    return generate_rows(N)


def test_row_counts(rows: dict[str, list[dict[str, object]]]) -> None:
    assert len(rows["service"]) == N
    assert len(rows["location"]) == N * 3 // 2
    assert len(rows["organization"]) == N // 10
    assert len(rows["service_at_location"]) == len(rows["location"])
    assert len(rows["address"]) == len(rows["location"])
    for table in ("phone", "schedule", "cost_option", "service_area"):
        assert len(rows[table]) == N
    assert N <= len(rows["language"]) <= 2 * N
    assert N <= len(rows["attribute"]) <= 2 * N


def test_every_reference_points_at_an_earlier_row(
    rows: dict[str, list[dict[str, object]]],
) -> None:
    ids = {table: {row["id"] for row in table_rows} for table, table_rows in rows.items()}
    for (table, column), target in REFERENCES.items():
        assert TABLE_ORDER.index(target) < TABLE_ORDER.index(table)
        assert {row[column] for row in rows[table]} <= ids[target], (table, column)
    terms = set(taxonomy_term_ids())
    assert terms
    assert {row["taxonomy_term_id"] for row in rows["attribute"]} <= terms


def test_ids_are_unique_and_columns_are_hsds(rows: dict[str, list[dict[str, object]]]) -> None:
    columns = columns_by_table()
    all_ids = [row["id"] for table_rows in rows.values() for row in table_rows]
    assert len(all_ids) == len(set(all_ids))
    for table, table_rows in rows.items():
        assert {key for row in table_rows for key in row} <= set(columns[table]), table


def test_deterministic() -> None:
    assert generate_rows(10, seed=3) == generate_rows(10, seed=3)
    assert generate_rows(10, seed=3) != generate_rows(10, seed=4)
    with pytest.raises(ValueError, match="services"):
        generate_rows(0)


def test_the_search_pages_filters_have_matches(rows: dict[str, list[dict[str, object]]]) -> None:
    assert any("shelter" in str(row["description"]).lower() for row in rows["service"])
    assert any("legal" in str(row["description"]).lower() for row in rows["service"])
    assert any(row["code"] == "es" for row in rows["language"])
    assert any(row["city"] == "Concord" for row in rows["address"])


def test_write_package(tmp_path: Path) -> None:
    counts = write_package(tmp_path, N)
    names = file_names()
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert {resource["name"] for resource in package["resources"]} == set(TABLE_ORDER)
    for table in TABLE_ORDER:
        with (tmp_path / names[table]).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == columns_by_table()[table]
            assert sum(1 for _ in reader) == counts[table]


def _page(name: str, times: list[float], goal: float | None, errors: int = 0) -> dict[str, object]:
    return {
        "name": name,
        "path": "/",
        "goal": goal,
        "times_ms": times,
        "queries": 4,
        "errors": errors,
    }


def test_page_row_ratio_and_goal() -> None:
    row = page_row(_page("search", [50.0] * 20, 6.0), 10.0)
    assert row["p95_ms"] == 50.0
    assert row["floor_ratio"] == 5.0
    assert row["ok"] is True
    assert page_row(_page("search", [70.0] * 20, 6.0), 10.0)["ok"] is False
    assert page_row(_page("search", [50.0] * 20, 6.0, errors=1), 10.0)["ok"] is False
    assert page_row(_page("search", [], 6.0), 10.0)["ok"] is False


def _report(seconds: float, peak: float, search_ms: float) -> dict[str, Any]:
    return build_report(
        services=N,
        counts={"location": 75},
        import_seconds=seconds,
        import_peak_mb=peak,
        import_error=None,
        floor=_page("floor", [float(i) for i in range(1, 21)], None),
        pages=[_page("search", [search_ms] * 20, 6.0), _page("api", [100.0] * 20, 8.0)],
        run={"load_average_at_start": 1.5},
    )


def test_report_goals() -> None:
    # The floor's p95 over 1..20 ms is 19.05 ms.
    good = _report(30.0, 300.0, 100.0)
    assert good["floor"]["p95_ms"] == 19.05
    assert good["ok"] is True
    assert _report(61.0, 300.0, 100.0)["ok"] is False
    assert _report(30.0, 501.0, 100.0)["ok"] is False
    assert _report(30.0, 300.0, 120.0)["ok"] is False  # 6.3x the floor
    failed = build_report(
        services=N,
        counts={},
        import_seconds=1.0,
        import_peak_mb=1.0,
        import_error="import_hsds exited with 1",
        floor=None,
        pages=[],
        run={},
    )
    assert failed["ok"] is False


def test_rendering() -> None:
    report = _report(30.0, 300.0, 100.0)
    text = render_text(report)
    assert "All goals met." in text
    assert "Load average (1 min) at start 1.5" in text
    markdown = render_markdown(report)
    assert "| search |" in markdown


def test_pages_and_args() -> None:
    assert PAGES[0] is FLOOR
    assert any("language=es" in page.path for page in PAGES)
    assert parse_args([]).services == 10_000
    with pytest.raises(SystemExit):
        parse_args(["--services", "0"])
