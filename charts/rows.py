"""Facts as flat records: what a chart plots, its tooltip shows and its CSV holds."""

from __future__ import annotations

import math

import altair as alt

from facts.format import format_fact, format_period, format_source, plain_number, precision_name, unit_name
from facts.lang import DEFAULT, current, t
from facts.load import FactBase

from .registry import CannotDraw


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
        "unit": unit_name(fact.unit),
        "period": format_period(fact),
        "source": format_source(source, locator),
    }


def tooltip(*first: object) -> list:
    """The tooltip every mark carries: what, how much, how precise, when, from where."""
    return [*first,
            alt.Tooltip("label:N", title=t("Figure")),
            alt.Tooltip("shown:N", title=t("Value")),
            alt.Tooltip("precision:N", title=t("Precision")),
            alt.Tooltip("period:N", title=t("Refers to")),
            alt.Tooltip("source:N", title=t("Source"))]


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


# --- Axes drawn from the facts ---------------------------------------------------------------
# A chart's axis is derived from the figures it draws, never typed in: an edit to one value in
# data/ then moves the axis with it, and a figure the scale cannot hold is reported at its line
# (CannotDraw) rather than drawn off the edge.

def drawn_numbers(base: FactBase, fact_ids) -> list[tuple[str, float]]:
    """(fact id, number) for every number a chart places: a value, or both ends of a range."""
    found = []
    for fact_id in fact_ids:
        fact = base.fact(fact_id)
        numbers = (fact.low, fact.high) if fact.is_range else (fact.value,)
        found += [(fact_id, number) for number in numbers]
    return found


def _tidy(number: float) -> float | int:
    """0.30000000000000004 -> 0.3, 400000.0 -> 400000: tick values as a reader writes them."""
    tidy = float(f"{number:.12g}")
    return int(tidy) if tidy.is_integer() and abs(tidy) < 2 ** 53 else tidy


def _nice(number: float, mantissas: tuple[float, ...], up: bool) -> float:
    """The nearest number at or above (``up``) or at or below ``number`` of the form m x 10^k."""
    exponent = math.floor(math.log10(number))
    candidates = [m * 10.0 ** k for k in (exponent - 1, exponent, exponent + 1) for m in mantissas]
    # A relative tolerance, so 0.3 counts as 3 x 10^-1 despite floating point.
    if up:
        return _tidy(min(c for c in candidates if c >= number * (1 - 1e-9)))
    return _tidy(max(c for c in candidates if c <= number * (1 + 1e-9)))


def linear_axis(numbers: list[tuple[str, float]], headroom: float = 1.1, intervals: int = 5,
                most: float | None = None, expected: str = "a figure of zero or more") -> tuple[list, list]:
    """A zero-based axis for bars: ``([0, top], tick values)``.

    The top is the first multiple of a 1-2-2.5-5 step at or above the largest number plus
    ``headroom`` (1.1: a tenth more), with at most ``intervals`` steps, so the longest bar never
    touches the edge and the axis ends on a round tick. ``most`` caps it (100 for a percentage);
    a number below zero or above ``most`` cannot be drawn and is reported at its fact.
    """
    for fact_id, number in numbers:
        if number < 0:
            raise CannotDraw(fact_id, f"it is {number:g}, below zero, and the bars start at zero", expected)
        if most is not None and number > most:
            raise CannotDraw(fact_id, f"it is {number:g}, beyond the axis's end at {most:g}", expected)
    largest = max((number for _, number in numbers), default=0)
    reach = largest * headroom if largest > 0 else 1
    step = _nice(reach / intervals, (1, 2, 2.5, 5, 10), up=True)
    top = _tidy(step * math.ceil(reach / step - 1e-9))
    if most is not None and top > most:
        top = _tidy(most)
    ticks = [_tidy(i * step) for i in range(int(round(top / step)) + 1) if i * step <= top * (1 + 1e-9)]
    if ticks[-1] != top:
        ticks.append(top)
    return [0, top], ticks


def log_axis(numbers: list[tuple[str, float]],
             expected: str = "a figure above zero, as a log scale can place") -> tuple[list, list]:
    """A log axis: ``([low, high], tick values)``, the ticks at each power of ten between them.

    The ends leave room around the smallest and largest numbers (half the smallest, rounded
    down to 1, 2 or 5 x 10^k; one and a half times the largest, rounded up to 1, 2, 3 or 5 x
    10^k), so a mark never sits on the edge of the plot. A log scale has no place for zero or
    less: such a number is reported at its fact.
    """
    for fact_id, number in numbers:
        if number <= 0:
            raise CannotDraw(fact_id, f"it is {number:g}, and a log scale has no place for zero or less", expected)
    if not numbers:
        return [1, 10], [1, 10]
    low = _nice(min(n for _, n in numbers) / 2, (1, 2, 5), up=False)
    high = _nice(max(n for _, n in numbers) * 1.5, (1, 2, 3, 5, 10), up=True)
    powers = range(math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9) + 1)
    ticks = [_tidy(10.0 ** p) for p in powers]
    return [low, high], ticks or [low, high]   # no power of ten between them: the two ends


def js_string(text: str) -> str:
    """Text as a string literal in a Vega expression."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def number_expr(expr: str) -> str:
    """A Vega expression for a number as the edition writes it: English's as JavaScript writes it
    (the specs stay as they were), another edition's through the chart's locale ("2,5")."""
    return expr if current() == DEFAULT else f"format({expr}, ',')"


def money_axis_label(largest: float) -> str:
    """A Vega label expression for a dollar axis, in the unit the largest amount calls for:
    '$5 bn' for billions, '$200 million' for millions, '$5,000' below that."""
    if largest >= 1e9:
        unit = js_string(" " + t("bn"))
        return f"datum.value ? '$' + {number_expr('datum.value / 1e9')} + {unit} : '0'"
    if largest >= 1e6:
        unit = js_string(" " + t("million"))
        return f"datum.value ? '$' + {number_expr('datum.value / 1e6')} + {unit} : '0'"
    return "datum.value ? '$' + format(datum.value, ',') : '0'"
