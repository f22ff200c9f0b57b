"""Turn a declared chart into files: specs, pre-rendered images and data.

Per chart the build makes:
- the Vega-Lite spec (light theme), for readers who want to remix the chart;
- Vega specs compiled from it, light and dark, for the interactive view, so the
  Vega-Lite compiler never ships to readers;
- SVGs in light and dark, at a wide and a narrow width, so a phone gets labels
  drawn for its width rather than a shrunken desktop chart;
- a PNG for downloads and link previews, and the plotted rows as CSV.

Everything here is deterministic: the same facts give the same bytes, so a
reviewer's diff of built output shows only what really changed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass

import vl_convert

from facts.load import FactBase

from .registry import Chart
from .theme import config

# The wide image fits the article column on a desktop; the narrow one a phone.
WIDTHS = {"wide": 680, "narrow": 340}
SCHEMES = ("light", "dark")
PNG_SCALE = 2


@dataclass(frozen=True)
class RenderedChart:
    chart: Chart
    spec: dict                                # Vega-Lite, light theme, width follows its container
    vega: dict[tuple[str, str], dict]         # (scheme, width name) -> compiled Vega spec
    svg: dict[tuple[str, str], str]           # (scheme, width name) -> SVG
    size: dict[str, tuple[int, int]]          # width name -> (width, height) of the SVG in pixels
    png: bytes
    rows: list[dict]
    csv: str


def with_config(spec: dict, dark: bool = False, narrow: bool = False) -> dict:
    """The same chart in another theme or width: only the config block differs."""
    return {**spec, "config": config(dark=dark, narrow=narrow)}


def _fixed_width(spec: dict, width: int) -> dict:
    fixed = json.loads(json.dumps(spec))
    if fixed.get("width") == "container":
        fixed["width"] = width
    return fixed


_SVG_SIZE = re.compile(r'<svg[^>]* width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')


def svg_size(svg: str) -> tuple[int, int]:
    match = _SVG_SIZE.search(svg)
    return (round(float(match[1])), round(float(match[2])))


def chart_rows(spec: dict) -> list[dict]:
    """The records a chart plots: its one inline dataset whose rows name a 'fact' or 'event'.

    (A map also carries country shapes; those are drawing, not data to download.)
    """
    found = []

    def walk(node):
        if isinstance(node, dict):
            values = node.get("values")
            is_rows = isinstance(values, list) and values and all(
                isinstance(r, dict) and ("fact" in r or "event" in r) for r in values)
            if is_rows:
                found.append(values)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(spec)
    found = list({json.dumps(rows, sort_keys=True): rows for rows in found}.values())  # layers may share it
    if len(found) != 1:
        raise ValueError(f"a chart must plot exactly one inline dataset of fact rows, found {len(found)}")
    return found[0]


def to_csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_json(spec: dict) -> str:
    return json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


_PATH_DATA = re.compile(r' d="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _trim_paths(svg: str, decimals: int = 1) -> str:
    """Round path coordinates: a tenth of a pixel is invisible, and a map needs no finer
    than whole pixels (its SVG shrinks by a third); the page then carries fewer bytes."""
    def rounded(number: re.Match) -> str:
        text = f"{float(number.group(0)):.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    return _PATH_DATA.sub(lambda m: ' d="' + _DECIMAL.sub(rounded, m.group(1)) + '"', svg)


_SVG_ID = re.compile(r'id="([^"]+)"')


def _own_ids(svg: str, chart_id: str) -> str:
    """Name the SVG's ids after the chart, in order of appearance.

    vl-convert numbers clip paths across a whole process (clip1, clip3, ...), so
    the bytes would depend on what was rendered before, and two inline charts on
    one page could share an id.
    """
    for number, old in enumerate(dict.fromkeys(_SVG_ID.findall(svg)), start=1):
        new = f"{chart_id}-{number}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
    return svg


def render(chart: Chart, base: FactBase) -> RenderedChart:
    """Every file of one chart."""
    return _start(chart, base, None)()


def _start(chart: Chart, base: FactBase, pool: Executor | None) -> Callable[[], RenderedChart]:
    """Queue a chart's conversions on ``pool`` (vl-convert releases the GIL); return its collector."""
    built = chart.build(base).to_dict()   # Altair's build and validation: once per chart
    specs = {(scheme, width): with_config(built, dark=scheme == "dark", narrow=width == "narrow")
             for scheme in SCHEMES for width in WIDTHS}
    light = specs[("light", "wide")]
    run = pool.submit if pool else _now
    svg_jobs = {key: run(vl_convert.vegalite_to_svg, _fixed_width(spec, WIDTHS[key[1]]))
                for key, spec in specs.items()}
    decimals = 0 if '"geoshape"' in json.dumps(built) else 1
    # The live view is drawn at the picture's own width, so it replaces it without a shift.
    vega_jobs = {key: run(vl_convert.vegalite_to_vega, _fixed_width(spec, WIDTHS[key[1]]))
                 for key, spec in specs.items()}
    png_job = run(vl_convert.vegalite_to_png, _fixed_width(light, WIDTHS["wide"]), scale=PNG_SCALE)

    def collect() -> RenderedChart:
        svg = {key: _own_ids(_trim_paths(job.result(), decimals), f"{chart.id}-{key[0]}-{key[1]}")
               for key, job in svg_jobs.items()}
        rows = chart_rows(light)
        return RenderedChart(chart, light, {k: j.result() for k, j in vega_jobs.items()}, svg,
                             {w: svg_size(svg[("light", w)]) for w in WIDTHS}, png_job.result(), rows,
                             to_csv(rows))

    return collect


def render_all(chart_list: list[Chart], base: FactBase, workers: int = 2) -> dict[str, RenderedChart]:
    """Render many charts with their conversions interleaved on a small thread pool."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        collectors = {chart.id: _start(chart, base, pool) for chart in chart_list}
        return {chart_id: collect() for chart_id, collect in collectors.items()}


def _now(function, *args, **kwargs) -> Future:
    done: Future = Future()
    done.set_result(function(*args, **kwargs))
    return done
