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

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import vl_convert

from facts.export import to_csv
from facts.lang import current, edition
from facts.load import FactBase

from .cache import RenderCache, chart_inputs, key
from .layout import DEFAULT, VARIANTS, WIDTHS, Variant
from .registry import Chart
from .theme import config, dark_for_light

PNG_SCALE = 2


@dataclass(frozen=True)
class RenderedChart:
    chart: Chart
    spec: dict                                # Vega-Lite, light theme, width follows its container
    vega: dict[tuple[str, str], str]          # (scheme, width name) -> compiled Vega spec, as the
                                              # runtime's compact JSON (kept as text: parsed, four
                                              # specs a chart were most of a render's memory)
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


def inline_values(spec: dict) -> list:
    """Every inline dataset anywhere in a Vega-Lite spec, in order: each ``values``, and each of the
    ``datasets`` that data refers to by name (the map's shapes)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "values" in node:
                found.append(node["values"])
            if isinstance(node.get("datasets"), dict):
                found.extend(node["datasets"].values())
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(spec)
    return found


def chart_rows(spec: dict) -> list[dict]:
    """The records a chart plots: its one inline dataset whose rows name a 'fact' or 'event'.

    (A map also carries country shapes; those are drawing, not data to download.)
    """
    found = [values for values in inline_values(spec) if isinstance(values, list) and values
             and all(isinstance(r, dict) and ("fact" in r or "event" in r) for r in values)]
    found = list({json.dumps(rows, sort_keys=True): rows for rows in found}.values())  # layers may share it
    if len(found) != 1:
        raise ValueError(f"a chart must plot exactly one inline dataset of fact rows, found {len(found)}")
    return found[0]


def to_json(spec: dict) -> str:
    """Indented, for people who download a spec to read or remix it."""
    return json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def to_compact_json(spec: dict) -> str:
    """For the chart runtime: fewer bytes on the wire, and written by json's C encoder
    (``indent`` switches to the pure-Python one, which cost ~0.1 s per chart)."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


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


def render(chart: Chart, base: FactBase, cache: RenderCache | None = None) -> RenderedChart:
    """Every file of one chart, reused from ``cache`` when the chart's inputs have not changed."""
    return render_all([chart], base, cache)[chart.id]


# Below this many charts to draw, one process: starting another (it imports Altair and
# vl-convert afresh) costs about a second, which a few charts do not repay.
PARALLEL_FROM = 8


def render_all(chart_list: list[Chart], base: FactBase, cache: RenderCache | None = None,
               processes: int | None = None) -> dict[str, RenderedChart]:
    """Every chart's files, in the current edition: those drawn from the same inputs before come
    from ``cache``; the others are drawn, in ``processes`` worker processes (default: one per
    core) when there are many.

    vl-convert runs every conversion of a process on one JavaScript runtime, so threads do not
    overlap them and processes do (BENCHMARKS.md, "Rendering in parallel")."""
    lang, entries, to_draw = current(), {}, []
    for chart in chart_list:
        inputs = chart_inputs(chart, base)
        wanted = key(chart, inputs) if cache else ""
        entry = cache.get(chart.id, wanted) if cache else None
        if entry is None:
            to_draw.append((chart, inputs, wanted))
        else:
            entries[chart.id] = entry
    drawn = _draw_many([(lang, chart, inputs) for chart, inputs, _ in to_draw], {lang: base}, processes)
    for (chart, _, wanted), files in zip(to_draw, drawn, strict=True):
        entries[chart.id] = files
        if cache:
            cache.put(chart.id, wanted, files)
    return {chart.id: _rendered(chart, entries[chart.id]) for chart in chart_list}


def draw_into_cache(editions: list[tuple[str, FactBase, list[Chart]]], cache: RenderCache,
                    processes: int | None = None) -> None:
    """Draw into ``cache`` what is not there yet of every edition's charts, given as (edition,
    its facts, its charts), all at once: the build then renders the editions one after another
    from the cache, and each edition alone has too few charts to keep every core busy."""
    missing = []
    for lang, base, chart_list in editions:
        with edition(lang):   # the edition is part of a chart's key
            for chart in chart_list:
                inputs = chart_inputs(chart, base)
                if not cache.has(chart.id, wanted := key(chart, inputs)):
                    missing.append((lang, chart, inputs, wanted))
    drawn = _draw_many([job[:3] for job in missing], {lang: base for lang, base, _ in editions}, processes)
    for (_, chart, _, wanted), files in zip(missing, drawn, strict=True):
        cache.put(chart.id, wanted, files)


def _draw_many(jobs: list[tuple[str, Chart, FactBase]], bases: dict[str, FactBase],
               processes: int | None) -> Iterator[dict]:
    """The files of each (edition, chart, its inputs), in order, each as it is drawn: the caller
    stores it, so a cold build need not hold every chart's files at once. In worker processes
    when there are many, which find each chart by its id in the edition's facts (``bases``)."""
    processes = processes or os.cpu_count() or 1
    if processes > 1 and len(jobs) >= PARALLEL_FROM:
        yield from _draw_in_processes([(lang, chart.id) for lang, chart, _ in jobs], bases, processes)
        return
    for lang, chart, inputs in jobs:
        with edition(lang):
            files = _draw(chart, inputs)
        yield files   # outside the edition: the caller's code runs in its own


