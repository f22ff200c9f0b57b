"""An edit to one figure in data/ reaches every chart correctly: drawn inside the plot, or refused at its line.

Charts derive their axes from the facts they draw (charts/rows.py ``linear_axis``, ``log_axis``),
so no typed-in domain can cut a figure off. Each test here changes one fact in a copy of the
real facts, builds the chart's Vega-Lite spec as the build does, lets vl-convert lay it out at
the desktop width, and reads the scenegraph: every mark (bar, point, rule; a label's anchor)
must lie inside the plot, the plot must keep its width, and the changed figure must be in the
spec. The alternative is the chart refusing the fact with ``CannotDraw``, reported as a problem
at the fact's own file and line (or naming it, for a figure the chart compares with another);
the refusals expected of the real charts are listed in ``REFUSED``, so a chart that refuses
a figure it could draw fails too.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import vl_convert

import charts
from charts.cache import chart_inputs
from charts.layout import WIDTHS
from charts.registry import CannotDraw
from charts.render import _fixed_width, with_config
from conftest import ROOT
from facts.format import format_fact
from facts.load import FactBase, load_factbase
from facts.problems import ProblemsFound
from facts.schema import Unit

BASE = load_factbase(ROOT / "data", ROOT)
FACTORS = (10, 0.1)
PERCENT = (Unit.percent, Unit.percent_of_gdp)
WIDTH = WIDTHS["wide"]
TOLERANCE = 1.5   # pixels: a stroke's half-width at a plot's edge is inside it

# (chart, fact, factor) for which the chart is right to refuse the scaled fact.
REFUSED = {
    # Russia's share cannot exceed the total it is part of: either way round, the chart says so.
    ("uzbekistan-remittances-origin", "uz-remittances-from-russia-2024", 10),
    ("uzbekistan-remittances-origin", "uz-remittances-total-2024", 0.1),
    # A finding that no longer holds is refused, not drawn: Kazakhstan's flow ten times larger is no
    # longer a share of Russia's.
    ("destinations", "kz-labor-arrivals-2025", 10),
}


def scaled(fact, factor: float):
    """The fact with each of its numbers times ``factor``; a percentage stays within 0-100
    (times ten, it goes no further than 100, the top of any percent axis)."""
    def scale(number: float) -> float:
        result = number * factor
        return min(result, 100.0) if fact.unit in PERCENT else result

    if fact.is_range:
        return fact.model_copy(update={"low": scale(fact.low), "high": scale(fact.high)})
    return fact.model_copy(update={"value": scale(fact.value)})


def with_fact(base: FactBase, fact) -> FactBase:
    return dataclasses.replace(base, facts={**base.facts, fact.id: fact})


def numeric_facts(chart: charts.Chart) -> list[str]:
    """The facts a chart draws (each has a value, or low and high)."""
    return [f for f in chart.facts if f in BASE.facts]


CASES = [pytest.param(chart_id, fact_id, factor, id=f"{chart_id}-{fact_id}-x{factor:g}")
         for chart_id in sorted(charts.CHARTS) for fact_id in numeric_facts(charts.CHARTS[chart_id])
         for factor in FACTORS]


# --- reading the laid-out chart -----------------------------------------------------------------

def layout(spec: dict) -> dict:
    """The chart's scenegraph at the desktop width, laid out as the build draws it."""
    return vl_convert.vegalite_to_scenegraph(_fixed_width(with_config(spec), WIDTH))


def on_an_axis(spec) -> bool:
    """Whether the chart places anything on a numeric or time axis (the map places figures as labels)."""
    if isinstance(spec, dict):
        encoding = spec.get("encoding", {})
        if any(isinstance(encoding.get(c), dict) and encoding[c].get("type") in ("quantitative", "temporal")
               for c in ("x", "y")):
            return True
        return any(on_an_axis(v) for k, v in spec.items() if k not in ("data", "datasets"))
    return isinstance(spec, list) and any(on_an_axis(v) for v in spec)


def marks(plot: dict):
    """(mark group, item) for each item of the chart's own marks; axes and legends are left out."""
    for group in plot.get("items", []):
        if group.get("role") == "mark" and group.get("marktype") != "group":
            yield from ((group, item) for item in group.get("items", []))
        elif group.get("role") not in ("axis", "legend"):
            for item in group.get("items", []):   # a nested view: its items hold marks
                yield from marks(item)


