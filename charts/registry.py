"""Where charts are declared: one id, the facts it draws, and an Altair builder.

``charts`` is a plain library: it knows facts and Altair, never MkDocs, so the
same charts can feed any site generator, a notebook or a test.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt

from facts.format import format_fact
from facts.load import FactBase


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
            return fact.period if kind == "period" else format_fact(fact)

        return PLACEHOLDER.sub(fill, template)

    def placeholders(self) -> list[str]:
        return [m["id"] for m in PLACEHOLDER.finditer(self.title + " " + self.summary)]

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
