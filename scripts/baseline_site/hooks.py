"""Benchmark fixture: draws three fixed Vega-Lite charts to inline SVG (scripts/benchmark_build.py).

The charts' data is made up and inline: the fixture measures the generator, not the site.
"""

from __future__ import annotations

import re

import vl_convert
from properdocs.exceptions import PluginError

WIDTH = 640
GROUPS = [{"group": g, "value": v} for g, v in zip("ABCDEF", [12, 30, 7, 45, 21, 16], strict=True)]
SPREAD = [{"group": g, "value": v} for g, v in zip("ABCDEF", [3, 40, 800, 2_500, 60_000, 1_200_000], strict=True)]
EVENTS = [{"event": f"Event {n}", "start": start, "end": end} for n, (start, end) in enumerate([
    ("2023-03-01", "2023-03-02"), ("2023-06-01", "2023-09-30"), ("2024-01-01", "2024-12-31"),
    ("2024-04-10", "2024-04-11"), ("2025-02-01", "2025-05-31"), ("2025-10-01", "2025-10-02")], start=1)]

CHARTS = {
    "bar": {
        "width": WIDTH, "data": {"values": GROUPS}, "mark": "bar",
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "Value"},
                     "y": {"field": "group", "type": "nominal", "title": None}},
    },
    "log-bar": {
        "width": WIDTH, "data": {"values": SPREAD}, "mark": "bar",
        "encoding": {"x": {"field": "value", "type": "quantitative", "title": "Value (log scale)",
                           "scale": {"type": "log"}},
                     "y": {"field": "group", "type": "nominal", "title": None}},
    },
    "timeline": {
        "width": WIDTH, "data": {"values": EVENTS}, "mark": {"type": "bar", "cornerRadius": 4},
        "encoding": {"x": {"field": "start", "type": "temporal", "title": None},
                     "x2": {"field": "end"},
                     "y": {"field": "event", "type": "nominal", "title": None, "sort": None}},
    },
}
MARKER = re.compile(r"<!-- chart: ([a-z-]+) -->")


def _figure(match: re.Match) -> str:
    if match[1] not in CHARTS:
        raise PluginError(f"docs: unknown chart {match[1]!r}; expected one of {', '.join(CHARTS)}")
    return f'<figure class="chart">{vl_convert.vegalite_to_svg(CHARTS[match[1]])}</figure>'


def on_page_content(html, page, config, files):
    return MARKER.sub(_figure, html)
