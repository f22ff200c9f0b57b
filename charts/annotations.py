"""Annotations: the reference lines and callouts that data/*.yaml declares for a chart.

The words and what they mark live beside the facts (``annotations:`` in a data file); a chart's
code only says which kinds it can draw (``@chart(annotates=...)``) and calls the drawing helpers
here, which draw every annotation declared for it. ``check`` reports, at the annotation's line,
one that names an unknown chart or a kind its chart cannot draw.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import altair as alt

from facts.format import upper_first
from facts.load import FactBase
from facts.problems import Problem
from facts.schema import Annotation, AnnotationKind

from .registry import CHARTS, CannotDraw, fill_text
from .theme import group_of


def for_chart(base: FactBase, chart_id: str, kind: AnnotationKind | None = None) -> list[Annotation]:
    """The chart's annotations (of one kind), in the order the data files declare them."""
    return [a for a in base.annotations.values() if a.chart == chart_id and (kind is None or a.kind is kind)]


def numbers(base: FactBase, chart_id: str) -> list[tuple[str, float]]:
    """(fact id, value) of every reference line, so a chart's axis reaches them too."""
    return [(a.fact, base.fact(a.fact).central) for a in for_chart(base, chart_id, AnnotationKind.reference_line)]


def _row(base: FactBase, note: Annotation) -> dict:
    # No "fact" or "event" key: these rows are drawing, not the chart's data (render.chart_rows).
    row = {"annotation": note.id, "note": fill_text(base, note.text)}
    if note.entity:
        row["group"] = group_of(note.entity)
    if note.fact is not None:
        row["at"] = base.fact(note.fact).central
    if note.event is not None:
        event = base.events[note.event]
        # "title", the field the timeline's rows are named by, so both layers share one sorted scale.
        row.update(at_date=event.date.first_day().isoformat(), title=event.title)
    return row


# Characters a reference line's note holds on a line of the phone drawing (narrower than
# NARROW_BELOW px); a longer note (Russian ones name the figure's noun) is wrapped there.
NOTE_LINE_NARROW = 30
NARROW_BELOW = 500
NOTE_LINE_HEIGHT = 15


def reference_lines(base: FactBase, chart_id: str, scale: alt.Scale, color: alt.Color) -> list[alt.Chart]:
    """A dashed rule at each reference line's fact, across the plot, its text at the top, ending at
    the line; coloured by the annotation's entity (``color`` is the chart's group encoding)."""
    rows = [_row(base, a) for a in for_chart(base, chart_id, AnnotationKind.reference_line)]
    if not rows:
        return []
    lines = alt.Chart(alt.Data(values=rows))
    with_entity = [a.entity for a in for_chart(base, chart_id, AnnotationKind.reference_line)]
    colour = {"color": color} if all(with_entity) else {}
    rule = lines.mark_rule(strokeDash=[4, 4], strokeWidth=1.5).encode(
        x=alt.X("at:Q", scale=scale), **colour)
    # The text stands on the side of the line with more room: a line in the left half of the plot
    # has its text start after it, one in the right half ends before it.
    left = "scale('x', datum.at) < width / 2"
    placed = {"align": alt.ExprRef(f"{left} ? 'left' : 'right'"), "baseline": "bottom",
              "dx": alt.ExprRef(f"{left} ? 4 : -4"), "fontWeight": 600}
    position = {"x": alt.X("at:Q", scale=scale), "y": alt.value(0)}
    wrapped = {row["annotation"]: textwrap.wrap(row["note"], NOTE_LINE_NARROW) for row in rows}
    if all(len(lines_of) == 1 for lines_of in wrapped.values()):
        return [rule, lines.mark_text(**placed).encode(**position, text=alt.Text("note:N"))]
    # A note longer than a phone drawing's line takes two there (Vega writes a text's lines downward
    # from its first, so the first is lifted by the others' height to keep the last on the plot's top).
    for row in rows:
        row["note_narrow"] = "\n".join(wrapped[row["annotation"]])
    text = lines.transform_calculate(
        shown=f"width < {NARROW_BELOW} ? datum.note_narrow : datum.note",
        lines="length(split(datum.shown, '\\n'))",
    ).mark_text(**placed, lineBreak="\n", lineHeight=NOTE_LINE_HEIGHT,
                dy=alt.ExprRef(f"-{NOTE_LINE_HEIGHT} * (datum.lines - 1)")).encode(**position, text=alt.Text("shown:N"))
    return [rule, text]


