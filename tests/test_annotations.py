"""Annotations are declared in data/ beside the facts and drawn by the chart they name.

A bad one is reported at its own line with the field and what was expected; a good one reaches
the chart's pictures, and the chart draws exactly what data/ declares for it.
"""

from __future__ import annotations

import dataclasses
import html

import pytest

import charts
from charts.annotations import check
from charts.cache import chart_inputs, key
from charts.theme import DARK, LIGHT
from conftest import ROOT
from facts.format import format_fact
from facts.load import load_factbase

ANNOTATION = """\
annotations:
  - id: a-note
    chart: destinations
    kind: reference_line
    fact: a-fact
    text: "Here: {a-fact}"
"""


def with_annotation(yaml_snippets, old: str = "", new: str = "") -> dict[str, str]:
    note = ANNOTATION.replace(old, new) if old else ANNOTATION
    return {"x.yaml": yaml_snippets.FACT, "notes.yaml": note}


def test_a_valid_annotation_loads_and_its_text_names_the_fact(load_data, yaml_snippets):
    base = load_data(with_annotation(yaml_snippets))
    note = base.annotations["a-note"]
    assert (note.chart, note.kind.value, note.fact) == ("destinations", "reference_line", "a-fact")
    assert base.defined_at["a-note"] == ("data/notes.yaml", 2, 5)
    assert check(base, ROOT) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    fact: a-fact\n", "    event: an-event\n",
     "data/notes.yaml:4:5: annotations[0](a-note).kind: a reference_line stands at a fact's value; "
     "give fact:, not event:"),
    ("    fact: a-fact\n", "    fact: a-fact\n    event: an-event\n",
     "data/notes.yaml:5:5: annotations[0](a-note).fact: give exactly one of fact: and event:, the item "
     "the annotation marks"),
    ("kind: reference_line", "kind: arrow",
     "data/notes.yaml:4:5: annotations[0](a-note).kind: expected one of 'reference_line' or 'callout', "
     "got 'arrow'"),
    ("    text:", "    colour: red\n    text:",
     "data/notes.yaml:6:5: annotations[0](a-note).colour: is not a known field; expected one of: id, chart, "
     "kind, fact, event, text, entity, ru"),
    ("fact: a-fact", "fact: no-such-fact",
     "data/notes.yaml:5:5: annotations(a-note).fact: unknown fact id 'no-such-fact'; expected the id of a "
     "fact in data/"),
    ('"Here: {a-fact}"', '"Here: {b-fact}"',
     "data/notes.yaml:6:5: annotations(a-note).text: {b-fact} names no fact; expected {fact-id} or "
     "{period:fact-id} with the id of a fact in data/"),
], ids=["line-on-an-event", "two-anchors", "unknown-kind", "unknown-field", "unknown-fact", "unknown-text-fact"])
def test_a_bad_annotation_is_one_placed_problem(problems_in, yaml_snippets, old, new, expected):
    files = with_annotation(yaml_snippets, old, new)
    files["events.yaml"] = yaml_snippets.EVENT
    assert problems_in(files) == [expected]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("chart: destinations", "chart: no-such-chart",
     "data/notes.yaml:3:5: annotations(a-note).chart: unknown chart 'no-such-chart'; expected one of "),
    ("chart: destinations", "chart: uzbekistan-remittances-origin",
     "data/notes.yaml:4:5: annotations(a-note).kind: chart uzbekistan-remittances-origin cannot draw a "
     "reference_line on a fact; expected no annotation (it draws none)"),
    ("chart: destinations", "chart: timeline",
     "data/notes.yaml:4:5: annotations(a-note).kind: chart timeline cannot draw a reference_line on a fact; "
     "expected callout on an event"),
], ids=["unknown-chart", "chart-draws-none", "kind-the-chart-cannot-draw"])
def test_an_annotation_its_chart_cannot_draw_is_placed(load_data, yaml_snippets, old, new, expected):
    base = load_data(with_annotation(yaml_snippets, old, new))
    [problem] = check(base, ROOT)
    assert str(problem).startswith(expected), str(problem)


@pytest.fixture(scope="module")
def base():
    return load_factbase(ROOT / "data", ROOT)


def without_annotations(base, chart_id):
    return dataclasses.replace(base, annotations={k: a for k, a in base.annotations.items() if a.chart != chart_id})


def test_the_timeline_draws_the_callouts_data_declares(base):
    notes = [a for a in base.annotations.values() if a.chart == "timeline"]
    assert {a.event for a in notes} >= {"azerbaijani-airliner-downed"}, "the airliner's callout is declared"
    chart = charts.CHARTS["timeline"]
    drawn = charts.render(chart, chart_inputs(chart, base))
    bare = charts.render(chart, chart_inputs(chart, without_annotations(base, "timeline")))
    for note in notes:
        for svg in drawn.svg.values():
            assert html.escape(note.text, quote=False) in svg
        assert all(html.escape(note.text, quote=False) not in svg for svg in bare.svg.values())
    assert drawn.csv == bare.csv, "annotations are drawing, not data"


def test_the_russia_line_is_drawn_from_its_fact_in_russias_colour(base):
    [note] = [a for a in base.annotations.values() if a.chart == "destinations"]
    fact = base.fact(note.fact)
    chart = charts.CHARTS["destinations"]
    drawn = charts.render(chart, chart_inputs(chart, base))
    for (scheme, _width), svg in drawn.svg.items():
        assert format_fact(fact) in svg
        russia = (LIGHT if scheme == "light" else DARK)["category"][1]
        assert f'stroke="{russia}" stroke-width="1.5" stroke-dasharray="4,4"' in svg, scheme
    # Its value moves the axis too: ten times larger, the line is still on the chart.
    bigger = dataclasses.replace(base, facts={**base.facts, fact.id: fact.model_copy(
        update={"value": fact.value * 10})})
    assert format_fact(bigger.fact(fact.id)) in charts.render(chart, chart_inputs(chart, bigger)).svg[("light", "wide")]


def test_an_edited_annotation_redraws_its_chart_only(base):
    edited = dataclasses.replace(base, annotations={**base.annotations, "timeline-crocus-raids": base.annotations[
        "timeline-crocus-raids"].model_copy(update={"text": "Something else"})})
    for chart_id, chart in charts.CHARTS.items():
        same = key(chart, chart_inputs(chart, base)) == key(chart, chart_inputs(chart, edited))
        assert same == (chart_id != "timeline"), chart_id
