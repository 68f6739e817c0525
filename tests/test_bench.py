"""The benchmark's pure parts: percentiles, the report's shape and ratios, the tables, the
page list and the seed fingerprint. No server and no load here."""

import json
from pathlib import Path

import pytest

from bench.pages import FLOOR, PAGES, PERSONAS, Page, select
from bench.report import (
    Measurement,
    build_report,
    percentile,
    query_growth,
    render_markdown,
    render_text,
)
from bench.seed import fingerprint, is_current, stamp_path
from bench.server import RESERVED_PORTS, free_port, random_secret_key

HOME = Page("home", "/")
LIST = Page("agencies (coordinator)", "/manage/agencies/", user="coordinator")


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([3, 1, 2], 0) == 1
    assert percentile([3, 1, 2], 100) == 3


@pytest.mark.parametrize("bad", [-1, 101])
def test_percentile_refuses_out_of_range(bad: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], bad)


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def _measurements() -> list[Measurement]:
    return [
        Measurement(FLOOR, 1, "/health/", [1.0] * 19 + [2.0], seconds=10, queries=1),
        Measurement(HOME, 1, "/", [4.0] * 19 + [8.0], seconds=10, queries=1),
        Measurement(LIST, 1, "/manage/agencies/", [10.0] * 20, seconds=10, queries=5),
        Measurement(FLOOR, 100, "/health/", [1.0] * 19 + [2.0], seconds=10, queries=1),
        Measurement(HOME, 100, "/", [4.0] * 19 + [8.0], seconds=10, queries=1),
        Measurement(
            LIST,
            100,
            "/manage/agencies/",
            [20.0] * 20,
            seconds=10,
            queries=30,
            errors=2,
            error_samples=["HTTP 302 for /manage/agencies/ (to /accounts/login/), expected 200"],
        ),
    ]


def _report() -> dict:
    return build_report(
        _measurements(),
        worker_rss_mb={1: 80.04, 100: 90.0},
        machine="test machine",
        date="2026-01-01 00:00 UTC",
        run={"seconds": 10},
    )


def test_report_has_the_documented_shape() -> None:
    report = json.loads(json.dumps(_report()))  # survives JSON
    assert {"machine", "date", "floor", "pages", "worker_rss_mb"} <= set(report)
    assert set(report["floor"]) == {"p50_ms", "p95_ms"}
    for row in report["pages"]:
        assert {
            "name",
            "path",
            "scale",
            "p50_ms",
            "p95_ms",
            "rps",
            "queries",
            "ratio_floor",
            "ratio_scale",
        } <= set(row)
    assert report["worker_rss_mb"] == 90.0


def test_report_ratios_and_goals() -> None:
    report = _report()
    # 20 values, 19 at 1.0 and one at 2.0: p95 sits 5% of the way from 1.0 to 2.0.
    assert report["floor"] == {"p50_ms": 1.0, "p95_ms": 1.05}
    rows = {(row["name"], row["scale"]): row for row in report["pages"]}
    home = rows[("home", 1)]
    assert home["p95_ms"] == 4.2
    assert home["ratio_floor"] == 4.0
    assert home["floor_ok"] is True
    assert home["ratio_scale"] is None
    assert home["rps"] == 2.0
    assert rows[("home", 100)]["ratio_scale"] == 1.0
    assert rows[("home", 100)]["scale_ok"] is True
    agencies = rows[("agencies (coordinator)", 100)]
    assert agencies["ratio_floor"] == pytest.approx(19.05, abs=0.01)
    assert agencies["floor_ok"] is False
    assert agencies["ratio_scale"] == 2.0
    assert agencies["scale_ok"] is False
    assert report["errors"] == 2
    assert report["memory_ok"] is True
    # Rows keep the page order within each scale.
    assert [row["name"] for row in report["pages"][:3]] == [FLOOR.name, "home", LIST.name]


def test_query_growth_names_pages_whose_queries_change_with_scale() -> None:
    assert _report()["query_growth"] == [
        {"name": "agencies (coordinator)", "queries": {"1": 5, "100": 30}}
    ]
    assert query_growth([{"name": "a", "scale": 1, "queries": None}]) == []


def test_tables_show_every_row_goal_and_note() -> None:
    report = _report()
    text = render_text(report)
    assert "agencies (coordinator)" in text
    assert "FAIL" in text
    assert "≤6 pass" in text
    assert "queries grow with scale on agencies (coordinator): 5 at 1x, 30 at 100x" in text
    assert "2 errors on agencies (coordinator) at 100x" in text
    assert "90.0 MB" in text
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    assert lines[0].startswith("Benchmark of 2026-01-01 00:00 UTC on test machine")
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + len(report["pages"])
    assert len({line.count("|") for line in table}) == 1  # every row has every column


def test_page_list_is_sound() -> None:
    assert PAGES[0] == FLOOR
    assert FLOOR.path == "/health/"
    names = [page.name for page in PAGES]
    assert len(names) == len(set(names))
    for page in PAGES:
        assert page.path.startswith("/")
        assert page.user is None or page.user in PERSONAS
    assert select(PAGES, ["people"]) == [FLOOR, *[p for p in PAGES if "people" in p.name]]
    assert select(PAGES, None) == PAGES


def test_seed_fingerprint_follows_contents_and_scale(tmp_path: Path) -> None:
    migration = tmp_path / "0001_initial.py"
    migration.write_text("a")
    first = fingerprint([migration], scale=1, base_dir=tmp_path)
    assert fingerprint([migration], scale=100, base_dir=tmp_path) != first
    migration.write_text("b")
    assert fingerprint([migration], scale=1, base_dir=tmp_path) != first

    database = tmp_path / "scale1.sqlite3"
    assert not is_current(database, first)
    database.write_bytes(b"")
    stamp_path(database).write_text(json.dumps({"fingerprint": first}))
    assert is_current(database, first)
    assert not is_current(database, "other")


def test_free_port_and_secret_key() -> None:
    assert free_port() not in RESERVED_PORTS
    key = random_secret_key()
    assert len(key) == 64
    assert len(set(key)) > 5


def test_a_busy_machine_is_named_in_both_tables() -> None:
    report = _report()
    assert "Other work" not in render_text(report)
    report["run"] = {"load_average_at_start": 5.2, "cores": 2}
    assert "load average 5.2 on 2 cores" in render_text(report)
    assert "load average 5.2 on 2 cores" in render_markdown(report)
