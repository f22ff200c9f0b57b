"""Every chart, rendered against the real data: its spec, SVG and CSV carry the facts' values."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

import charts
from charts.render import to_json
from charts.theme import DARK, LIGHT, dark_svg_css
from conftest import ROOT
from facts.format import format_fact, format_partial_date
from facts.load import FactBase, load_factbase

CHART_IDS = sorted(charts.CHARTS)

@pytest.fixture(scope="module")
def base() -> FactBase:
    return load_factbase(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def rendered(base) -> dict[str, charts.RenderedChart]:
    """Each chart rendered once (rendering is the slow part)."""
    return {cid: charts.render(charts.CHARTS[cid], base) for cid in CHART_IDS}


def in_svg(text: str, svg: str) -> bool:
    """Whether text appears in the SVG, as XML escapes it in text or in attributes."""
    return html.escape(text, quote=False) in svg or html.escape(text) in svg


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_there_are_charts():
    assert {"destinations", "remittances-share-gdp", "uzbekistan-remittances-origin"} <= set(CHART_IDS)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_facts_exist(base, chart_id):
    chart = charts.CHARTS[chart_id]
    assert chart.facts or chart.uses_events, "a chart draws facts or events"
    missing = [f for f in chart.facts if f not in base.facts]
    assert not missing, f"{chart_id} lists unknown facts {missing}"
    placeholders = getattr(chart, "placeholders", lambda: [])()
    assert not [f for f in placeholders if f not in base.facts]
    assert len(set(chart.facts)) == len(chart.facts), "a fact is listed twice"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_files_carry_the_facts_values(base, rendered, chart_id):
    chart, out = charts.CHARTS[chart_id], rendered[chart_id]
    spec = to_json(out.spec)
    rows = csv_rows(out.csv)
    assert rows, "the CSV has rows"
    in_csv = {fid for row in rows for fid in (row.get("fact") or "").split("; ") if fid}
    missing = set()
    for fact_id in chart.facts:
        shown = format_fact(base.fact(fact_id))
        assert fact_id in in_csv, f"no CSV row names {fact_id}"
        for name, text in (("spec", spec), ("csv", out.csv), ("svg", out.svg)):
            found = in_svg(shown, text) if name == "svg" else shown in text
            if not found:
                missing.add((fact_id, name))
    assert not missing, f"formatted values missing from {chart_id}: {sorted(missing)}"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_csv_rows_match_the_facts(base, rendered, chart_id):
    """Each row that stands for one fact gives its value, range and formatted value as in data/."""
    checked = 0
    for row in csv_rows(rendered[chart_id].csv):
        fact = base.facts.get(row.get("fact", ""))
        if fact is None or row.get("precision", "").startswith("derived") or "value" not in row:
            continue
        assert float(row["value"]) == fact.central
        assert row["shown"] == format_fact(fact)
        assert (float(row["low"]) if row["low"] else None) == fact.low
        assert (float(row["high"]) if row["high"] else None) == fact.high
        checked += 1
    chart = charts.CHARTS[chart_id]
    if chart.facts and "value" in rendered[chart_id].csv.splitlines()[0].split(","):
        assert checked, f"no CSV row of {chart_id} could be checked against its fact"


@pytest.mark.parametrize("chart_id", [c for c in CHART_IDS if charts.CHARTS[c].uses_events])
def test_event_charts_carry_every_event(base, rendered, chart_id):
    out = rendered[chart_id]
    rows = {row["event"]: row for row in csv_rows(out.csv)}
    assert set(rows) == set(base.events)
    for event in base.events.values():
        assert format_partial_date(event.date) in rows[event.id].values()
        assert in_svg(event.title, out.svg)
        assert event.title in to_json(out.spec)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_svg_is_a_fixed_width_light_drawing(rendered, chart_id):
    out = rendered[chart_id]
    assert out.svg.startswith("<svg") and 'width="640"' in out.svg and "viewBox=" in out.svg
    assert out.spec["config"]["background"] == LIGHT["background"]
    assert out.spec["width"] == "container"
    json.loads(to_json(out.spec))


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_svg_uses_only_theme_colours(rendered, chart_id):
    """The dark page recolours by exact value, so any other colour would stay light."""
    light = set(LIGHT["category"]) | {LIGHT[k] for k in ("background", "text", "muted", "grid", "accent")}
    used = set(re.findall(r'(?:fill|stroke)="([^"]*)"', rendered[chart_id].svg)) - {"none", "transparent"}
    assert used, "the SVG has coloured marks"
    assert used <= light, f"colours outside the theme: {sorted(used - light)}"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_rendering_is_deterministic(base, rendered, chart_id):
    first, again = rendered[chart_id], charts.render(charts.CHARTS[chart_id], base)
    assert to_json(again.spec) == to_json(first.spec)
    assert again.csv == first.csv
    # vl-convert numbers clip paths per process (clip1, clip3, ...); render.py renames them,
    # so the bytes do not depend on what was rendered before.
    assert again.svg == first.svg


def test_svg_ids_are_unique_across_charts(rendered):
    """Charts are inlined into pages, several to a page: no two may share an element id."""
    seen: dict[str, str] = {}
    for chart_id, out in rendered.items():
        for element_id in re.findall(r'\bid="([^"]+)"', out.svg):
            assert element_id not in seen or seen[element_id] == chart_id, (
                f"id {element_id!r} is used by {seen.get(element_id)} and {chart_id}")
            seen[element_id] = chart_id


def test_yaml_text_is_escaped_in_the_svg(base):
    fact_id = "uk-quota-kg-2024"
    evil = '<script>alert(1)</script> & "q"'
    hostile = FactBase(base.sources, {**base.facts, fact_id: base.facts[fact_id].model_copy(update={"label": evil})},
                       base.events, base.defined_at)
    chart_id = next(c for c in CHART_IDS if fact_id in charts.CHARTS[c].facts)
    out = charts.render(charts.CHARTS[chart_id], hostile)
    assert "<script" not in out.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in out.svg


def test_light_to_dark_is_a_mapping():
    """The CSS maps a light colour to a dark one by value: a light colour used twice must
    have the same dark twin each time, or one of the two rules would be wrong."""
    names = ("background", "text", "muted", "grid", "accent")
    light = [LIGHT[k] for k in names] + LIGHT["category"]
    dark = [DARK[k] for k in names] + DARK["category"]
    assert len(light) == len(dark)
    twins: dict[str, set[str]] = {}
    for lc, dc in zip(light, dark):
        twins.setdefault(lc.lower(), set()).add(dc.lower())
    assert {lc: ds for lc, ds in twins.items() if len(ds) > 1} == {}
    for colour in light + dark:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour


def test_category_colours_are_distinct():
    assert len(set(LIGHT["category"])) == len(LIGHT["category"])
    assert len(set(DARK["category"])) == len(DARK["category"])
    structural = [LIGHT[k] for k in ("background", "text", "muted", "grid")]
    assert len(set(structural)) == len(structural)
    assert not set(structural) & set(LIGHT["category"])


def test_dark_css_maps_every_light_colour():
    scope = '[data-md-color-scheme="slate"] .chart-view'
    css = dark_svg_css(scope)
    rules = re.findall(r'^(.*) svg \[(fill|stroke)="(#[0-9a-f]{6})"\] \{ (fill|stroke): (#[0-9a-f]{6}); \}$',
                       css, flags=re.M)
    assert len(rules) == len(css.strip().splitlines()), "every line is one rule"
    assert {r[0] for r in rules} == {scope}
    assert all(r[1] == r[3] for r in rules), "a rule sets the property it selects on"
    mapped = {(prop, lc): dc for _, prop, lc, _, dc in rules}
    names = ("background", "text", "muted", "grid", "accent")
    for lc, dc in zip([LIGHT[k] for k in names] + LIGHT["category"], [DARK[k] for k in names] + DARK["category"]):
        assert mapped[("fill", lc)] == dc
        assert mapped[("stroke", lc)] == dc


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_csv_numbers_read_as_in_yaml(rendered, chart_id):
    """40.0 is written 40, so downloads read as data/ does (charts/rows.py _plain)."""
    bad = [(row.get("fact"), column, row[column]) for row in csv_rows(rendered[chart_id].csv)
           for column in ("value", "low", "high") if re.fullmatch(r"-?\d+\.0", row.get(column) or "")]
    assert not bad
