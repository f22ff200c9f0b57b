"""Where the workers come from, and the countries now competing for them, with the article's figures.

Each country the story names is coloured by its role; each destination carries a short label with
its figure, placed by hand for the desktop and the phone drawing (the same spec switches on the
drawing's width), and every shape and label has a tooltip with the full figures, when they apply
and their source. Figures are never added together: the UK's three quotas stay three.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

import altair as alt

from facts.format import (
    entity_name,
    format_count,
    format_fact,
    format_figure,
    format_period,
    format_source,
    upper_first,
)
from facts.lang import N_, current, t
from facts.load import FactBase

from . import annotations
from .geo import OBJECT, crop, numeric_code
from .registry import CannotDraw, chart
from .rows import js_string
from .theme import ELSEWHERE, GROUPS, group_color, group_of

CENTRAL_ASIA = ("UZ", "TJ", "KG", "KZ", "TM")
EU_PARTNERS = ("PL", "SI", "DE", "SK", "LV", "BG")
# The article names China as a destination where a shrinking workforce raises demand for
# migrants, but gives no figure: the map names it and shows none (it has no facts).
NAMED_WITHOUT_FIGURE = {"CN": ("carnegie-politika-2025-10", 18)}   # the source, and the article's paragraph

ROLES = [N_("Central Asia"), N_("Russia"), N_("New destination"), N_("Destination, no figure"),
         N_("Central Asian destination")]
CENTRAL_ASIA_ROLE, RUSSIA_ROLE, DESTINATION_ROLE, UNQUANTIFIED_ROLE, BOTH_ROLE = ROLES
# The colour is the country's group, as on every chart (charts/theme.py): Kazakhstan is Central
# Asia; a destination without a figure is drawn fainter than one with.
ELSEWHERE_LABEL = N_("Other destinations")

# Which facts describe each highlighted country; the tooltip lists them.
COUNTRY_FACTS = {
    "UZ": ("uz-remittances-share-gdp-2024", "uz-workers-from-tj-tm"),
    "TJ": ("tj-kg-remittances-share-gdp", "uz-workers-from-tj-tm"),
    "KG": ("tj-kg-remittances-share-gdp",),
    "KZ": ("kz-labor-arrivals-2025",),
    "TM": ("uz-workers-from-tj-tm",),
    "RU": ("russia-arrivals-central-asia-2024",),
    "GB": ("uk-quota-uz-2024", "uk-quota-kg-2024", "uk-quota-tj-2024"),
    "KR": ("kr-quota-uz-2024",),
    "AE": ("uae-limit-after",),
    "SA": ("sa-jobs-central-asia",),
    "TR": ("tr-central-asian-workers",),
    **{code: ("eu-agreement-flow-per-country",) for code in EU_PARTNERS},
}
# Central Asian countries that the article also names as a destination with a figure.
CENTRAL_ASIAN_DESTINATIONS = ("KZ",)

# What a figure's own label does not say, and a reader of the map must not assume.
NOTES = {
    "tj-kg-remittances-share-gdp": N_("one figure for Tajikistan and Kyrgyzstan together, not for each"),
    "uz-workers-from-tj-tm": N_("workers from both countries together"),
    "eu-agreement-flow-per-country": N_("for each of these countries, not their total"),
    "uae-limit-after": N_("a limit, not a count; whose workers not stated"),
    "sa-jobs-central-asia": N_("jobs opened, not jobs filled"),
}

# Characters a callout's line holds, written in place of a country's label (desktop, phone).
CALLOUT_WIDTH = {"wide": 30, "narrow": 22}
# Characters a line of a phone drawing's label holds, by edition; a longer one is wrapped. The places
# were set for English, whose longest line (24) stays whole; Russian names the noun with the figure
# («квота: 100 000 работников»), so its lines wrap shorter to stay within the frame.
LABEL_WIDTH_NARROW = {"en": 24, "ru": 18}
# The longitude/latitude box whose countries the map draws (charts/geo.py crops to it).
REGION = (-12, 20, 150, 75)
# Below this width the phone drawing's labels and places are used.
NARROW_BELOW = 500
DESKTOP = 680   # the desktop drawing's width (charts/layout.py WIDTHS), which the places were set for
CREDIT = N_("Map: Natural Earth; borders as internationally recognized")


# The name the map's spec gives its shapes, among its datasets.
SHAPES = "country-shapes"


def shapes() -> dict:
    """The country shapes the map embeds (tests/test_map.py checks its borders)."""
    return crop(*REGION)


def _role(code: str) -> str:
    """The country's role, in words (the rows, the tooltip and the data table show it)."""
    if code in NAMED_WITHOUT_FIGURE:
        return t(UNQUANTIFIED_ROLE)
    if code in CENTRAL_ASIAN_DESTINATIONS:
        return t(BOTH_ROLE)
    role = CENTRAL_ASIA_ROLE if code in CENTRAL_ASIA else RUSSIA_ROLE if code == "RU" else DESTINATION_ROLE
    return t(role)


