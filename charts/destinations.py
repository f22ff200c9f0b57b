"""Where Central Asian workers can go instead of Russia, and how big each door is."""

from __future__ import annotations

import altair as alt

from facts.format import entity_name
from facts.lang import N_, t
from facts.load import FactBase

from . import annotations
from .registry import chart
from .rows import above_bars, drawn_numbers, fact_record, js_string, linear_axis, log_axis, number_expr, tooltip
from .theme import CENTRAL_ASIA, group_color, group_of

ALL_REGION = N_("Central Asia (all)")
NOT_STATED = N_("Not stated")   # the article gives the UAE's limit without saying whose workers it covers

# Two charts, so that unlike things are never on one axis: people who actually went or work
# somewhere (counted), and the quotas, limits and job offers that say how many may go.
# (fact, where (its code: the row's group colour), what the figure counts, origin of the workers:
# their countries' codes, or words)
FLOWS = (
    ("kz-labor-arrivals-2025", "KZ", N_("Central Asians arriving to work"), ALL_REGION),
    ("tr-central-asian-workers", "TR", N_("Central Asians working there"), ALL_REGION),
    ("uz-workers-from-tj-tm", "UZ", N_("Tajik and Turkmen workers a year"), ("TJ", "TM")),
    ("eu-agreement-flow-per-country", "EU", N_("Uzbek workers going there"), ("UZ",)),
)
CEILINGS = (
    ("uae-limit-after", "AE", N_("a limit; whose workers not stated"), NOT_STATED),
    ("kr-quota-uz-2024", "KR", N_("quota for Uzbek workers"), ("UZ",)),
    ("sa-jobs-central-asia", "SA", N_("jobs opened to Central Asians"), ALL_REGION),
    ("uk-quota-uz-2024", "GB", N_("quota for Uzbek workers"), ("UZ",)),
    ("uk-quota-kg-2024", "GB", N_("quota for Kyrgyz workers"), ("KG",)),
    ("uk-quota-tj-2024", "GB", N_("quota for Tajik workers"), ("TJ",)),
)
RUSSIA = "russia-arrivals-central-asia-2024"
# The menu lists single countries first, then the region as a whole.
ORIGINS = [("UZ",), ("TJ", "TM"), ALL_REGION]
# Each precision's shape; the rows name their precision in the edition's words (precision_name).
SHAPES = {"exact": "circle", "approximate": "circle", "upper bound": "triangle-left", "range": "stroke"}
# A place named otherwise than its country: the EU's partners, each taken alone.
PLACE_NAMES = {"EU": N_("Each EU partner")}


def _place(code: str) -> str:
    return t(PLACE_NAMES[code]) if code in PLACE_NAMES else entity_name(code)


def _origin(origin: tuple[str, ...] | str) -> str:
    """The workers' origin in words: 'Tajikistan, Turkmenistan', or 'Central Asia (all)'."""
    return ", ".join(entity_name(code) for code in origin) if isinstance(origin, tuple) else t(origin)


def _rows(base: FactBase, declared) -> list[dict]:
    """One row per figure; ``row`` names its line (the UK's three quotas get one line each)."""
    rows = []
    for fact_id, code, counts, origin in declared:
        fact = base.fact(fact_id)
        place, counts = _place(code), t(counts)
        when = f" ({fact.period})" if fact.period else ""
        rows.append(fact_record(base, fact_id, destination=place, counts=f"{counts}{when}", origin=_origin(origin),
                                group=group_of(code)))
        rows[-1]["row"] = f"{place}, {counts}{when}"
        # The figure comes right after the place, so a phone's narrower line cuts what it counts, never it.
        # (Russian joins what it counts with a dash: its words stay in the nominative after any number.)
        rows[-1]["text"] = t("{place}: {figure}, {counts}").format(place=place, figure=rows[-1]["shown"],
                                                                    counts=f"{counts}{when}")
    return rows


def _dot_plot(base: FactBase, chart_id: str, rows: list[dict], title: str, params=()) -> alt.TopLevelMixin:
    """Each figure as a mark on a log axis of workers, its place, what it counts and its value written
    above it (no legend: the words say what the colour and shape do), and the annotations declared
    for the chart. A range is a bar from low to high; a bound a triangle; an approximate figure a ring."""
    order = [r["row"] for r in rows]
    is_range, approximate = t("range"), t("approximate")
    domain, ticks = log_axis(drawn_numbers(base, [r["fact"] for r in rows]) + annotations.numbers(base, chart_id),
                             expected="a number of workers above zero, as the chart's log scale can place")
    log_scale = alt.Scale(type="log", domain=domain, nice=False)
    billion, million = js_string(" " + t("billion")), js_string(" " + t("million"))
    x = alt.X("value:Q", scale=log_scale, title=title,
              axis=alt.Axis(values=ticks, format="~s",
                            labelExpr=f"datum.value >= 1e9 ? format(datum.value / 1e9, ',') + {billion} "
                                      f": datum.value >= 1e6 ? {number_expr('datum.value / 1e6')} + {million} "
                                      ": format(datum.value, ',')"))
    y = alt.Y("row:N", sort=order, title=None, axis=None)
    color = group_color()
    origin = params[0] if params else None
    fade = (alt.when((origin == "all") | (alt.datum.origin == origin)).then(alt.value(1)).otherwise(alt.value(0.15))
            if origin is not None else alt.value(1))
    marks = alt.Chart()
    ranges = marks.transform_filter(alt.datum.precision == is_range).mark_rule(
        strokeWidth=4, strokeCap="round", yOffset=9).encode(
        x=alt.X("low:Q", scale=log_scale), x2="high:Q", y=y, color=color, opacity=fade,
        tooltip=tooltip(alt.Tooltip("origin:N", title=t("Workers from"))))
    points = marks.transform_filter(alt.datum.precision != is_range).mark_point(
        size=120, filled=True, strokeWidth=2, yOffset=9).encode(
        x=x, y=y, color=color, opacity=fade,
        shape=alt.Shape("precision:N", scale=alt.Scale(domain=[t(p) for p in SHAPES], range=list(SHAPES.values())),
                        legend=None),
        fillOpacity=alt.when(alt.datum.precision == approximate).then(alt.value(0)).otherwise(alt.value(1)),
        stroke=color,
        tooltip=tooltip(alt.Tooltip("origin:N", title=t("Workers from"))))
    labels = alt.Chart().mark_text(align="left", baseline="top", dy=2, fontSize=12,
                                   limit=alt.ExprRef(expr="width")).encode(
        x=alt.value(0), y=alt.Y("row:N", sort=order, axis=None, bandPosition=0),
        text=alt.Text("text:N"), opacity=fade, tooltip=tooltip())
    # Only the kinds of mark the figures need: an empty layer would still be an unnamed graphic
    # in the live chart, which screen readers (and axe) find without a name.
    kinds = {r["precision"] == is_range for r in rows}
    layers = [*annotations.reference_lines(base, chart_id, log_scale, color),
              *([ranges] if True in kinds else []), *([points] if False in kinds else []), labels]
    chart = alt.layer(*layers, data=alt.Data(values=rows))
    if params:
        chart = chart.add_params(*params)
    return chart.properties(width="container", height=alt.Step(46))