def event_callouts(base: FactBase, chart_id: str, time_scale: alt.Scale, order: list[str]) -> list[alt.Chart]:
    """Each callout on an event: its text in bold, ending just before the event's mark on the
    event's own row (rows named by event title, in ``order``), where the row's title above leaves
    the line free."""
    rows = [_row(base, a) for a in for_chart(base, chart_id, AnnotationKind.callout) if a.event]
    if not rows:
        return []
    return [alt.Chart(alt.Data(values=rows)).mark_text(
        align="right", baseline="middle", dx=-10, dy=4, fontWeight=700, fontStyle="italic").encode(
        x=alt.X("at_date:T", scale=time_scale), y=alt.Y("title:N", sort=order, axis=None, title=None),
        text=alt.Text("note:N"))]


def callouts_on(base: FactBase, note_ids: tuple[str, ...]) -> dict[str, str]:
    """Entity -> the text of the named callouts on it (capitalised; several on one entity are joined),
    for a chart that writes a callout where it names the entity, such as the map."""
    found: dict[str, list[str]] = {}
    for note_id in note_ids:
        note = base.annotations[note_id]
        text = fill_text(base, note.text)
        found.setdefault(note.entity or "", []).append(upper_first(text))
    return {entity: " ".join(texts) for entity, texts in found.items()}


def check(base: FactBase, root: Path) -> list[Problem]:
    """Annotations naming a chart that does not exist, or a kind (or anchor) their chart cannot draw."""
    problems = []
    for note in base.annotations.values():
        def at(name: str, message: str, note: Annotation = note) -> None:
            shown, line, col = base.field_at.get((note.id, name), base.defined_at[note.id])
            problems.append(Problem(shown, line, col, f"annotations({note.id}).{name}", message))

        # A sequence's annotations are drawn by its chart, on the steps that name them.
        scrolly = base.scrollies.get(note.chart)
        chart = CHARTS.get(scrolly.chart if scrolly else note.chart)
        if chart is None:
            if scrolly is None:
                at("chart", f"unknown chart {note.chart!r}; expected one of {', '.join(sorted(CHARTS))} "
                            "or the id of a scrolled sequence")
            continue
        anchor = "event" if note.event else "fact"
        drawn = f"{note.kind.value} on {'an event' if note.event else 'a fact'}"
        can = [f"{kind} on {'an event' if on == 'event' else 'a fact'}" for kind, on in chart.annotates]
        if (note.kind.value, anchor) not in chart.annotates:
            at("kind", f"chart {chart.id} cannot draw a {drawn}; expected "
                       + (" or ".join(can) if can else "no annotation (it draws none)"))
    in_steps = [c.id for c in CHARTS.values() if "highlight" in inspect.signature(c.build).parameters]
    for scrolly in base.scrollies.values():
        if scrolly.chart not in in_steps:
            shown, line, col = base.field_at.get((scrolly.id, "chart"), base.defined_at[scrolly.id])
            problems.append(Problem(shown, line, col, f"scrollies({scrolly.id}).chart",
                                    f"chart {scrolly.chart!r} cannot be drawn in steps; expected one that "
                                    f"draws a highlight: {', '.join(in_steps)}"))
    return problems


def word_problems(base: FactBase) -> list[Problem]:
    """Annotations' and steps' words that their facts no longer support (a share above one, a
    range), placed at the words: found when charts are drawn, as a chart's own drawing problems
    are, rather than as a crash when a page is filled."""
    problems: list[Problem] = []
    for note in base.annotations.values():
        _words(base, note.text, note.id, "annotations", "text", problems)
    for scrolly in base.scrollies.values():
        for index, step in enumerate(scrolly.steps):
            _words(base, step.text, scrolly.id, "scrollies", f"steps[{index}].text", problems)
    return problems


def _words(base: FactBase, template: str, item_id: str, kind: str, name: str, problems: list[Problem]) -> None:
    try:
        fill_text(base, template)
    except CannotDraw as err:
        shown, line, col = base.field_at.get((item_id, name.split("[")[0]), base.defined_at[item_id])
        problems.append(Problem(shown, line, col, f"{kind}({item_id}).{name}",
                                f"fact {err.fact_id}: {err.reason}; expected {err.expected}"))
    except KeyError:
        pass   # an unknown fact: facts/load.py reports it at its place