@dataclass(frozen=True)
class Place:
    """Where a label stands: a longitude/latitude, and which side of its text that point is."""
    lon: float
    lat: float
    align: str = "center"      # left: the text starts at the point; right: it ends there
    baseline: str = "middle"   # top: the text hangs below the point; bottom: it stands above


@dataclass(frozen=True)
class Label:
    key: str                              # the country (or the first of a group) whose row it repeats
    wide: Place
    narrow: Place
    leader: tuple[float, float] | None = None   # a line from this point on the country to the label


# Placed by hand against the drawings at 680 and 340 pixels, so no two labels overlap and each
# sits beside what it names: over the sea or faint land where a country is too small to hold it.
LABELS = (
    Label("RU", Place(111, 62.6), Place(110.9, 65.6)),
    Label("KZ", Place(67.8, 48.6), Place(66.2, 48.6)),
    Label("CN", Place(99.4, 33.7), Place(101.8, 32.9)),
    Label("GB", Place(-24.6, 59, "left", "bottom"), Place(-15.9, 67.8, "left", "bottom"), leader=(-1.5, 53)),
    Label("PL", Place(6.4, 37.8), Place(6.2, 33.6)),
    Label("TR", Place(38.4, 34.7, "left", "top"), Place(31.1, 27.8, "right", "top"), leader=(34, 38.5)),
    Label("SA", Place(34.8, 19.3, "right", "top"), Place(44.3, 15.1, "center", "top"), leader=(43, 23)),
    Label("AE", Place(59, 21.1, "left", "top"), Place(60.5, 20.4, "left", "top"), leader=(54.5, 23.8)),
    Label("KR", Place(127, 28.8, "center", "top"), Place(120.9, 25, "center", "top"), leader=(127.8, 35.8)),
)
# Where an edition's longer words need another place on the phone drawing than English's.
NARROW_PLACES: dict[str, dict[str, Place]] = {"ru": {
    "PL": Place(-11, 46, "left"), "TR": Place(31.1, 27.8, "right", "top"), "KR": Place(114, 25, "center", "top"),
    "SA": Place(33, 15.1, "center", "top"),
}}


