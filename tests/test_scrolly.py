"""A scrolled sequence: declared in data/, each step drawn as its own picture, placed as HTML
with every step's words; bad declarations are placed problems."""

from __future__ import annotations

import html
import re

import pytest

import charts
from charts.annotations import check, word_problems
from charts.cache import chart_inputs, key
from charts.scrolly import render_steps, step_charts, step_pictures
from conftest import ROOT
from pages.scrolly import scrolly

SEQUENCE = """\
scrollies:
  - id: a-sequence
    chart: map
    title: A sequence
    steps:
      - text: "First: {a-fact}"
        highlight: [UZ]
      - text: Second
        highlight: [RU, UZ]
        annotations: [a-note]
annotations:
  - id: a-note
    chart: a-sequence
    kind: callout
    fact: a-fact
    entity: RU
    text: "Note {a-fact}"
"""


def files(yaml_snippets, old: str = "", new: str = "") -> dict[str, str]:
    return {"x.yaml": yaml_snippets.FACT, "story.yaml": SEQUENCE.replace(old, new) if old else SEQUENCE}


def test_a_valid_sequence_loads(load_data, yaml_snippets):
    base = load_data(files(yaml_snippets))
    sequence = base.scrollies["a-sequence"]
    assert [s.highlight for s in sequence.steps] == [["UZ"], ["RU", "UZ"]]
    assert check(base, ROOT) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('"First: {a-fact}"', '"First: {no-fact}"',
     "data/story.yaml:5:5: scrollies(a-sequence).steps: steps[0].text: {no-fact} names no fact; expected the id "
     "of a fact in data/"),
    ("annotations: [a-note]", "annotations: [other-note]",
     "data/story.yaml:5:5: scrollies(a-sequence).steps: steps[1].annotations: 'other-note' is no annotation "
     "declared for this sequence; expected the id of one with chart: a-sequence"),
    ("        highlight: [UZ]\n", "        highlight: []\n",
     "data/story.yaml:7:9: scrollies[0](a-sequence).steps[0].highlight: needs at least one entry; the list is "
     "empty"),
    ("      - text: Second\n        highlight: [RU, UZ]\n        annotations: [a-note]\n", "",
     "data/story.yaml:5:5: scrollies[0](a-sequence).steps: needs at least one entry; the list is empty"),
], ids=["unknown-fact", "foreign-annotation", "empty-highlight", "one-step"])
def test_a_bad_sequence_is_one_placed_problem(problems_in, yaml_snippets, old, new, expected):
    problems = problems_in(files(yaml_snippets, old, new))
    if old.startswith("      - text: Second"):   # the second step's annotation goes with it
        assert problems == ["data/story.yaml:5:5: scrollies[0](a-sequence).steps: needs at least 2 entries"] \
            or (len(problems) == 1 and "scrollies[0](a-sequence).steps" in problems[0]), problems
        return
    assert problems == [expected]


def test_a_sequence_over_a_chart_without_steps_is_placed(load_data, yaml_snippets):
    base = load_data(files(yaml_snippets, "chart: map", "chart: timeline"))
    [problem] = [p for p in check(base, ROOT) if p.field.startswith("scrollies")]
    assert (problem.file, problem.line, problem.field) == ("data/story.yaml", 3, "scrollies(a-sequence).chart")
    assert "cannot be drawn in steps; expected one that draws a highlight: map" in problem.message


@pytest.fixture(scope="module")
def base(english_base):
    return english_base


@pytest.fixture(scope="module")
def steps(base, drawn):
    return render_steps(base, drawn)   # as the run's build drew them


def test_each_step_is_its_own_picture_in_every_variant(base, steps):
    for sid, sequence in base.scrollies.items():
        drawn = steps[sid]
        assert len(drawn) == len(sequence.steps)
        for variant in drawn[0].svg:
            pictures = [step.svg[variant] for step in drawn]
            assert len(set(pictures)) == len(pictures), f"two steps of {sid} look the same ({variant})"
        paths = step_pictures({sid: drawn})
        assert len(paths) == len(sequence.steps) * 4 and all(p.startswith(f"charts/scrolly/{sid}/") for p in paths)
        # A step is only ever shown as its SVGs: no PNG is rasterised for it (a chart's PNG is its download).
        assert all(step.png == b"" for step in drawn)


def test_a_step_shows_only_its_highlight_and_its_callouts(base, steps):
    """Russia's label is drawn only in the steps that highlight Russia (and carry no callout on it),
    and a callout only in the step that names it."""
    sequence = base.scrollies["russia-and-the-doors"]
    russia_label = "about 2 million arrivals"
    for step, drawn in zip(sequence.steps, steps["russia-and-the-doors"], strict=True):
        svg = drawn.svg[("light", "wide")]
        callouts_on_russia = [n for n in step.annotations if base.annotations[n].entity == "RU"]
        assert (russia_label in svg) == ("RU" in step.highlight and not callouts_on_russia), step.text[:40]
        assert ("three-quarters" in svg) == ("doors-russia-share" in step.annotations), step.text[:40]


def test_a_step_is_redrawn_when_its_state_changes(base):
    sequence = base.scrollies["russia-and-the-doors"]
    before = [key(c, chart_inputs(c, base)) for c in step_charts(sequence)]
    changed = sequence.model_copy(update={"steps": [sequence.steps[0].model_copy(update={"highlight": ["UZ"]}),
                                                    *sequence.steps[1:]]})
    after = [key(c, chart_inputs(c, base)) for c in step_charts(changed)]
    assert before[0] != after[0] and before[1:] == after[1:]


def test_the_html_has_every_step_in_order_escaped(base, steps):
    sequence = base.scrollies["russia-and-the-doors"]
    hostile = sequence.model_copy(update={"title": '<script>x</script> & "q"'})
    page = scrolly(base, hostile, steps["russia-and-the-doors"], "../")
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;" in page
    texts = re.findall(r'<div class="scrolly-text"><p>(.*?)</p></div>', page)
    assert len(texts) == len(sequence.steps)
    assert [html.unescape(t) for t in texts] == [charts.registry.fill_text(base, s.text) for s in sequence.steps]
    assert page.count('<li class="scrolly-step"') == len(sequence.steps)
    assert 'src="../charts/scrolly/russia-and-the-doors/1.light.wide.svg"' in page


def test_words_the_facts_no_longer_support_are_placed_not_a_crash(base):
    """A step says 'about a sixth of Russia's'; with Kazakhstan's flow above Russia's, the build
    reports the step at its line instead of failing as it fills the page."""
    import dataclasses

    kz = base.fact("kz-labor-arrivals-2025")
    edited = dataclasses.replace(base, facts={**base.facts, kz.id: kz.model_copy(update={"value": 3e6})})
    problems = [p for p in word_problems(edited) if p.field.startswith("scrollies")]
    assert problems and all(p.file == "data/story.yaml" for p in problems), problems
    assert any("cannot be put in words" in p.message and "kz-labor-arrivals-2025" in p.message for p in problems)
