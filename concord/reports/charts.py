"""Charts drawn on the server as SVG with pygal: no JavaScript, nothing from another host.

Each chart is shown in a ``<figure>`` with its title and a one-sentence summary in the
``<figcaption>`` and the same figures as a table beside it, so a screen reader (or anyone
who prefers numbers) loses nothing. The SVG is ``role="img"``, labelled by the caption.
Pygal escapes every label it writes (it builds the SVG as an XML tree), so the SVG may be
inserted into the page as it is, once the configuration script pygal always adds is cut. Its stylesheet is an inline ``<style>``: on a web page it
carries the response's CSP nonce; in the PDF it needs none.

Drawing a chart takes tens of milliseconds, so drawings are kept per process, keyed by
everything they show: the same figures are drawn once.
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from concord.reports.tables import BAR, LINE, Table

# USWDS colours, each at least 4.5:1 against the white background.
COLOURS = ("#005ea2", "#1a4480", "#8b0a03", "#2e6276", "#4d3d0a", "#5c1111")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#565c65",
    opacity="1",
    opacity_hover="1",
    transition="0ms",
    colors=COLOURS,
    font_family="'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, sans-serif",
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    value_label_font_size=13,
    tooltip_font_size=13,
)
WIDTH = 720
ROW_HEIGHT = 34
_ROOT = re.compile(r"^<svg ")
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
# Pygal writes its configuration in a script element even with ``js=[]``: nothing reads
# it without pygal's JavaScript, and the CSP would refuse it anyway.
_SCRIPTS = re.compile(r"<script\b.*?</script>", re.S | re.I)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str
    svg: SafeString


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


@functools.lru_cache(maxsize=256)
def _draw(kind: str, title: str, labels: tuple[str, ...], values: tuple[float | None, ...]) -> str:
    """The SVG of one chart, with a ``__NONCE__`` placeholder in its ``<style>`` tag."""
    options: dict[str, Any] = {
        "js": [],
        "style": STYLE,
        "show_legend": False,
        "disable_xml_declaration": True,
        "width": WIDTH,
        # The table beside the chart gives every value; printed on a bar, a label would
        # lack contrast.
        "print_values": False,
        "truncate_label": 40,
        "margin": 12,
    }
    if kind == LINE:
        chart = pygal.Line(
            height=320,
            x_label_rotation=30,
            include_x_axis=True,
            stroke_style={"width": 3},
            **options,
        )
    else:
        height = max(160, 70 + ROW_HEIGHT * len(labels))
        chart = pygal.HorizontalBar(height=height, **options)
        # A horizontal bar chart draws its first row at the bottom: read top to bottom.
        labels, values = labels[::-1], values[::-1]
    chart.title = title
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    svg = _SCRIPTS.sub("", _COMMENTS.sub("", chart.render(is_unicode=True)))
    # The tooltip's hidden style attribute would be refused by the CSP; nothing shows it.
    svg = svg.replace('style="opacity: 0"', 'opacity="0"')
    return svg.replace('<style type="text/css">', '<style nonce="__NONCE__">', 1)


def chart_for(table: Table, *, nonce: str = "") -> Chart | None:
    """The chart of a table that has one, drawing its ``value_column``. Without a
    nonce (the PDF), the style tag carries none."""
    if not table.chart or not table.rows:
        return None
    labels = tuple(str(row[0]) for row in table.rows)
    values = tuple(_number(row[table.value_column]) for row in table.rows)
    if not any(values):
        return None
    chart_id = f"chart-{table.key}"
    svg = _draw(table.chart if table.chart in (BAR, LINE) else BAR, table.title, labels, values)
    svg = svg.replace(' nonce="__NONCE__"', f' nonce="{nonce}"' if nonce else "", 1)
    svg = _ROOT.sub(
        f'<svg role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-summary" '
        'focusable="false" ',
        svg,
        count=1,
    )
    return Chart(chart_id, table.title, table.summary, mark_safe(svg))  # noqa: S308 - see above
