"""Remittances: how much of Central Asia's economy is money sent home from abroad."""

from __future__ import annotations

import altair as alt

from facts.format import entity_name, entity_names, format_fact, format_number, plain_number
from facts.lang import N_, t
from facts.load import FactBase

from .registry import CannotDraw, chart, single_value
from .rows import above_bars, drawn_numbers, fact_record, js_string, linear_axis, money_axis_label, tooltip
from .theme import CENTRAL_ASIA, ELSEWHERE, RUSSIA, group_color

# Drawing width (px) below which the origin chart's two labels take a line each.
LABELS_STACK_BELOW = 500

# A bound is drawn as an outline reaching the bound, never as a solid bar:
# "up to 40%" says the share is somewhere below that line, not at it.
# (The rows name their precision in the edition's words: facts.format.precision_name.)
def _is_bound() -> alt.expr.core.Expression:
    return alt.datum.precision == t("upper bound")


# (fact, whose figure it is): the article's two figures, then the World Bank's per-country
# shares, which differ from the article's joint bound and are shown beside it, labelled.
SHARES = (("tj-kg-remittances-share-gdp", N_("the article")), ("tj-remittances-share-gdp-2024-wb", N_("World Bank")),
          ("kg-remittances-share-gdp-2024-wb", N_("World Bank")), ("uz-remittances-share-gdp-2024", N_("the article")))


def countries_of(base: FactBase, fact_id: str) -> str:
    """'Tajikistan and Kyrgyzstan': one bar for a fact about several countries, never one bar each,
    so a bound the source gives for two countries together is not read as each one's figure."""
    return entity_names(base.fact(fact_id).entities)


@chart(
    id="remittances-share-gdp",
    title=N_("Remittances as a share of GDP"),
    summary=N_("Money sent home by migrants, as a share of each economy. The article gives "
               "{tj-kg-remittances-share-gdp} for Tajikistan and Kyrgyzstan together, one upper bound; the World "
               "Bank puts them at {tj-remittances-share-gdp-2024-wb} and {kg-remittances-share-gdp-2024-wb} in "
               "{period:kg-remittances-share-gdp-2024-wb}. Uzbekistan: {uz-remittances-share-gdp-2024}."),
    finding=N_("Money sent home is {share:tj-kg-remittances-share-gdp} of GDP in Tajikistan and Kyrgyzstan, "
               "the article says"),
    facts=tuple(f for f, _ in SHARES),
)
def remittances_share_gdp(base: FactBase) -> alt.TopLevelMixin:
    rows = [fact_record(base, fact_id, country=f"{countries_of(base, fact_id)} ({t(who)})", group=CENTRAL_ASIA)
            for fact_id, who in SHARES]
    countries = [r["country"] for r in rows]
    y = alt.Y("country:N", sort=countries, title=None, axis=None)
    # The axis reaches a round number past the largest figure (a bound's end), never past 100%.
    domain, ticks = linear_axis(drawn_numbers(base, [f for f, _ in SHARES]), most=100,
                                expected="a percentage from 0 to 100")
    bars = alt.Chart().mark_bar(strokeWidth=2, height={"band": 0.4}, yOffset=8).encode(
        x=alt.X("value:Q", title=t("Percent of GDP"), scale=alt.Scale(domain=domain, nice=False),
                axis=alt.Axis(labelExpr="datum.value + '%'", values=ticks)),
        y=y, color=group_color(), stroke=group_color(),
        fillOpacity=alt.when(_is_bound()).then(alt.value(0.12)).otherwise(alt.value(0.85)),
        strokeDash=alt.when(_is_bound()).then(alt.value([5, 3])).otherwise(alt.value([1, 0])),
        tooltip=tooltip(alt.Tooltip("country:N", title=t("Country"))),
    )
    # Each bar's name and figure above it, so long names and labels fit a phone.
    return alt.layer(bars, above_bars("country", countries), data=alt.Data(values=rows)).properties(
        width="container", height=alt.Step(58))


