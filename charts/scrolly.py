"""A scrolled sequence's steps as drawings: each step is its chart in the step's state.

data/ declares the sequence (``scrollies:``): the chart, and for each step its words, the
countries it highlights and the annotations it shows. Each step is drawn like any chart, as SVG
pictures light and dark, wide and narrow, reused from the cache while its inputs are unchanged;
pages/scrolly.py places them.
"""

from __future__ import annotations

import dataclasses
import functools

from facts.load import FactBase
from facts.problems import ProblemsFound
from facts.schema import Scrolly

from .annotations import word_problems
from .cache import RenderCache
from .layout import VARIANTS, step_files
from .registry import CHARTS, Chart
from .render import RenderedChart, render_all


def step_charts(scrolly: Scrolly) -> list[Chart]:
    """One chart per step: the sequence's chart, drawn with the step's highlight and annotations."""
    base_chart = CHARTS[scrolly.chart]
    charts = []
    for index, step in enumerate(scrolly.steps):
        highlight, notes = tuple(step.highlight), tuple(step.annotations)
        charts.append(dataclasses.replace(
            base_chart, id=f"{scrolly.id}-step-{index + 1}",
            build=functools.partial(base_chart.build, highlight=highlight, notes=notes),
            state=(("highlight", highlight), ("annotations", notes))))
    return charts


def every_step(base: FactBase) -> dict[str, list[Chart]]:
    """Sequence id -> each of its steps' charts, in order."""
    return {scrolly.id: step_charts(scrolly) for scrolly in base.scrollies.values()}


def render_steps(base: FactBase, cache: RenderCache | None = None) -> dict[str, list[RenderedChart]]:
    """Sequence id -> each step's drawings, in order; ProblemsFound if a step's words or a
    drawing cannot be made from the facts."""
    if problems := word_problems(base):
        raise ProblemsFound(problems)
    wanted = every_step(base)
    drawn = render_all([chart for charts in wanted.values() for chart in charts], base, cache)
    return {sid: [drawn[chart.id] for chart in charts] for sid, charts in wanted.items()}


def step_pictures(steps: dict[str, list[RenderedChart]]) -> dict[str, str]:
    """Site path -> SVG of every step's pictures."""
    files = {}
    for sid, rendered in steps.items():
        for index, step in enumerate(rendered):
            paths = step_files(sid, index)
            files.update({paths[f"svg-{v.name}"]: step.svg[v] for v in VARIANTS})
    return files
