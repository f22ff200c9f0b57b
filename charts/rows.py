"""Facts as flat records: what a chart plots, its tooltip shows and its CSV holds."""

from __future__ import annotations

import altair as alt

from facts.format import UNIT_NAMES, format_fact, format_period, format_source, plain_number, precision_name
from facts.load import FactBase


def fact_record(base: FactBase, fact_id: str, **extra: object) -> dict:
    """One row per fact; ``extra`` adds chart-specific columns such as a country name."""
    fact = base.fact(fact_id)
    source, locator = base.citations(fact)[0]
    return {
        "fact": fact.id,
        "label": fact.label,
        **extra,
        "value": plain_number(fact.central),
        "low": plain_number(fact.low),
        "high": plain_number(fact.high),
        "precision": precision_name(fact),
        "shown": format_fact(fact),
        "unit": UNIT_NAMES[fact.unit],
        "period": format_period(fact),
        "source": format_source(source, locator),
    }


def tooltip(*first: object) -> list:
    """The tooltip every mark carries: what, how much, how precise, when, from where."""
    return [*first,
            alt.Tooltip("label:N", title="Figure"),
            alt.Tooltip("shown:N", title="Value"),
            alt.Tooltip("precision:N", title="Precision"),
            alt.Tooltip("period:N", title="Refers to"),
            alt.Tooltip("source:N", title="Source")]


def above_bars(name: str, order: list[str]) -> alt.Chart:
    """Each bar's name and value written above it, from the left edge.

    Long names then never compete with the bars for width, so the same chart
    reads on a phone: the layout Datawrapper and the FT use for labelled bars.
    """
    return alt.Chart().mark_text(align="left", baseline="top", dy=2, fontSize=12,
                                 limit=alt.ExprRef(expr="width")).encode(
        x=alt.value(0), y=alt.Y(f"{name}:N", sort=order, axis=None, bandPosition=0),
        text=alt.Text("text:N"), tooltip=tooltip(),
    ).transform_calculate(text=f"datum.{name} + ':  ' + datum.shown")
