"""A dark picture is its light twin with the theme's colours swapped (charts/render.py, ``_recoloured``),
and that is, byte for byte, what vl-convert draws from the dark spec: checked on every chart and
scrolled step, in both editions, the build's own pictures against a real drawing of each dark one."""

from __future__ import annotations

import importlib
import json

import pytest

import charts
from charts.cache import chart_inputs, key
from charts.layout import VARIANTS, Variant
from charts.scrolly import every_step
from conftest import ROOT
from facts.lang import edition
from facts.load import load_factbase
from facts.translations import translated

render = importlib.import_module("charts.render")   # the package exports a function of that name
BASE = load_factbase(ROOT / "data", ROOT)
EDITIONS = {lang: translated(BASE, lang) for lang in ("en", "ru")}


def every_drawing(lang: str) -> dict[str, charts.Chart]:
    steps = [chart for chart_list in every_step(EDITIONS[lang]).values() for chart in chart_list]
    return {chart.id: chart for chart in [*charts.every_chart(), *steps]}


@pytest.mark.parametrize(("lang", "chart_id"), [(lang, cid) for lang in EDITIONS for cid in every_drawing(lang)])
def test_every_dark_picture_recoloured_is_the_one_drawn(lang, chart_id, drawn):
    """The run's build of the real site (``drawn``) made each dark picture by recolouring its light
    twin; vl-convert, drawing that picture from its dark Vega spec, gives the same bytes once the
    picture is finished as the build finishes every picture."""
    chart, base = every_drawing(lang)[chart_id], EDITIONS[lang]
    with edition(lang):
        entry = drawn.get(chart.id, key(chart, chart_inputs(chart, base)))
    assert entry is not None, "the build drew no picture of this chart from these facts"
    for dark in (v for v in VARIANTS if v.scheme == "dark"):
        light = Variant("light", dark.width).name
        assert render._recoloured(entry["svg"][light], entry["vega"][light], entry["vega"][dark.name]) is not None, \
            f"{dark.name}: the dark spec differs from the light one in more than colour, so the build drew it"
        drawing = render.vl_convert.vega_to_svg(json.loads(entry["vega"][dark.name]))
        finished = render.finished_picture(drawing, chart.id, dark.name, render.path_decimals(entry["spec"]))
        assert entry["svg"][dark.name] == finished, dark.name


def test_a_chart_is_drawn_with_its_dark_pictures_recoloured(monkeypatch):
    """The build's drawing uses the recoloured pictures, and they change nothing in what it makes."""
    chart, base = charts.CHARTS["map"], EDITIONS["en"]
    drawn = render._draw(chart, chart_inputs(chart, base), recolour=False)
    calls = []
    monkeypatch.setattr(render.vl_convert, "vega_to_svg",
                        lambda vega, convert=render.vl_convert.vega_to_svg: calls.append(1) or convert(vega))
    assert render._draw(chart, chart_inputs(chart, base)) == drawn
    assert len(calls) == 2, "the dark pictures were drawn, not recoloured"


def test_a_dark_spec_that_differs_in_more_than_colour_is_drawn():
    text = render.to_compact_json   # the specs as _draw gives them to _recoloured
    light = text({"marks": [{"fill": "#ffffff", "width": 10}]})
    svg = '<svg><rect fill="#ffffff"/></svg>'
    assert render._recoloured(svg, light, text({"marks": [{"fill": "#1e2129", "width": 10}]})) == \
        '<svg><rect fill="#1e2129"/></svg>'
    assert render._recoloured(svg, light, text({"marks": [{"fill": "#1e2129", "width": 11}]})) is None
    # A colour the theme does not have stays as it is, in both: it is no difference.
    assert render._recoloured('<svg><rect fill="#123456"/></svg>', text({"fill": "#123456"}),
                              text({"fill": "#123456"})) == '<svg><rect fill="#123456"/></svg>'
    # A colour written in another form might be a theme colour, which the swap would miss.
    assert render._recoloured('<svg><rect fill="rgb(255, 255, 255)"/></svg>', light,
                              text({"marks": [{"fill": "#1e2129", "width": 10}]})) is None
