"""charts/uk.py: the United Kingdom's quotas for Central Asian workers."""

from __future__ import annotations

import altair as alt

from facts.load import FactBase

from .registry import chart
from .rows import fact_record, tooltip

UK_QUOTAS = (("uk-quota-uz-2024", "Uzbekistan"), ("uk-quota-kg-2024", "Kyrgyzstan"),
             ("uk-quota-tj-2024", "Tajikistan"))
IS_BOUND = alt.datum.precision == "upper bound"


@chart(
    id="uk-quotas",
    title="The UK's quotas for Central Asian workers",
    summary="Places for workers from each country in {period:uk-quota-uz-2024}: {uk-quota-uz-2024} "
            "from Uzbekistan, {uk-quota-kg-2024} from Kyrgyzstan and {uk-quota-tj-2024} from Tajikistan.",
    facts=tuple(f for f, _ in UK_QUOTAS),
)
def uk_quotas(base: FactBase) -> alt.TopLevelMixin:
    rows = [fact_record(base, f, country=country) for f, country in UK_QUOTAS]
    return alt.Chart(alt.Data(values=rows)).mark_bar(strokeWidth=2).encode(
        x=alt.X("value:Q", title="Workers"),
        y=alt.Y("country:N", sort=[c for _, c in UK_QUOTAS], title=None),
        # An upper bound is an outline reaching the bound, never a solid bar.
        fillOpacity=alt.when(IS_BOUND).then(alt.value(0.12)).otherwise(alt.value(0.85)),
        strokeDash=alt.when(IS_BOUND).then(alt.value([5, 3])).otherwise(alt.value([1, 0])),
        tooltip=tooltip(alt.Tooltip("country:N", title="Country")),
    ).properties(width="container", height=alt.Step(40))
