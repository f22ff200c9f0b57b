"""The map's borders and labels: Crimea is drawn as part of Ukraine, and the map names what it shows.

The border test decodes the very topology the map embeds (``charts.map.shapes()``, which the
builder passes to Vega-Lite) with its own small TopoJSON decoder and point-in-polygon test, so it
checks the drawn shapes and not the code that cropped them.
"""

from __future__ import annotations

import json

import pytest

from charts import map as country_map
from charts.geo import numeric_code
from charts.render import inline_values
from conftest import ROOT
from facts.load import load_factbase

SIMFEROPOL = (34.10, 44.95)   # Crimea
KYIV = (30.52, 50.45)
MOSCOW = (37.62, 55.75)
ROSTOV = (39.72, 47.24)       # Russia, across the Sea of Azov from Crimea


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as longitude/latitude points (delta-encoded and quantized, or plain)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arc_ids: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative id (~i) is arc i reversed, and each arc after the
    first repeats the point the previous one ended on."""
    points: list[tuple[float, float]] = []
    for index in arc_ids:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(topology: dict, country_id: str) -> list[list[list[tuple[float, float]]]]:
    """A country's polygons, each a list of rings (the first the outline, the rest holes)."""
    arcs = _decode_arcs(topology)
    [geometry] = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == country_id]
    shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [[_ring(ring, arcs) for ring in polygon] for polygon in shapes]


def _in_ring(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Even-odd rule: a ray to the east crosses the ring's edges an odd number of times."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(topology: dict, country_id: str, point: tuple[float, float]) -> bool:
    return any(_in_ring(point, rings[0]) and not any(_in_ring(point, hole) for hole in rings[1:])
               for rings in polygons(topology, country_id))


UKRAINE, RUSSIA = numeric_code("UA"), numeric_code("RU")


@pytest.fixture(scope="module")
def topology() -> dict:
    return country_map.shapes()


def test_the_decoder_finds_capitals(topology):
    """The point-in-polygon test itself works: each capital lies in its own country only."""
    assert contains(topology, UKRAINE, KYIV) and not contains(topology, RUSSIA, KYIV)
    assert contains(topology, RUSSIA, MOSCOW) and not contains(topology, UKRAINE, MOSCOW)
    assert contains(topology, RUSSIA, ROSTOV) and not contains(topology, UKRAINE, ROSTOV)


def test_crimea_is_drawn_as_part_of_ukraine(topology):
    assert contains(topology, UKRAINE, SIMFEROPOL), "Simferopol should lie inside Ukraine's shape"
    assert not contains(topology, RUSSIA, SIMFEROPOL), "Simferopol should not lie inside Russia's shape"


# --- the built chart -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spec() -> dict:
    """The map's Vega-Lite spec, built from data/."""
    return country_map.country_map(load_factbase(ROOT / "data", ROOT)).to_dict()


def test_the_chart_embeds_the_tested_topology(spec, topology):
    """The topology tested above is the one the chart's spec carries, byte for byte."""
    shapes = [v for v in inline_values(spec) if isinstance(v, dict) and v.get("type") == "Topology"]
    assert shapes and all(json.dumps(s, sort_keys=True) == json.dumps(topology, sort_keys=True) for s in shapes)


def _rows(spec: dict) -> dict[str, dict]:
    [rows] = {json.dumps(v, sort_keys=True): v for v in inline_values(spec)
              if isinstance(v, list) and v and all(isinstance(r, dict) and "fact" in r for r in v)}.values()
    return {row["code"]: row for row in rows}


def _labels(spec: dict) -> list[dict]:
    found = {json.dumps(v, sort_keys=True): v for v in inline_values(spec)
             if isinstance(v, list) and v and all(isinstance(r, dict) and "wide" in r for r in v)}
    [labels] = found.values()
    return labels


def test_china_is_named_with_no_figure(spec):
    rows = _rows(spec)
    assert "CN" not in country_map.COUNTRY_FACTS
    assert rows["CN"]["fact"] == "" and "no figure" in rows["CN"]["role"]
    [china] = [label for label in _labels(spec) if label["country"] == "China"]
    assert "no figure" in china["wide"] and "no figure" in china["narrow"]
    assert not any(ch.isdigit() for ch in china["wide"] + china["narrow"])


def test_kazakhstan_is_central_asia_and_a_destination(spec):
    row = _rows(spec)["KZ"]
    assert row["fact"] == "kz-labor-arrivals-2025"
    assert "Central Asia" in row["role"] and "destination" in row["role"]


def test_labels_show_figures_and_never_a_sum(spec):
    labels = {label["country"]: label for label in _labels(spec)}
    assert "about 220,000" in labels["Turkey"]["wide"] and "about 220,000" in labels["Turkey"]["narrow"]
    uk = labels["United Kingdom"]
    for quota in ("10,000", "8,000", "up to 1,000"):
        assert quota in uk["wide"]
    assert "19,000" not in uk["wide"] + uk["narrow"] and "three quotas" in uk["narrow"]


def test_uae_limit_does_not_claim_central_asia(spec):
    row = _rows(spec)["AE"]
    assert "whose workers not stated" in row["figures"]
    assert "Central Asia" not in row["role"]


def test_the_map_credits_natural_earth(spec):
    assert "Natural Earth" in json.dumps(spec)