_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")
_OTHER_COLOUR = re.compile(r"\b(?:rgba?|hsla?)\(")


def _recoloured(light_svg: str, light_vega: str, dark_vega: str) -> str | None:
    """The dark picture as the light one with the theme's colours swapped (charts/theme.py), where
    that is what vl-convert would draw: the dark Vega spec is the light one with those colours
    swapped (the specs as ``to_compact_json`` writes them), and the picture writes no colour in
    another form. Otherwise None: it is drawn.
    It halves the SVG drawing. A colour Vega adds of its own accord is the same in both drawings,
    so were one of its defaults a theme colour the swap would be wrong: tests/test_recolour.py
    compares the swap with a real drawing of every chart and step, which would then fail."""
    swap = dark_for_light()

    def swapped(text: str) -> str:
        return _HEX_COLOUR.sub(lambda m: swap.get(m[0].lower(), m[0]), text)

    if swapped(light_vega) != dark_vega or _OTHER_COLOUR.search(light_svg):
        return None
    return swapped(light_svg)


def _rendered(chart: Chart, entry: dict) -> RenderedChart:
    return RenderedChart(
        chart, entry["spec"], {Variant.named(name): vega for name, vega in entry["vega"].items()},
        {Variant.named(name): svg for name, svg in entry["svg"].items()},
        {width: tuple(size) for width, size in entry["size"].items()}, entry["png"], entry["rows"], entry["csv"])


def _draw_in_processes(jobs: list[tuple[str, str]], bases: dict[str, FactBase], processes: int) -> Iterator[dict]:
    """Draw (edition, chart id) in fresh worker processes ('spawn': the build runs a notebook
    thread, and forking a process with threads can deadlock). Each worker gets the fact bases
    once and finds the charts by id."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=(bases,)) as pool:
        # Charts in order, a few to a task: fewer round trips, and the work stays balanced.
        chunk = max(1, len(jobs) // (processes * 8))
        yield from pool.map(_draw_by_id, jobs, chunksize=chunk)


_worker_bases: dict[str, FactBase] = {}


def _start_worker(bases: dict[str, FactBase]) -> None:
    _worker_bases.update(bases)


def _draw_by_id(job: tuple[str, str]) -> dict:
    lang, chart_id = job
    with edition(lang):
        chart = _chart_named(lang, chart_id)
        return _draw(chart, chart_inputs(chart, _worker_bases[lang]))


def _chart_named(lang: str, chart_id: str) -> Chart:
    """A registered chart, or a scrolled sequence's step (charts/scrolly.py) of that edition's facts."""
    from .registry import CHARTS
    from .scrolly import every_step

    if chart_id in CHARTS:
        return CHARTS[chart_id]
    return next(chart for steps in every_step(_worker_bases[lang]).values() for chart in steps if chart.id == chart_id)


def path_decimals(spec: dict) -> int:
    """The decimals a chart's paths keep: none for a map (a Vega-Lite ``spec`` with geoshapes)."""
    marks = {name: part for name, part in spec.items() if name != "config"}   # the theme styles geoshapes too
    return 0 if '"geoshape"' in json.dumps(marks) else 1


def finished_picture(svg: str, chart_id: str, variant_name: str, decimals: int) -> str:
    """An SVG as vl-convert drew it, as the build keeps it: paths rounded to ``decimals``
    (``path_decimals``) and ids named after the chart and variant."""
    return _own_ids(_trim_paths(svg, decimals), f"{chart_id}-{variant_name}")


def _draw(chart: Chart, inputs: FactBase, recolour: bool = True) -> dict:
    """Render a chart's files; keys are plain strings so the result can be cached as JSON.
    ``recolour=False`` draws every dark picture, as the test of ``_recoloured`` does."""
    built = chart.spec(inputs)   # Altair's build and validation, once per chart; ProblemsFound if it cannot
    light = with_config(built)
    vega, texts, svg = {}, {}, {}
    for variant in VARIANTS:   # the light ones first: a dark picture may be its light twin recoloured
        spec = _fixed_width(with_config(built, dark=variant.scheme == "dark", narrow=variant.width == "narrow"),
                            variant.pixels)
        # Compile once; the picture is drawn from the same Vega spec the live view gets,
        # so the live view replaces it exactly (and compiling twice would double the cost).
        vega[variant.name] = vl_convert.vegalite_to_vega(spec)
        texts[variant.name] = to_compact_json(vega[variant.name])   # what the site serves, and the cache keeps
        twin = Variant("light", variant.width).name
        svg[variant.name] = ((variant.scheme == "dark" and recolour
                              and _recoloured(svg[twin], texts[twin], texts[variant.name]))
                             or vl_convert.vega_to_svg(vega[variant.name]))
    # The PNG is the default SVG rasterised, rather than a third drawing of the chart. A drawing of
    # one state of a chart (a scrolled step) is shown only as its SVGs: no download, no preview.
    png = b"" if chart.state else vl_convert.svg_to_png(svg[DEFAULT.name], scale=PNG_SCALE)
    decimals = path_decimals(light)
    svg = {name: finished_picture(text, chart.id, name, decimals) for name, text in svg.items()}
    rows = chart_rows(light)
    return {"spec": light, "vega": texts, "svg": svg, "png": png, "rows": rows, "csv": to_csv(rows),
            "size": {width: svg_size(svg[Variant("light", width).name]) for width in WIDTHS}}
