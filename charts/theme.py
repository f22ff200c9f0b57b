"""Colours and type for every chart, in a light and a dark variant.

Builders never name a colour: they colour a mark by its group (``group_color``), or leave it to
the mark defaults, so one switch re-renders every chart for Material's dark palette. One colour
means one thing on every chart: the first colours of the category range are the groups, in
GROUPS' order (Central Asia, Russia, elsewhere), and every group-coloured mark uses that same
domain; a mark that stands for no group takes the neutral accent. The palette is Okabe & Ito's,
chosen to stay distinct for colour-blind readers.
"""

from __future__ import annotations

import altair as alt
from babel import Locale

from facts.lang import DEFAULT, current

# Arial and Liberation Sans share metrics, and vl-convert lays text out with the
# Liberation Sans it ships, so labels measured at build time fit when a reader's
# browser draws them: no clipped axis labels, and no web font to download.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

# Who a mark stands for. Central Asia: its five countries and their workers; Russia; elsewhere:
# every other destination. A country belongs to one group on every chart (Kazakhstan, a
# destination too, is Central Asia).
CENTRAL_ASIA, RUSSIA, ELSEWHERE = GROUPS = ("Central Asia", "Russia", "Elsewhere")
CENTRAL_ASIAN_CODES = ("KZ", "KG", "TJ", "TM", "UZ")


def group_of(code: str) -> str:
    """The group an entity (ISO code) is drawn in."""
    return CENTRAL_ASIA if code in CENTRAL_ASIAN_CODES else RUSSIA if code == "RU" else ELSEWHERE


def group_color(field: str = "group", title: str | None = None, legend: alt.Legend | None = None) -> alt.Color:
    """The one colour encoding of groups: the same domain on every chart, so the theme's category
    colours mean the same group everywhere. No legend unless asked: charts label marks directly."""
    return alt.Color(f"{field}:N", scale=alt.Scale(domain=list(GROUPS)), title=title, legend=legend)


# Okabe-Ito, ordered so the first colours have AA contrast on white: blue for Central Asia,
# orange for Russia, green for elsewhere; the accent, for marks that stand for no group, is a
# neutral slate, so no blue mark is mistaken for Central Asia.
LIGHT = {
    "background": "#ffffff",
    "text": "#1f2328",
    "muted": "#59636e",
    "grid": "#d8dee4",
    "accent": "#4a5563",
    "category": ["#0b66a6", "#b35900", "#007a5a", "#b0487f", "#5466dc", "#8a6d00"],
}
DARK = {
    "background": "#1e2129",
    "text": "#e6e8eb",
    "muted": "#aab1ba",
    "grid": "#3a3f4b",
    "accent": "#b4bcc8",
    "category": ["#56b4e9", "#e69f00", "#2ec4a0", "#e28bbd", "#9aa8ff", "#f0e442"],
}


def dark_for_light() -> dict[str, str]:
    """Each light colour and its dark twin: the one difference between the two themes (``config``),
    so a dark picture can be the light one with these swapped (charts/render.py)."""
    named = ("background", "text", "muted", "grid", "accent")
    return dict([*((LIGHT[k], DARK[k]) for k in named), *zip(LIGHT["category"], DARK["category"], strict=True)])


def chart_locale(lang: str) -> dict:
    """d3's number and time locale for an edition (Vega-Lite's ``config.locale``, which the live
    view and vl-convert both read), from CLDR: "10 000" and "2,5" in Russian. Month and day names
    are CLDR's stand-alone (nominative) forms, as an axis tick names a month on its own: «январь»,
    «янв.», where d3's own ru-RU locale has the genitive of a date («января»). Formats as d3's."""
    cldr = Locale.parse(lang)
    symbols = cldr.number_symbols["latn"]
    months, days = cldr.months["stand-alone"], cldr.days["stand-alone"]
    week = [6, 0, 1, 2, 3, 4, 5]   # d3 starts the week on Sunday, CLDR on Monday
    return {
        "number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                   # Amounts are US dollars, written "$11,5 млрд" as the edition's prose does.
                   "currency": ["$", ""]},
        "time": {"dateTime": "%A, %e %B %Y г. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
                 "periods": ["AM", "PM"],
                 "days": [days["wide"][i] for i in week], "shortDays": [days["abbreviated"][i] for i in week],
                 "months": [months["wide"][m] for m in range(1, 13)],
                 "shortMonths": [months["abbreviated"][m] for m in range(1, 13)]},
    }


def config(dark: bool = False, narrow: bool = False) -> dict:
    """A Vega-Lite config block for the light or dark page, at desktop or phone width, in the
    edition being made (English's is d3's default locale, so its config names none)."""
    c = DARK if dark else LIGHT
    axis = {
        "labelColor": c["muted"], "titleColor": c["text"], "gridColor": c["grid"],
        "domainColor": c["grid"], "tickColor": c["grid"], "labelFontSize": 12, "titleFontSize": 12,
        "titleFontWeight": 600, "labelFont": FONT, "titleFont": FONT,
        # On a phone, long category labels give way to the marks (the full text is in
        # the tooltip and the data table under the chart).
        "labelLimit": 120 if narrow else 300,
    }
    return {
        "background": c["background"],
        # The whole figure, axes and legends included, fits the width it is given.
        "autosize": {"type": "fit-x", "contains": "padding"},
        "font": FONT,
        # A map has no y axis, so its height is the view's continuous height.
        "view": {"stroke": None, "continuousHeight": 240 if narrow else 340},
        "axis": axis,
        "legend": {"labelColor": c["text"], "titleColor": c["text"], "labelFontSize": 12,
                   "titleFontSize": 12, "labelFont": FONT, "titleFont": FONT, "orient": "bottom",
                   "direction": "horizontal", "columns": 1 if narrow else 2, "labelLimit": 220,
                   "symbolFillColor": c["muted"], "symbolStrokeColor": c["muted"]},
        "title": {"color": c["text"], "font": FONT, "fontSize": 15, "anchor": "start"},
        "text": {"color": c["text"], "font": FONT, "fontSize": 12},
        # Another edition's marks carry no role either: Vega would leave them images without words.
        "mark": {"color": c["accent"], **({} if current() == DEFAULT else {"aria": False})},
        "bar": {"color": c["accent"], "stroke": c["accent"]},
        "point": {"color": c["accent"], "filled": True, "size": 90},
        "rule": {"color": c["muted"]},
        # Borders between countries in the page's background colour.
        "geoshape": {"stroke": c["background"], "strokeWidth": 0.6},
        "range": {"category": c["category"]},
        **({} if current() == DEFAULT else {
            "locale": chart_locale(current()),
            # Vega writes its own descriptions of axes and marks for screen readers, in English
            # only ("X-axis titled …"): in another edition they are hidden, and the chart is read
            # from its description and its "Show the data" table, both in the edition's language.
            "aria": False,
        }),
    }


def group_colours(dark: bool = False) -> dict[str, str]:
    """Group -> its colour in the light or dark theme."""
    return dict(zip(GROUPS, (DARK if dark else LIGHT)["category"], strict=False))