@chart(
    id="uzbekistan-remittances-origin",
    title=N_("Where Uzbekistan's remittances came from, {period:uz-remittances-total-2024}"),
    summary=N_("Of the {uz-remittances-total-2024} sent to Uzbekistan from abroad, {uz-remittances-from-russia-2024} "
               "came from Russia."),
    finding=N_("{share:uz-remittances-from-russia-2024/uz-remittances-total-2024} of Uzbekistan's remittances came "
               "from Russia in {period:uz-remittances-from-russia-2024}"),
    facts=("uz-remittances-total-2024", "uz-remittances-from-russia-2024"),
)
def uzbekistan_remittances_origin(base: FactBase) -> alt.TopLevelMixin:
    total, russia = base.fact("uz-remittances-total-2024"), base.fact("uz-remittances-from-russia-2024")
    from_russia = fact_record(base, russia.id, origin=entity_name("RU"), total=format_fact(total), group=RUSSIA)
    # The rest of the world is not a fact of its own: it is the total minus Russia,
    # and the row says so, so the reader never mistakes it for a reported figure.
    rest_value = single_value(base, total.id) - single_value(base, russia.id)
    if rest_value < 0:
        # Either figure may be the mistaken one: the problem stands at Russia's line and names the total's.
        total_at = ":".join(str(part) for part in base.defined_at.get(total.id, ())[:2])
        raise CannotDraw(russia.id, f"it is more than the total ({format_fact(total)}, fact {total.id}"
                                    + (f" at {total_at})" if total_at else ")"), "at most the total")
    rest = fact_record(base, total.id, origin=t("Rest of the world"), total=format_fact(total), group=ELSEWHERE)
    rest.update(value=plain_number(rest_value), label=t("Remittances to Uzbekistan from outside Russia"),
                shown=f"${format_number(rest_value)}",
                precision=t("derived: total minus Russia"))
    rows = [from_russia, rest]
    stacked = alt.Chart(alt.Data(values=rows)).transform_stack(
        stack="value", as_=["start", "end"], groupby=[], sort=[alt.SortField("value", order="descending")],
    ).transform_calculate(middle="(datum.start + datum.end) / 2")
    # Vega chooses the axis's round end from the total; the tick labels' unit follows its size.
    x_axis = alt.Axis(labelExpr=money_axis_label(single_value(base, total.id)), tickCount=4)
    bars = stacked.mark_bar(size=36, stroke=None).encode(
        x=alt.X("start:Q", title=t("US dollars"), axis=x_axis), x2="end:Q",
        # No legend: each part is named above it, in words.
        color=group_color(),
        tooltip=tooltip(alt.Tooltip("origin:N", title=t("From"))),
    )
    # Each part named above it: the first from the stack's start, the other ending at the stack's end,
    # so neither runs off the chart; in a narrow drawing the two would meet, so the second goes a line up.
    first = alt.datum.start == 0
    name = {"text": alt.Text("text:N"), "tooltip": tooltip(alt.Tooltip("origin:N", title=t("From")))}
    named = stacked.transform_calculate(text="datum.origin + ': ' + datum.shown")
    labels = alt.layer(
        named.transform_filter(first).mark_text(align="left", dy=-30, fontWeight=600).encode(x="start:Q", **name),
        named.transform_filter(~first).mark_text(
            align="right", dy=alt.ExprRef(f"width < {LABELS_STACK_BELOW} ? -48 : -30"), fontWeight=600,
        ).encode(x="end:Q", **name),
    )
    # The total stands under the end of the stack: the last segment's end, whichever origin that is.
    last = (alt.datum.start == alt.datum.last_start) & (alt.datum.end == alt.datum.last_end)
    total_label = stacked.transform_joinaggregate(
        last_start="max(start)", last_end="max(end)").transform_filter(last).mark_text(
        align="right", dy=30, fontWeight=600).encode(
        x="end:Q", text=alt.Text("total_text:N"), tooltip=tooltip(alt.Tooltip("origin:N", title=t("From"))),
    ).transform_calculate(total_text=js_string(t("Total:") + " ") + " + datum.total")
    return alt.layer(bars, labels, total_label).properties(width="container", height=100)
