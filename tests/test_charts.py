"""Every chart, rendered against the real data: its spec, SVG and CSV carry the facts' values."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

import charts
from charts.layout import SCHEMES, WIDTHS
from charts.render import to_json
from charts.theme import CENTRAL_ASIA, DARK, ELSEWHERE, GROUPS, LIGHT, RUSSIA, group_colours, group_of
from facts.format import format_fact, format_partial_date
from facts.load import FactBase

CHART_IDS = sorted(charts.CHARTS)

@pytest.fixture(scope="module")
def base(english_base) -> FactBase:
    return english_base


@pytest.fixture(scope="module")
def rendered(base, drawn) -> dict[str, charts.RenderedChart]:
    """Each chart's files, as the run's build drew them (test_rendering_is_deterministic draws
    each again here)."""
    return {cid: charts.render(charts.CHARTS[cid], base, drawn) for cid in CHART_IDS}


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
        for name, text in (("spec", spec), ("csv", out.csv), ("svg", out.svg[("light", "wide")])):
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
        assert in_svg(event.title, out.svg[("light", "wide")])
        assert event.title in to_json(out.spec)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_svgs_are_drawn_at_each_width_in_each_scheme(rendered, chart_id):
    out = rendered[chart_id]
    for (_scheme, width), svg in out.svg.items():
        assert svg.startswith("<svg") and f'width="{WIDTHS[width]}"' in svg and "viewBox=" in svg
        assert out.size[width][0] == WIDTHS[width]
    assert set(out.svg) == {(s, w) for s in SCHEMES for w in WIDTHS}
    assert out.spec["config"]["background"] == LIGHT["background"]
    for (scheme, width), text in out.vega.items():
        vega = json.loads(text)
        assert vega["background"] == (LIGHT if scheme == "light" else DARK)["background"]
        # The live view is drawn at the picture's width, so it replaces the picture in place.
        signals = vega.get("signals", [])
        assert vega["width"] == out.size[width][0] or any(
            s.get("name") == "width" and s.get("init") == str(out.size[width][0]) for s in signals), width
    assert out.png.startswith(b"\x89PNG")
    assert out.spec["width"] == "container"
    json.loads(to_json(out.spec))


@pytest.mark.parametrize("chart_id", CHART_IDS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_svg_uses_only_its_schemes_colours(rendered, chart_id, scheme):
    """Builders name no colour: every colour in a light (dark) SVG is one of the light (dark) theme's."""
    theme = LIGHT if scheme == "light" else DARK
    allowed = set(theme["category"]) | {theme[k] for k in ("background", "text", "muted", "grid", "accent")}
    for width in WIDTHS:
        svg = rendered[chart_id].svg[(scheme, width)]
        used = set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg)) - {"none", "transparent"}
        assert used, "the SVG has coloured marks"
        assert used <= allowed, f"colours outside the {scheme} theme: {sorted(used - allowed)}"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_rendering_is_deterministic(base, rendered, chart_id):
    first, again = rendered[chart_id], charts.render(charts.CHARTS[chart_id], base)
    assert to_json(again.spec) == to_json(first.spec)
    assert again.csv == first.csv
    # vl-convert numbers clip paths per process (clip1, clip3, ...); render.py renames them,
    # so the bytes do not depend on what was rendered before.
    assert again.svg == first.svg
    assert again.vega == first.vega
    assert again.png == first.png


def test_svg_ids_are_unique_across_charts(rendered):
    """No two drawings share an element id, so any of them can be inlined beside another."""
    seen: dict[str, tuple] = {}
    for chart_id, out in rendered.items():
        for variant, svg in out.svg.items():
            for element_id in re.findall(r'\bid="([^"]+)"', svg):
                assert element_id not in seen or seen[element_id] == (chart_id, variant), (
                    f"id {element_id!r} is used by {seen.get(element_id)} and {(chart_id, variant)}")
                seen[element_id] = (chart_id, variant)


def test_yaml_text_is_escaped_in_the_svg(base):
    fact_id = "uk-quota-kg-2024"
    evil = '<script>alert(1)</script> & "q"'
    hostile = FactBase(base.sources, {**base.facts, fact_id: base.facts[fact_id].model_copy(update={"label": evil})},
                       base.events, base.defined_at)
    chart_id = next(c for c in CHART_IDS if fact_id in charts.CHARTS[c].facts)
    out = charts.render(charts.CHARTS[chart_id], hostile)
    for svg in out.svg.values():
        assert "<script" not in svg
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in svg


