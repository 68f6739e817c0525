from concord.reports.charts import chart_for
from concord.reports.tables import BAR, LINE, Table


def _table(kind: str = BAR, label: str = "Victim services") -> Table:
    return Table(
        "by-sector",
        "Agencies by sector",
        ["Sector", "Agencies"],
        [[label, 6], ["Law enforcement", 3]],
        chart=kind,
        summary="2 rows; the largest is Victim services, with 6.",
    )


def test_chart_is_an_svg_image_labelled_by_its_caption_without_script() -> None:
    chart = chart_for(_table(), nonce="abc123")

    assert chart is not None
    assert chart.svg.startswith('<svg role="img" aria-labelledby="chart-by-sector-title"')
    assert 'aria-describedby="chart-by-sector-summary"' in chart.svg
    assert "<script" not in chart.svg.lower()
    assert '<style nonce="abc123">' in chart.svg
    assert "style=" not in chart.svg.replace("<style nonce", "")


def test_chart_escapes_its_labels() -> None:
    chart = chart_for(_table(label='<script>alert("x")</script>'), nonce="n")

    assert chart is not None
    assert "<script" not in chart.svg
    assert "&lt;script&gt;" in chart.svg


def test_chart_for_print_has_no_nonce_and_lines_draw_too() -> None:
    chart = chart_for(_table(LINE))

    assert chart is not None
    assert "<style>" in chart.svg
    assert "nonce" not in chart.svg


def test_no_chart_without_figures() -> None:
    empty = Table("none", "Nothing", ["Row", "Count"], [["A", 0]], chart=BAR)

    assert chart_for(empty) is None
    assert chart_for(Table("plain", "Plain", ["Row", "Count"], [["A", 3]])) is None
