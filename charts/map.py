"""Where the workers come from, and the countries now competing for them."""

from __future__ import annotations

import altair as alt

from facts.format import entity_name, format_fact, format_source
from facts.load import FactBase

from .geo import crop, numeric_code
from .registry import chart

CENTRAL_ASIA = ("UZ", "TJ", "KG", "KZ", "TM")
ROLES = ["Central Asia", "Russia", "New destination"]

# Which facts describe each highlighted country; the tooltip lists them.
COUNTRY_FACTS = {
    "UZ": ("uz-remittances-share-gdp-2024", "uz-workers-from-tj-tm"),
    "TJ": ("tj-kg-remittances-share-gdp",),
    "KG": ("tj-kg-remittances-share-gdp",),
    "KZ": ("kz-labour-arrivals-2025",),
    "TM": ("uz-workers-from-tj-tm",),
    "RU": ("russia-arrivals-central-asia-2024",),
    "GB": ("uk-quota-uz-2024", "uk-quota-kg-2024", "uk-quota-tj-2024"),
    "KR": ("kr-quota-uz-2024",),
    "AE": ("uae-limit-after",),
    "SA": ("sa-jobs-central-asia",),
    "TR": ("tr-central-asian-workers",),
    **{code: ("eu-agreement-flow-per-country",) for code in ("PL", "SI", "DE", "SK", "LV", "BG")},
}


def _role(code: str) -> str:
    return "Central Asia" if code in CENTRAL_ASIA else "Russia" if code == "RU" else "New destination"


@chart(
    id="map",
    title="Central Asia, Russia and the new destinations",
    summary="The Central Asian states, Russia, and the countries that have opened their labor "
            "markets to Central Asian workers.",
    facts=tuple(dict.fromkeys(f for ids in COUNTRY_FACTS.values() for f in ids)),
)
def country_map(base: FactBase) -> alt.TopLevelMixin:
    rows = []
    for code, fact_ids in COUNTRY_FACTS.items():
        facts = [base.fact(f) for f in fact_ids]
        rows.append({
            "fact": "; ".join(fact_ids),
            "country": entity_name(code),
            "code": code,
            "iso_numeric": numeric_code(code),
            "role": _role(code),
            "figures": "; ".join(f"{f.label}: {format_fact(f)} ({f.period})" for f in facts),
            "source": "; ".join(dict.fromkeys(format_source(*base.citations(f)[0]) for f in facts)),
        })
    shapes = alt.Data(values=crop(-12, 20, 150, 75), format=alt.DataFormat(type="topojson", feature="countries"))
    role = alt.Color("role:N", scale=alt.Scale(domain=ROLES), title=None,
                     legend=alt.Legend(orient="top", direction="horizontal", columns=3))
    with_roles = alt.Chart(shapes).transform_lookup(
        lookup="id", from_=alt.LookupData(data=alt.Data(values=rows), key="iso_numeric",
                                         fields=["country", "role", "figures", "source", "code", "fact"]))
    # Each country is drawn once: faint if the story does not name it, coloured if it does.
    background = with_roles.transform_filter("!isValid(datum.role)").mark_geoshape(fillOpacity=0.12)
    highlighted = with_roles.transform_filter("isValid(datum.role)").mark_geoshape().encode(
        color=role,
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("role:N", title="Role"),
                 alt.Tooltip("figures:N", title="Figures"), alt.Tooltip("source:N", title="Source")],
    )
    # No height here: the theme sets the map's height for the phone and the desktop drawing.
    return alt.layer(background, highlighted).project(
        # The scale follows the width, so a phone sees the same region, smaller; shapes are
        # clipped to the frame, so countries beyond it add no path data to the SVG.
        type="equalEarth", center=[68, 42], scale=alt.ExprRef(expr="width / 2.5"),
        clipExtent=alt.ExprRef(expr="[[0, 0], [width, height]]")).properties(
        width="container")