def _label_text(base: FactBase, key: str) -> tuple[str, str]:
    """A label's lines for the desktop and for the phone: a name, then the figure and what it counts."""
    def shown(fact_id: str) -> str:
        return format_fact(base.fact(fact_id))

    def bare(fact_id: str) -> str:   # on a phone: the label's words say what is counted («прибыли: около 2 млн»)
        return format_figure(base.fact(fact_id))

    name = entity_name(key)
    if key == "GB":
        quotas = COUNTRY_FACTS["GB"]
        # One line per quota; on a phone their number, with each quota in the tooltip. Never a total.
        lines = [t("{country} quotas").format(country=name)]
        lines += [f"{entity_name(_other(base, f, 'GB'))}: {shown(f)}" for f in quotas]
        return "\n".join(lines), t("UK") + "\n" + format_count(len(quotas), "quota", "quotas")
    if key in EU_PARTNERS:
        group = upper_first(format_count(len(EU_PARTNERS), "EU country", "EU countries"))
        return (group + "\n" + t("{figure} workers each").format(figure=shown("eu-agreement-flow-per-country")),
                group + "\n" + t("{figure} each").format(figure=bare("eu-agreement-flow-per-country")))
    if key in NAMED_WITHOUT_FIGURE:
        none = t("no figure given")
        return f"{name}\n{none}", f"{name}\n{none}"
    [fact_id] = COUNTRY_FACTS[key]
    wide, narrow = {
        "RU": (t("{figure} arrivals"), t("{figure} arrivals")),
        "KZ": (t("{figure} arrivals"), t("{figure} arrivals")),
        "TR": (t("{figure} workers"), t("{figure}\nworkers")),
        "SA": (t("{figure} jobs opened"), t("{figure} jobs")),
        "AE": (t("limit raised to {figure}"), t("limit: {figure}")),
        "KR": (t("quota: {figure}"), t("quota: {figure}")),
    }[key]
    short_name = t("UAE") if key == "AE" else name
    return f"{name}\n{wide.format(figure=shown(fact_id))}", f"{short_name}\n{narrow.format(figure=bare(fact_id))}"


def _other(base: FactBase, fact_id: str, code: str) -> str:
    """The entity a two-country fact names besides ``code``: the UK quota's origin country."""
    others = [e for e in base.fact(fact_id).entities if e != code]
    if len(others) != 1:
        raise CannotDraw(fact_id, f"its entities are {', '.join(base.fact(fact_id).entities)}",
                         f"{code} and one other country, the workers' own, as its label names one")
    return others[0]


def _figure(base: FactBase, fact_id: str) -> str:
    fact = base.fact(fact_id)
    note = f"; {t(NOTES[fact_id])}" if fact_id in NOTES else ""
    return f"{fact.label}: {format_fact(fact)} ({format_period(fact)}{note})"


def _country_rows(base: FactBase) -> list[dict]:
    rows = []
    for code, fact_ids in COUNTRY_FACTS.items():
        facts = [base.fact(f) for f in fact_ids]
        rows.append({
            "fact": "; ".join(fact_ids),
            "country": entity_name(code),
            "code": code,
            "iso_numeric": numeric_code(code),
            "role": _role(code), "group": group_of(code),
            # One figure per fact, separated by "; " in the table and CSV, one per line in the tooltip.
            "figures": "; ".join(_figure(base, f) for f in fact_ids),
            "source": "; ".join(dict.fromkeys(format_source(*base.citations(f)[0]) for f in facts)),
        })
    for code, (source_id, paragraph) in NAMED_WITHOUT_FIGURE.items():
        locator = t("paragraph {n}").format(n=paragraph)
        rows.append({
            "fact": "", "country": entity_name(code), "code": code, "iso_numeric": numeric_code(code),
            "role": _role(code), "group": group_of(code),
            "figures": t("none given: named as a destination where demand for migrant workers is growing"),
            "source": format_source(base.sources[source_id], locator),
        })
    return rows


def _label_rows(base: FactBase, rows: list[dict]) -> list[dict]:
    by_code = {row["code"]: row for row in rows}
    labelled = []
    for label in LABELS:
        row = by_code[label.key]
        wide, narrow = _label_text(base, label.key)
        narrow = "\n".join(part for line in narrow.split("\n")
                           for part in textwrap.wrap(line, LABEL_WIDTH_NARROW[current()], break_on_hyphens=False,
                                                         break_long_words=False))
        country = ", ".join(entity_name(c) for c in EU_PARTNERS) if label.key in EU_PARTNERS else row["country"]
        places = {"wide": label.wide, "narrow": NARROW_PLACES.get(current(), {}).get(label.key, label.narrow)}
        labelled.append({
            "country": country, "code": label.key, "role": row["role"], "figures": row["figures"],
            "source": row["source"],
            "wide": wide, "narrow": narrow,
            **{f"{name}_{width}": getattr(places[width], name)
               for width in ("wide", "narrow") for name in ("lon", "lat", "align", "baseline")},
            **({"from_lon": label.leader[0], "from_lat": label.leader[1]} if label.leader else {}),
        })
    return labelled