def outside_the_plot(scenegraph: dict) -> list[str]:
    """Every mark position that lies off the plot, is not a number, or a plot squeezed out of shape."""
    plot = scenegraph["scenegraph"]["items"][0]   # the root group's one item: the plot and its size
    width, height = plot["width"], plot["height"]
    found = []
    if width < WIDTH / 2:
        found.append(f"the plot is {width} px wide of {WIDTH}: something pushed it aside")
    for group, item in marks(plot):
        kind = group["marktype"]
        xs, ys = [item.get("x")], [item.get("y")]
        if kind == "rect":
            xs.append(item.get("x", 0) + item.get("width", 0))
            ys.append(item.get("y", 0) + item.get("height", 0))
        elif kind == "rule":
            xs.append(item.get("x2", item.get("x")))
            ys.append(item.get("y2", item.get("y")))
        what = f"{group.get('name')} {kind} {item.get('text') or item.get('description', '')[:80]!r}"
        for axis, values, end in (("x", xs, width), ("y", ys, height)):
            for value in values:
                if value is None:
                    continue   # a position the mark does not set (a rule's x2)
                if not isinstance(value, (int, float)) or not math.isfinite(value):
                    found.append(f"{what}: {axis} is {value!r}")
                elif not -TOLERANCE <= value <= end + TOLERANCE:
                    found.append(f"{what}: {axis} = {value:.1f}, outside 0-{end}")
    return found


def assert_drawn_or_refused(chart: charts.Chart, base: FactBase, fact, refused_ok: bool) -> None:
    try:
        spec = chart.spec(chart_inputs(chart, base))
    except ProblemsFound as found:
        assert isinstance(found.__cause__, CannotDraw), f"{chart.id} crashed: {found.report()}"
        assert refused_ok, f"{chart.id} refused {fact.id} it could draw: {found.report()}"
        file, line, _column = base.defined_at[fact.id]
        assert any((p.file, p.line) == (file, line) or f"{file}:{line}" in p.message for p in found.problems), (
            f"the problem does not name {fact.id}'s place {file}:{line}: {found.report()}")
        return
    assert not refused_ok, f"{chart.id} drew {fact.id} scaled although it should refuse it"
    assert format_fact(fact) in json.dumps(spec, ensure_ascii=False), f"{chart.id} does not show {format_fact(fact)}"
    if not on_an_axis(spec):
        return   # the figure is a label (the map): no axis to run off
    off = outside_the_plot(layout(spec))
    assert not off, f"{chart.id} with {fact.id} = {format_fact(fact)} draws off its plot:\n" + "\n".join(off)


# --- the tests ----------------------------------------------------------------------------------

def test_the_real_data_is_drawn_inside_every_plot():
    for chart in charts.CHARTS.values():
        spec = chart.spec(chart_inputs(chart, BASE))
        assert on_an_axis(spec) == (chart.id != "map"), chart.id
        if on_an_axis(spec):
            assert not outside_the_plot(layout(spec)), chart.id


@pytest.mark.parametrize(("chart_id", "fact_id", "factor"), CASES)
def test_a_figure_ten_times_larger_or_smaller_is_drawn_or_refused_at_its_line(chart_id, fact_id, factor):
    chart, fact = charts.CHARTS[chart_id], scaled(BASE.fact(fact_id), factor)
    assert_drawn_or_refused(chart, with_fact(BASE, fact), fact, (chart_id, fact_id, factor) in REFUSED)


def test_kazakhstan_at_900000_is_drawn_whole():
    """The issue's example: the 2025 arrivals set to 900,000 ran off an axis that ended at 400,000."""
    fact = BASE.fact("kz-labor-arrivals-2025").model_copy(update={"value": 900_000.0})
    for chart_id in ("kazakhstan-before-after", "destinations"):
        assert_drawn_or_refused(charts.CHARTS[chart_id], with_fact(BASE, fact), fact, refused_ok=False)


@pytest.mark.parametrize(("chart_id", "fact_id", "number"), [
    ("destination-quotas", "uk-quota-tj-2024", 0),              # a log scale has no zero
    ("destinations", "eu-agreement-flow-per-country", -5),      # nor a range below it
    ("kazakhstan-before-after", "kz-labor-arrivals-before", -1),  # bars start at zero
])
def test_a_figure_the_scale_cannot_place_is_reported_at_its_line(chart_id, fact_id, number):
    fact = BASE.fact(fact_id)
    fact = fact.model_copy(update={"low": number} if fact.is_range else {"value": number})
    base = with_fact(BASE, fact)
    with pytest.raises(ProblemsFound) as caught:
        charts.CHARTS[chart_id].spec(chart_inputs(charts.CHARTS[chart_id], base))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == base.defined_at[fact_id][:2]
    assert f"cannot draw fact {fact_id}: it is {number:g}" in problem.message
    assert isinstance(caught.value.__cause__, CannotDraw)


@pytest.mark.parametrize("years", [-10, 10])
def test_the_timeline_reaches_an_event_moved_ten_years(years):
    """The timeline has no figures: its axis follows the events' dates, the first or last moved."""
    chart = charts.CHARTS["timeline"]
    ordered = BASE.events_in_order()
    event = ordered[0] if years < 0 else ordered[-1]
    moved = event.model_copy(update={"date": dataclasses.replace(event.date, year=event.date.year + years, day=(
        min(event.date.day, 28) if event.date.day else None))})
    base = FactBase(BASE.sources, BASE.facts, {**BASE.events, event.id: moved}, BASE.defined_at)
    assert not outside_the_plot(layout(chart.spec(chart_inputs(chart, base))))