def test_category_colours_are_distinct():
    assert len(set(LIGHT["category"])) == len(LIGHT["category"])
    assert len(set(DARK["category"])) == len(DARK["category"])
    structural = [LIGHT[k] for k in ("background", "text", "muted", "grid")]
    assert len(set(structural)) == len(structural)
    assert not set(structural) & set(LIGHT["category"])


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_csv_numbers_read_as_in_yaml(rendered, chart_id):
    """40.0 is written 40, so downloads read as data/ does (charts/rows.py _plain)."""
    bad = [(row.get("fact"), column, row[column]) for row in csv_rows(rendered[chart_id].csv)
           for column in ("value", "low", "high") if re.fullmatch(r"-?\d+\.0", row.get(column) or "")]
    assert not bad


# --- One colour, one meaning -----------------------------------------------------------------

def _walk(node):
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


COLOUR_CHANNELS = ("color", "fill", "stroke")


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_colour_encoding_is_the_shared_group_scale(rendered, chart_id):
    """A mark is coloured by its group through the one shared domain (charts/theme.py), or by the
    theme's defaults; never by another field, another domain or a colour typed into the chart."""
    spec = rendered[chart_id].spec
    for node in _walk({k: v for k, v in spec.items() if k != "config"}):
        for channel in COLOUR_CHANNELS:
            encoding = node.get("encoding", {}).get(channel)
            if isinstance(encoding, dict) and "field" in encoding:
                assert encoding["field"] == "group", f"{chart_id} colours by {encoding['field']}"
                assert encoding["scale"] == {"domain": list(GROUPS)}, encoding["scale"]
        mark = node.get("mark")
        if isinstance(mark, dict):
            typed = {k: v for k, v in mark.items() if k in COLOUR_CHANNELS and isinstance(v, str)}
            assert not typed, f"{chart_id}: a colour typed into a mark: {typed}"


def _group_rows(rendered) -> list[tuple[str, str, str]]:
    """(chart, place, group) of every drawn row that has a group, its place named as the row does."""
    found = []
    for chart_id, out in rendered.items():
        for node in _walk(out.spec):
            values = node.get("values")
            if isinstance(values, list):
                for row in values:
                    if isinstance(row, dict) and "group" in row:
                        place = row.get("code") or row.get("destination") or row.get("origin") or ""
                        if place:
                            found.append((chart_id, place, row["group"]))
    return found


def test_a_place_has_one_group_on_every_chart(rendered):
    names = {"Russia": "RU", "Kazakhstan": "KZ", "Uzbekistan": "UZ", "Turkey": "TR", "United Kingdom": "GB"}
    by_place: dict[str, set[str]] = {}
    for _chart, place, group in _group_rows(rendered):
        by_place.setdefault(names.get(place, place), set()).add(group)
    assert by_place["RU"] == {RUSSIA} and by_place["KZ"] == {CENTRAL_ASIA} and by_place["TR"] == {ELSEWHERE}
    assert all(len(groups) == 1 for groups in by_place.values()), by_place
    for code in ("RU", "KZ", "UZ", "TR", "GB"):
        assert by_place[code] == {group_of(code)}


@pytest.mark.parametrize("chart_id", CHART_IDS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_group_colour_appears_only_where_the_group_is_drawn(rendered, chart_id, scheme):
    """In the pictures, Russia's colour is on a chart only if something of Russia's is drawn there,
    and so for each group: no other mark borrows a group's colour."""
    drawn = {row["group"] for node in _walk(rendered[chart_id].spec) for row in node.get("values") or []
             if isinstance(row, dict) and "group" in row}
    colours = group_colours(dark=scheme == "dark")
    for width in WIDTHS:
        svg = rendered[chart_id].svg[(scheme, width)]
        used = set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg))
        for group, colour in colours.items():
            assert (colour in used) == (group in drawn), f"{chart_id} {scheme} {width}: {group} ({colour})"


def test_groups_have_distinct_colours_in_both_schemes():
    for dark in (False, True):
        colours = group_colours(dark)
        assert list(colours) == list(GROUPS) and len(set(colours.values())) == len(GROUPS)
        theme = DARK if dark else LIGHT
        assert theme["accent"] not in colours.values(), "the neutral accent is no group's colour"


def test_flows_and_ceilings_are_never_on_one_axis():
    """People who went (or work) somewhere and the quotas, limits and job offers that cap them are
    drawn on separate charts, so no reader compares a ceiling with a headcount by accident."""
    from charts.destinations import CEILINGS, FLOWS

    ceilings = {f for f, *_ in CEILINGS} | {"uae-limit-before"}
    flows = {f for f, *_ in FLOWS} | {"russia-arrivals-central-asia-2024"}
    for chart in charts.CHARTS.values():
        if chart.id == "map":   # labels each country with its own figure, and no axis
            continue
        drawn = set(chart.facts)
        assert not (drawn & ceilings and drawn & flows), f"{chart.id} draws flows and ceilings together"
    assert {f for f, *_ in FLOWS} <= set(charts.CHARTS["destinations"].facts)
    assert {f for f, *_ in CEILINGS} <= set(charts.CHARTS["destination-quotas"].facts)