def _by_width(name: str) -> str:
    return f"width < {NARROW_BELOW} ? datum.{name}_narrow : datum.{name}_wide"


def _lines(field: str) -> str:
    return f"join(split(datum.{field}, '; '), '\\n')"


def _tooltip() -> list[alt.Tooltip]:
    return [alt.Tooltip("country:N", title=t("Country")), alt.Tooltip("role:N", title=t("Role")),
            alt.Tooltip("figure_lines:N", title=t("Figures")), alt.Tooltip("source_lines:N", title=t("Source"))]


def _legend_labels() -> str:
    """A Vega expression naming each group in the legend in the edition's words: 'Elsewhere' as
    'Other destinations' (on the map, every other country is a destination)."""
    names = {group: t(group) for group in GROUPS} | {ELSEWHERE: t(ELSEWHERE_LABEL)}
    expr = "datum.label"
    for group, name in reversed(names.items()):
        if name != group:
            expr = f"datum.label == {js_string(group)} ? {js_string(name)} : {expr}"
    return expr


@chart(
    id="map",
    title=N_("Central Asia, Russia and the new destinations"),
    summary=N_("The Central Asian states, Russia, and the other countries the article names as destinations "
               "for Central Asian workers, each labelled with the figure the article gives for it."),
    finding=N_("Beyond Russia, doors for Central Asian workers are opening from Britain to South Korea"),
    # Callouts on a fact, in the steps of a scrolled sequence over the map (charts/scrolly.py).
    annotates=(("callout", "fact"),),
    facts=tuple(dict.fromkeys(f for ids in COUNTRY_FACTS.values() for f in ids)),
)
def country_map(base: FactBase, highlight: tuple[str, ...] | None = None,
                notes: tuple[str, ...] = ()) -> alt.TopLevelMixin:
    """The map; a scrolled sequence's step (charts/scrolly.py) draws it with only ``highlight``'s
    countries in colour and labelled, and the callouts ``notes`` names (annotation ids)."""
    rows = _country_rows(base)
    # In a step, a named country outside the highlight is drawn as scenery, like an unnamed one.
    lit = "true" if highlight is None else f"indexof({json.dumps(list(highlight))}, datum.code) >= 0"
    # The shapes are named here and set on the finished chart (below): inline, Altair would copy and
    # check their thousands of points at each step of building the layers (0.34 s a spec, not 0.19).
    topology = alt.Data(name=SHAPES, format=alt.DataFormat(type="topojson", feature=OBJECT))
    role = group_color(legend=alt.Legend(
        # The legend reaches into the empty sky above the Arctic coast, less so on a
        # screen wider than the desktop drawing, where the map is taller in its frame.
        orient="top", direction="horizontal",
        labelExpr=_legend_labels(),
        offset=alt.ExprRef(f"clamp(-30 + (width - {DESKTOP}) / 3, -30, 0)"), columns=3))
    # Each country is drawn once: faint if the story does not name it, coloured if it does. The
    # shapes and the rows they look up sit once on the layer that holds both drawings. The faint
    # ones are scenery: hidden from screen readers (aria=False), which would otherwise meet an
    # unnamed group of shapes in the live chart.
    background = alt.Chart().transform_filter(f"!isValid(datum.role) || !({lit})").mark_geoshape(
        fillOpacity=0.12, aria=False)
    highlighted = alt.Chart().transform_filter(f"isValid(datum.role) && {lit}").transform_calculate(
        figure_lines=_lines("figures"), source_lines=_lines("source"),
    ).mark_geoshape().encode(
        color=role, tooltip=_tooltip(),
        fillOpacity=alt.when(alt.datum.role == t(UNQUANTIFIED_ROLE)).then(alt.value(0.45)).otherwise(alt.value(1)))
    countries = alt.layer(background, highlighted, data=topology).transform_lookup(
        lookup="id", from_=alt.LookupData(data=alt.Data(values=rows), key="iso_numeric",
                                         fields=["country", "role", "group", "figures", "source", "code", "fact"]))

    # Labels: the phone drawing has its own text and places, chosen by the drawing's width.
    # Vega writes the lines of a label downward from its first, whatever the baseline; so each
    # label hangs from the top and is lifted by its own height when it is to stand above its
    # point (baseline "bottom") or be centred on it ("middle").
    line_height = f"(width < {NARROW_BELOW} ? 11 : 14)"
    text = {
        "lineBreak": "\n", "align": alt.ExprRef(_by_width("align")), "baseline": "top",
        "dy": alt.ExprRef(f"-{line_height} * datum.lines * (datum.baseline == 'bottom' ? 1 "
                          f": datum.baseline == 'middle' ? 0.5 : 0)"),
        "fontSize": alt.ExprRef(f"width < {NARROW_BELOW} ? 10 : 12"), "lineHeight": alt.ExprRef(line_height),
    }
    position = {"longitude": "lon:Q", "latitude": "lat:Q", "text": "text:N"}
    leaders = alt.Chart().transform_filter("isValid(datum.from_lon)").mark_rule(strokeWidth=0.8).encode(
        longitude="from_lon:Q", latitude="from_lat:Q", longitude2="lon:Q", latitude2="lat:Q")
    # A halo in the page's own background colour keeps labels legible over shapes and lines;
    # it repeats the text, so screen readers skip it.
    text_halo = {"stroke": alt.ExprRef("background"), "strokeWidth": 3, "strokeJoin": "round", "fillOpacity": 0,
                 "aria": False}
    halo = alt.Chart().mark_text(**text, **text_halo).encode(**position)
    # A screen reader hears each label as it reads; the shapes beneath carry the full figures.
    names = alt.Chart().transform_filter("!datum.callout").mark_text(**text).encode(
        **position, tooltip=_tooltip(), description="text:N")
    callout = alt.Chart().transform_filter("datum.callout").mark_text(**text, fontWeight=700).encode(
        **position, description="text:N")
    label_rows = [r for r in _label_rows(base, rows) if highlight is None or r["code"] in highlight]
    # A callout is written in place of its country's label, in bold (in the text colour: the
    # country beneath is in its own).
    callouts = annotations.callouts_on(base, notes)
    if unplaced := sorted(set(callouts) - {r["code"] for r in label_rows}):
        raise CannotDraw(next(n for n in notes if (base.annotations[n].entity or "") in unplaced),
                         f"its callout is on {', '.join(unplaced) or 'no country'}, which this step labels nowhere",
                         f"entity: one of the labelled countries the step highlights "
                         f"({', '.join(r['code'] for r in label_rows)})")
    for row in label_rows:
        if row["code"] in callouts:
            row.update({width: "\n".join(textwrap.wrap(callouts[row["code"]], chars))
                        for width, chars in CALLOUT_WIDTH.items()}, callout=True)
    labels = alt.layer(leaders, halo, names, callout, data=alt.Data(values=label_rows)).transform_calculate(
        text=f"width < {NARROW_BELOW} ? datum.narrow : datum.wide",
        lon=_by_width("lon"), lat=_by_width("lat"), baseline=_by_width("baseline"),
        lines="length(split(datum.text, '\\n'))",
        figure_lines=_lines("figures"), source_lines=_lines("source"),
    )

    layers = [countries, labels]
    # No height here: the theme sets the map's height for the phone and the desktop drawing.
    drawn = alt.layer(*layers).project(
        # The scale follows the width, so a phone sees the same region, smaller (a little less
        # so, as its frame is taller for its width); shapes are clipped to the frame, so
        # countries beyond it add no path data to the SVG.
        type="equalEarth", center=[68, 42], scale=alt.ExprRef(f"width / (width < {NARROW_BELOW} ? 2.2 : 2.5)"),
        clipExtent=alt.ExprRef(expr="[[0, 0], [width, height]]")).properties(
        width="container",
        # The shapes' credit, on the drawing itself so it travels with every copy of it.
        title=alt.Title(t(CREDIT), orient="bottom", anchor="end", fontSize=10, fontWeight="normal", offset=6))
    drawn.datasets = {SHAPES: shapes()}
    return drawn
