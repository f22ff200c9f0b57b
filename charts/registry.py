"""Where charts are declared: one id, the facts it draws, and an Altair builder.

``charts`` is a plain library: it knows facts and Altair, never MkDocs, so the
same charts can feed any site generator, a notebook or a test.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt

from facts.format import format_fact, format_period
from facts.load import FactBase
from facts.problems import Problem, ProblemsFound, display_path

ROOT = Path(__file__).resolve().parent.parent


class CannotDraw(ValueError):
    """Raised by a builder for a fact it cannot draw, such as a range where it needs one number."""

    def __init__(self, fact_id: str, reason: str, expected: str):
        super().__init__(f"fact {fact_id}: {reason}; expected {expected}")
        self.fact_id, self.reason, self.expected = fact_id, reason, expected


def single_value(base: FactBase, fact_id: str) -> float:
    """The fact's value, for a chart that computes with it; a range has no one value to use."""
    fact = base.fact(fact_id)
    if fact.is_range:
        raise CannotDraw(fact_id, f"it is a range ({fact.low:g} to {fact.high:g})",
                         "a single value (value:), because the chart calculates with it")
    return fact.value


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str          # one sentence on what the chart shows, for the caption
    facts: tuple[str, ...]
    build: Callable[[FactBase], alt.TopLevelMixin]
    uses_events: bool = False
    defined_at: tuple[str, int] = field(default=("", 0), compare=False)


    def text(self, base: FactBase, template: str) -> str:
        """Fill '{fact-id}' with the formatted fact and '{period:fact-id}' with its period.

        Titles and summaries hold no hand-typed figures: they name facts, so an
        edit in data/ reaches the caption too.
        """
        def fill(match: re.Match) -> str:
            kind, fact_id = match["kind"], match["id"]
            fact = base.fact(fact_id)
            return format_period(fact) if kind == "period" else format_fact(fact, prose=True)

        return PLACEHOLDER.sub(fill, template)

    def spec(self, base: FactBase) -> dict:
        """The chart's Vega-Lite spec, or ProblemsFound saying which fact it cannot draw and why."""
        try:
            return self.build(base).to_dict()
        except Exception as err:  # a builder's bug or an unusual fact: either way, a problem to report
            raise ProblemsFound([self._cannot_draw(base, err)]) from err

    def _cannot_draw(self, base: FactBase, err: Exception) -> Problem:
        """At the fact's own file:line when the failing fact is known, else at the chart's."""
        chart_file = display_path(Path(self.defined_at[0]), ROOT)
        chart_at = f"{chart_file}:{self.defined_at[1]}"
        if isinstance(err, CannotDraw):
            fact_id, reason, expected = err.fact_id, err.reason, err.expected
        elif isinstance(err, KeyError) and err.args and err.args[0] in self.fact_ids():
            fact_id, reason, expected = err.args[0], "there is no such fact", "a fact with this id in data/"
        else:
            fact_id, reason, expected = None, f"{type(err).__name__}: {err}", "facts its builder can draw"
        what = f"fact {fact_id}" if fact_id else "its facts"
        if fact_id in base.defined_at:
            return Problem(*base.defined_at[fact_id], f"chart {self.id}",
                           f"cannot draw {what}: {reason}; expected {expected} (the chart is declared at {chart_at})")
        return Problem(chart_file, self.defined_at[1], 1, f"chart {self.id}",
                       f"cannot draw {what}: {reason}; expected {expected}")

    def placeholders(self, kind: str | None = None) -> list[str]:
        """Fact ids named in the title and summary; ``kind="period"`` only those named for their period."""
        return [m["id"] for m in PLACEHOLDER.finditer(self.title + " " + self.summary)
                if kind is None or m["kind"] == kind]

    def fact_ids(self) -> list[str]:
        """Every fact the chart shows: those it draws and those its title and summary name."""
        return list(dict.fromkeys([*self.facts, *self.placeholders()]))


PLACEHOLDER = re.compile(r"\{(?:(?P<kind>period):)?(?P<id>[a-z0-9-]+)\}")
CHARTS: dict[str, Chart] = {}


def chart(id: str, title: str, summary: str, facts: tuple[str, ...] = (), uses_events: bool = False):
    """Register the decorated builder as a chart; its facts are checked against data/ at build time."""

    def register(build: Callable[[FactBase], alt.TopLevelMixin]):
        if id in CHARTS:
            raise ValueError(f"chart id {id!r} is declared twice")
        where = (inspect.getsourcefile(build) or "", inspect.getsourcelines(build)[1])
        CHARTS[id] = Chart(id, title, summary, tuple(facts), build, uses_events, where)
        return build

    return register
