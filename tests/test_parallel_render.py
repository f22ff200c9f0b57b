"""Charts drawn in worker processes are the same, byte for byte, as charts drawn in the build's
own process, in either edition and in a scrolled step's state; and a chart that cannot be drawn
there is reported as it would be here."""

from __future__ import annotations

import importlib

import pytest

import charts
from charts.cache import RenderCache, chart_inputs, key
from charts.render import draw_into_cache, render_all
from charts.scrolly import step_charts
from conftest import ROOT
from facts.lang import edition
from facts.load import load_factbase
from facts.problems import ProblemsFound
from facts.translations import translated

render_module = importlib.import_module("charts.render")   # the package exports a function of that name


@pytest.fixture(scope="module")
def base():
    return load_factbase(ROOT / "data", ROOT)


def test_processes_draw_the_same_files(base, monkeypatch):
    # A bar chart, the timeline and the map: each kind of drawing, three charts for two workers.
    chart_list = [charts.CHARTS[cid] for cid in ("remittances-share-gdp", "timeline", "map")]
    here = render_all(chart_list, base, processes=1)
    monkeypatch.setattr(render_module, "PARALLEL_FROM", 1)
    there = render_all(chart_list, base, processes=2)
    assert list(there) == list(here)
    for cid in here:
        assert there[cid].svg == here[cid].svg, cid
        assert there[cid].vega == here[cid].vega, cid
        assert (there[cid].png, there[cid].csv, there[cid].size) == (here[cid].png, here[cid].csv, here[cid].size)


def test_a_chart_a_worker_cannot_draw_is_a_placed_problem(base, monkeypatch):
    # Uzbekistan's remittances from Russia made larger than their total: the chart refuses the fact.
    fact_id = "uz-remittances-from-russia-2024"
    too_large = base.facts[fact_id].model_copy(update={"value": 99_000_000_000})
    bad = type(base)(base.sources, {**base.facts, fact_id: too_large}, base.events, base.defined_at)
    monkeypatch.setattr(render_module, "PARALLEL_FROM", 1)
    with pytest.raises(ProblemsFound) as caught:
        render_all([charts.CHARTS["uzbekistan-remittances-origin"]], bad, processes=2)
    [problem] = caught.value.problems
    assert problem.file == "data/remittances.yaml" and problem.line > 1
    assert f"cannot draw fact {fact_id}: it is more than the total" in problem.message


def test_every_editions_charts_and_steps_drawn_at_once_are_those_each_edition_draws(base, monkeypatch, tmp_path):
    """draw_into_cache (the build, before it renders the editions one by one): a chart and a
    scrolled step, in English and in Russian, drawn by two workers into the cache; each edition
    then finds in the cache exactly what it draws on its own."""
    editions = {lang: translated(base, lang) for lang in ("en", "ru")}
    wanted = lambda b: [charts.CHARTS["timeline"], step_charts(next(iter(b.scrollies.values())))[1]]  # noqa: E731
    monkeypatch.setattr(render_module, "PARALLEL_FROM", 1)
    cache = RenderCache(tmp_path)
    draw_into_cache([(lang, b, wanted(b)) for lang, b in editions.items()], cache, processes=2)
    here = {}
    for lang, b in editions.items():
        with edition(lang):
            assert all(cache.has(c.id, key(c, chart_inputs(c, b))) for c in wanted(b)), f"{lang}: not all drawn"
            cached = render_all(wanted(b), b, cache)
            here[lang] = render_all(wanted(b), b, processes=1)
        for cid, files in here[lang].items():
            assert cached[cid].svg == files.svg and cached[cid].vega == files.vega, (lang, cid)
            assert (cached[cid].png, cached[cid].csv) == (files.png, files.csv), (lang, cid)
    assert here["ru"]["timeline"].svg != here["en"]["timeline"].svg, "the Russian drawing should differ"
