"""The reach of a change: which charts and pages show a fact, event, source, annotation or scrolled sequence.

``build.py diff`` lists it beside each change, so a reviewer knows what to look at.
"""

from __future__ import annotations

from collections.abc import Mapping

import charts
from charts.registry import PLACEHOLDER
from facts.load import FactBase
from pages.references import KINDS, find_references


def _named(text: str) -> set[str]:
    """The facts a text with references names ('{fact}', '{share:part/whole}'; not '{date:event}')."""
    return {i for m in PLACEHOLDER.finditer(text) if m["kind"] != "date" for i in (m["id"], m["other"]) if i}


def reach(kind: str, item_id: str, base: FactBase, pages: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The ids of the charts and the paths of the pages (under docs/) that show the item.

    ``kind`` is "fact", "event", "source", "annotation" or "scrolly"; ``base`` is the fact base the
    item is judged by (for a removed item, the one it was removed from); ``pages`` is each page's Markdown.
    """
    facts = {item_id} if kind == "fact" else set()
    if kind == "source":
        facts = {f.id for f in base.facts.values() if any(c.source == item_id for c in f.sources)}
    # Annotations drawn on a chart, and scrolled sequences, that show the item: their words name it,
    # they mark it, or they are it.
    notes = {n.id: n for n in base.annotations.values()
             if (kind == "annotation" and n.id == item_id) or n.fact in facts or _named(n.text) & facts
             or (kind == "event" and n.event == item_id)}
    scrollies = {s.id for s in base.scrollies.values()
                 if (kind == "scrolly" and s.id == item_id)
                 or any(_named(step.text) & facts or set(step.annotations) & set(notes) for step in s.steps)}
    chart_ids = sorted(cid for cid, chart in charts.CHARTS.items()
                       if facts & set(chart.fact_ids()) or (kind == "event" and chart.uses_events)
                       or any(n.chart == cid for n in notes.values()))
    # Which references on a page show this item: those naming it, and the generated lists of its
    # kind (the registry of reference kinds says which are which).
    shows = {k.name for k in KINDS.values() if k.shows(kind)}
    listed = {k.name for k in KINDS.values() if kind in k.lists}
    shown_on = []
    for src, text in pages.items():
        for ref in find_references(text):
            if ((ref.kind in shows and ref.id == item_id) or ref.kind in listed
                    or (ref.kind == "chart" and ref.id in chart_ids)
                    or (ref.kind == "scrolly" and ref.id in scrollies)
                    or (kind == "source" and ref.kind in ("fact", "card") and ref.id in facts)):
                shown_on.append(src)
                break
    return chart_ids, shown_on