@chart(
    id="destinations",
    title=N_("Central Asian workers counted outside Russia"),
    summary=N_("People who went to work, or work, in each destination, on a log scale, against the Central "
               "Asian workers who arrived in Russia in {period:russia-arrivals-central-asia-2024} "
               "({russia-arrivals-central-asia-2024}). Quotas and limits have a chart of their own."),
    finding=N_("The largest flow elsewhere, to Kazakhstan in {period:kz-labor-arrivals-2025}, was "
               "{share:kz-labor-arrivals-2025/russia-arrivals-central-asia-2024} of Russia's in "
               "{period:russia-arrivals-central-asia-2024}"),
    facts=tuple(f for f, *_ in FLOWS),
    annotates=(("reference_line", "fact"),),
)
def destinations(base: FactBase) -> alt.TopLevelMixin:
    # A menu (keyboard-reachable, unlike a legend click) highlights one origin's figures.
    origins = [_origin(o) for o in ORIGINS]
    origin = alt.param(name="origin", value="all",
                       bind=alt.binding_select(options=["all", *origins], labels=[t("All origins"), *origins],
                                               name=t("Highlight workers from") + " "))
    return _dot_plot(base, "destinations", _rows(base, FLOWS), t("Workers (log scale)"), params=(origin,))


@chart(
    id="destination-quotas",
    title=N_("Quotas, limits and jobs offered to Central Asian workers"),
    summary=N_("How many workers each destination says it will take, on a log scale: ceilings and offers, "
               "not people who went."),
    finding=N_("On paper, the widest door is the UAE's: its limit rose from {uae-limit-before} to {uae-limit-after}"),
    facts=tuple(f for f, *_ in CEILINGS),
    annotates=(("reference_line", "fact"),),
)
def destination_quotas(base: FactBase) -> alt.TopLevelMixin:
    return _dot_plot(base, "destination-quotas", _rows(base, CEILINGS), t("Workers or jobs (log scale)"))


KAZAKHSTAN = (("kz-labor-arrivals-before", N_("Each year before Russia's crackdown")),
              ("kz-labor-arrivals-2025", None))  # None: the fact's own period names the bar


@chart(
    id="kazakhstan-before-after",
    title=N_("Kazakhstan draws more Central Asian workers"),
    summary=N_("Central Asians going to Kazakhstan to work: {kz-labor-arrivals-before} a year before Russia's "
               "crackdown, {kz-labor-arrivals-2025} in {period:kz-labor-arrivals-2025}."),
    finding=N_("{kz-labor-arrivals-2025} Central Asians went to Kazakhstan to work in {period:kz-labor-arrivals-2025}, "
               "up from {kz-labor-arrivals-before} {when:kz-labor-arrivals-before}"),
    facts=tuple(f for f, _ in KAZAKHSTAN),
)
def kazakhstan_before_after(base: FactBase) -> alt.TopLevelMixin:
    rows = [fact_record(base, f, when=t(when) if when else base.fact(f).period, group=CENTRAL_ASIA)
            for f, when in KAZAKHSTAN]
    y = alt.Y("when:N", sort=[r["when"] for r in rows], title=None, axis=None)
    bound = alt.datum.precision == t("upper bound")
    # From zero to a round number a tenth past the longest bar (a bound reaches its bound).
    domain, ticks = linear_axis(drawn_numbers(base, [f for f, _ in KAZAKHSTAN]),
                                expected="a number of people, zero or more")
    bars = alt.Chart().mark_bar(height={"band": 0.4}, yOffset=8, strokeWidth=2).encode(
        x=alt.X("value:Q", title=t("People"), scale=alt.Scale(domain=domain, nice=False),
                axis=alt.Axis(labelExpr="format(datum.value, ',')", values=ticks)),
        y=y, color=group_color(), stroke=group_color(),
        fillOpacity=alt.when(bound).then(alt.value(0.12)).otherwise(alt.value(0.85)),
        strokeDash=alt.when(bound).then(alt.value([5, 3])).otherwise(alt.value([1, 0])),
        tooltip=tooltip())
    return alt.layer(bars, above_bars("when", [r["when"] for r in rows]), data=alt.Data(values=rows)).properties(
        width="container", height=alt.Step(58))
