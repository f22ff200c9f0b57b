"""Where Central Asian workers can go instead of Russia, and how big each door is."""

from __future__ import annotations

import altair as alt

from facts.load import FactBase

from .registry import chart
from .rows import above_bars, drawn_numbers, fact_record, linear_axis, log_axis, tooltip

ALL_REGION = "Central Asia (all)"
NOT_STATED = "Not stated"   # the article gives the UAE's limit without saying whose workers it covers

# (fact, destination as read on the chart, origin of the workers)
DESTINATIONS = (
    ("uae-limit-after", "United Arab Emirates", NOT_STATED),
    ("tr-central-asian-workers", "Turkey", ALL_REGION),
    ("kz-labor-arrivals-2025", "Kazakhstan", ALL_REGION),
    ("kr-quota-uz-2024", "South Korea", "Uzbekistan"),
    ("sa-jobs-central-asia", "Saudi Arabia", ALL_REGION),
    ("uk-quota-uz-2024", "United Kingdom", "Uzbekistan"),
    ("uk-quota-kg-2024", "United Kingdom", "Kyrgyzstan"),
    ("uk-quota-tj-2024", "United Kingdom", "Tajikistan"),
    ("eu-agreement-flow-per-country", "Each EU partner country", "Uzbekistan"),
    ("uz-workers-from-tj-tm", "Uzbekistan", "Tajikistan, Turkmenistan"),
)
RUSSIA = "russia-arrivals-central-asia-2024"
ORIGINS = [ALL_REGION, "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Tajikistan, Turkmenistan", NOT_STATED]
SHAPES = alt.Scale(domain=["exact", "approximate", "upper bound", "range"],
                   range=["circle", "circle", "triangle-left", "stroke"])


@chart(
    id="destinations",
    title="The other doors open to Central Asian workers",
    summary="Quotas, limits and flows for Central Asian workers outside Russia, on a log scale, "
            "against the Central Asian workers who arrived in Russia in {period:russia-arrivals-central-asia-2024} "
            "({russia-arrivals-central-asia-2024}).",
    facts=tuple(f for f, _, _ in DESTINATIONS) + (RUSSIA,),
)
def destinations(base: FactBase) -> alt.TopLevelMixin:
    rows = [fact_record(base, f, destination=d, origin=o, role="destination") for f, d, o in DESTINATIONS]
    rows.append(fact_record(base, RUSSIA, destination="Russia", origin=ALL_REGION, role="reference"))
    # One row per place-and-origin so the UK's three quotas sit on one line.
    order = list(dict.fromkeys(d for _, d, _ in DESTINATIONS))
    # A menu (keyboard-reachable, unlike a legend click) highlights one origin's figures.
    origin = alt.param(name="origin", value="all",
                       bind=alt.binding_select(options=["all", *ORIGINS], labels=["All origins", *ORIGINS],
                                               name="Highlight workers from "))
    # The scale reaches past the smallest and largest figures (a range's ends included), with a
    # tick at each power of ten between; a figure of zero or less is reported, not left off.
    domain, ticks = log_axis(drawn_numbers(base, [f for f, _, _ in DESTINATIONS] + [RUSSIA]),
                             expected="a number of workers above zero, as the chart's log scale can place")
    log_scale = alt.Scale(type="log", domain=domain, nice=False)
    x = alt.X("value:Q", scale=log_scale, title="Workers (log scale)",
              axis=alt.Axis(values=ticks, format="~s",
                            labelExpr="datum.value >= 1e9 ? format(datum.value / 1e9, ',') + ' billion' "
                                      ": datum.value >= 1e6 ? datum.value / 1e6 + ' million' "
                                      ": format(datum.value, ',')"))
    y = alt.Y("destination:N", sort=order, title=None)
    color = alt.Color("origin:N", scale=alt.Scale(domain=ORIGINS), title="Workers from")
    fade = alt.when((origin == "all") | (alt.datum.origin == origin)).then(
        alt.value(1)).otherwise(alt.value(0.15))
    chart_base = alt.Chart(alt.Data(values=rows))
    destinations_only = alt.datum.role == "destination"
    reference = chart_base.transform_filter(alt.datum.role == "reference")
    ranges = chart_base.transform_filter(destinations_only & (alt.datum.precision == "range")).mark_rule(
        strokeWidth=4, strokeCap="round").encode(
        x=alt.X("low:Q", scale=log_scale), x2="high:Q", y=y, color=color, opacity=fade,
        tooltip=tooltip(alt.Tooltip("origin:N", title="Workers from")))
    points = chart_base.transform_filter(destinations_only & (alt.datum.precision != "range")).mark_point(
        size=120, filled=True, strokeWidth=2).encode(
        x=x, y=y, color=color, opacity=fade,
        shape=alt.Shape("precision:N", scale=SHAPES, title="Precision"),
        fillOpacity=alt.when(alt.datum.precision == "approximate").then(alt.value(0)).otherwise(alt.value(1)),
        stroke=color,
        tooltip=tooltip(alt.Tooltip("origin:N", title="Workers from")))
    russia_rule = reference.mark_rule(strokeDash=[4, 4], strokeWidth=1.5).encode(
        x=alt.X("value:Q", scale=log_scale), tooltip=tooltip())
    russia_label = reference.mark_text(align="right", baseline="bottom", dx=-4, dy=0, fontWeight=600).encode(
        x=alt.X("value:Q", scale=log_scale), y=alt.value(0),
        text=alt.Text("note:N")).transform_calculate(note="'Russia, ' + datum.period + ': ' + datum.shown")
    return alt.layer(russia_rule, russia_label, ranges, points).add_params(origin).properties(
        width="container", height=alt.Step(34))


KAZAKHSTAN = (("kz-labor-arrivals-before", "Each year before Russia's crackdown"),
              ("kz-labor-arrivals-2025", None))  # None: the fact's own period names the bar


@chart(
    id="kazakhstan-before-after",
    title="Kazakhstan draws more Central Asian workers",
    summary="Central Asians going to Kazakhstan to work: {kz-labor-arrivals-before} a year before Russia's "
            "crackdown, {kz-labor-arrivals-2025} in {period:kz-labor-arrivals-2025}.",
    facts=tuple(f for f, _ in KAZAKHSTAN),
)
def kazakhstan_before_after(base: FactBase) -> alt.TopLevelMixin:
    rows = [fact_record(base, f, when=when or base.fact(f).period) for f, when in KAZAKHSTAN]
    y = alt.Y("when:N", sort=[r["when"] for r in rows], title=None, axis=None)
    bound = alt.datum.precision == "upper bound"
    # From zero to a round number a tenth past the longest bar (a bound reaches its bound).
    domain, ticks = linear_axis(drawn_numbers(base, [f for f, _ in KAZAKHSTAN]),
                                expected="a number of people, zero or more")
    bars = alt.Chart().mark_bar(height={"band": 0.4}, yOffset=8, strokeWidth=2).encode(
        x=alt.X("value:Q", title="People", scale=alt.Scale(domain=domain, nice=False),
                axis=alt.Axis(labelExpr="format(datum.value, ',')", values=ticks)),
        y=y,
        fillOpacity=alt.when(bound).then(alt.value(0.12)).otherwise(alt.value(0.85)),
        strokeDash=alt.when(bound).then(alt.value([5, 3])).otherwise(alt.value([1, 0])),
        tooltip=tooltip())
    return alt.layer(bars, above_bars("when", [r["when"] for r in rows]), data=alt.Data(values=rows)).properties(
        width="container", height=alt.Step(58))
