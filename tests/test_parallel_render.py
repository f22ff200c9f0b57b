"""Charts drawn in worker processes are the same, byte for byte, as charts drawn in the build's
own process, and a chart that cannot be drawn there is reported as it would be here."""

from __future__ import annotations

import importlib

import pytest

import charts
from charts.render import render_all
from conftest import ROOT
from facts.load import load_factbase
from facts.problems import ProblemsFound

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
