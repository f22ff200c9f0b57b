"""The crackdown at home: what the crime figures say, and the scale of the labor gap."""

from __future__ import annotations

import altair as alt

from facts.load import FactBase

from .registry import chart
from .rows import above_bars, fact_record, tooltip


@chart(
    id="crime-share",
    title="How many migrants commit crimes",
    summary="The statistics the article cites put the share of migrants who commit crimes in a narrow "
            "band near the bottom of the scale.",
    facts=("migrant-crime-share",),
)
def crime_share(base: FactBase) -> alt.TopLevelMixin:
    rows = [fact_record(base, "migrant-crime-share", group="Migrants in Russia")]
    x = alt.X("low:Q", scale=alt.Scale(domain=[0, 100]), title="Percent of migrants",
              axis=alt.Axis(labelExpr="datum.value + '%'", values=[0, 25, 50, 75, 100]))
    y = alt.Y("group:N", title=None, axis=None)
    whole = alt.Chart().mark_bar(fillOpacity=0.12, strokeWidth=1, height={"band": 0.7}).encode(
        x=alt.X("zero:Q", scale=alt.Scale(domain=[0, 100])), x2="hundred:Q", y=y,
    ).transform_calculate(zero="0", hundred="100")
    band = alt.Chart().mark_bar(height={"band": 0.7}).encode(x=x, x2="high:Q", y=y, tooltip=tooltip())
    label = alt.Chart().mark_text(align="left", dx=8, fontWeight=600).encode(
        x="high:Q", y=y, text=alt.Text("text:N"), tooltip=tooltip(),
    ).transform_calculate(text="datum.shown + ' commit crimes (range)'")
    return alt.layer(whole, band, label, data=alt.Data(values=rows)).properties(width="container", height=70)


SCALE_FACTS = ("russia-labour-shortage", "russia-arrivals-central-asia-2024", "new-citizens-sent-to-front")


@chart(
    id="scale-contrast",
    title="A labor gap measured in millions",
    summary="On one scale: the workers Russia is estimated to lack ({russia-labour-shortage}), the Central "
            "Asian workers who arrived in {period:russia-arrivals-central-asia-2024} "
            "({russia-arrivals-central-asia-2024}), and the new citizens sent to the front "
            "({new-citizens-sent-to-front}).",
    facts=SCALE_FACTS,
)
def scale_contrast(base: FactBase) -> alt.TopLevelMixin:
    names = {
        "russia-labour-shortage": "Workers Russia needs (estimates)",
        "russia-arrivals-central-asia-2024": "Central Asian workers who arrived",
        "new-citizens-sent-to-front": "New citizens sent to the front",
    }
    rows = [fact_record(base, f, item=names[f]) for f in SCALE_FACTS]
    order = [names[f] for f in SCALE_FACTS]
    y = alt.Y("item:N", sort=order, title=None, axis=None)
    x_scale = alt.Scale(domain=[0, 6_000_000])
    x_axis = alt.Axis(labelExpr="datum.value ? datum.value / 1e6 + ' million' : '0'", values=[0, 2e6, 4e6, 6e6])
    is_range = alt.datum.precision == "range"
    single = alt.Chart().transform_filter(~is_range).mark_bar(height={"band": 0.4}, yOffset=8).encode(
        x=alt.X("value:Q", scale=x_scale, axis=x_axis, title="People"), y=y, tooltip=tooltip())
    # A range is drawn from its low to its high end, so no single number is implied.
    span = alt.Chart().transform_filter(is_range).mark_bar(
        height={"band": 0.4}, yOffset=8, fillOpacity=0.35, strokeDash=[4, 3], strokeWidth=1.5).encode(
        x=alt.X("low:Q", scale=x_scale), x2="high:Q", y=y, tooltip=tooltip())
    label = above_bars("item", order)
    return alt.layer(single, span, label, data=alt.Data(values=rows)).properties(
        width="container", height=alt.Step(58))
