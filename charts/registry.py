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

from facts.format import (
    CannotWord,
    format_date_in_prose,
    format_fact,
    format_period,
    format_share,
    format_times,
    stop_after_abbreviation,
    upper_first,
)
from facts.lang import t
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
    title: str            # what the chart shows: the figure's subtitle, and part of its description
    summary: str          # one sentence on what the chart shows, for the caption
    facts: tuple[str, ...]
    build: Callable[[FactBase], alt.TopLevelMixin]
    uses_events: bool = False
    defined_at: tuple[str, int] = field(default=("", 0), compare=False)
    finding: str = ""     # what the chart tells, in words from the facts: the figure's heading
    # The annotations (charts/annotations.py) it can draw: (kind, "fact" or "event") pairs.
    annotates: tuple[tuple[str, str], ...] = ()
    # A drawing of the chart in one state (a scrolled step, charts/scrolly.py): what it highlights
    # and which annotations it shows; part of the cache key, as the builder reads it.
    state: tuple = ()

    def text(self, base: FactBase, template: str) -> str:
        """The template with its references to facts filled in (see ``fill_text``)."""
        return fill_text(base, t(template))

    def finding_text(self, base: FactBase) -> str:
        """The finding as a heading (capitalised), or the descriptive title if it has none."""
        text = self.text(base, self.finding or self.title)
        return upper_first(text)

    def spec(self, base: FactBase) -> dict:
        """The chart's Vega-Lite spec, or ProblemsFound saying which fact it cannot draw and why."""
        try:
            spec = self.build(base).to_dict()
            self.finding_text(base)   # a finding the facts cannot word is found with the drawing
            return spec
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
        """Fact ids named in the title, summary and finding; ``kind="period"`` only those named for
        their period. Events named by '{date:event-id}' are not facts, and are left out."""
        found = []
        for m in PLACEHOLDER.finditer(" ".join((self.title, self.summary, self.finding))):
            if m["kind"] == "date" or (kind is not None and m["kind"] != kind):
                continue
            found += [m["id"]] + ([m["other"]] if m["other"] else [])
        return found

    def fact_ids(self) -> list[str]:
        """Every fact the chart shows: those it draws and those its title and summary name."""
        return list(dict.fromkeys([*self.facts, *self.placeholders()]))


def fill_text(base: FactBase, template: str) -> str:
    """Fill a template's references to facts (PLACEHOLDER): '{fact-id}' the formatted fact,
    '{period:fact-id}' its year (only for a dated fact), '{when:fact-id}' its period in any form,
    '{share:fact-id}' a percentage as a fraction in words, '{share:part/whole}' and
    '{times:larger/smaller}' the ratio of two facts in words, '{date:event-id}' an event's date.

    Titles, summaries and findings hold no hand-typed figures: they name facts, so an
    edit in data/ reaches the caption too. A ratio words cannot state honestly (a range, or
    bounds that bound nothing) is CannotDraw, reported at the fact.
    """
    def fill(match: re.Match) -> str:
        kind, fact_id, other = match["kind"], match["id"], match["other"]
        if kind == "date":
            return format_date_in_prose(base.events[fact_id].date)
        fact = base.fact(fact_id)
        if kind in ("period", "when"):
            return format_period(fact)
        if kind in ("share", "times"):
            try:
                if kind == "share":
                    return format_share(fact, base.fact(other) if other else None)
                return format_times(fact, base.fact(other))
            except CannotWord as err:
                raise CannotDraw(fact_id, f"{{{match[0][1:-1]}}} cannot be put in words: {err}",
                                 "figures the chart's finding can state in words, or a finding "
                                 "reworded for them") from err
        return format_fact(fact, prose=True)

    return stop_after_abbreviation(PLACEHOLDER.sub(fill, template))


PLACEHOLDER = re.compile(r"\{(?:(?P<kind>period|when|share|times|date):)?(?P<id>[a-z0-9-]+)"
                         r"(?:/(?P<other>[a-z0-9-]+))?\}")
CHARTS: dict[str, Chart] = {}


def every_chart() -> list[Chart]:
    """Every registered chart, by id: the order the build draws them in (a scrolled sequence's
    steps are charts/scrolly.py's ``every_step``)."""
    return [chart for _, chart in sorted(CHARTS.items())]


def chart(id: str, title: str, summary: str, facts: tuple[str, ...] = (), uses_events: bool = False,
          finding: str = "", annotates: tuple[tuple[str, str], ...] = ()):
    """Register the decorated builder as a chart; its facts are checked against data/ at build time.
    ``finding`` is what the chart tells, worded from its facts (see Chart.text)."""

    def register(build: Callable[[FactBase], alt.TopLevelMixin]):
        if id in CHARTS:
            raise ValueError(f"chart id {id!r} is declared twice")
        where = (inspect.getsourcefile(build) or "", inspect.getsourcelines(build)[1])
        CHARTS[id] = Chart(id, title, summary, tuple(facts), build, uses_events, where, finding,
                          tuple(annotates))
        return build

    return register
