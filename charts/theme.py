"""Colours and type for every chart, in a light and a dark variant.

Builders never name a colour: they use the theme's category range or mark
defaults, so one switch re-renders every chart for Material's dark palette.
The palette is Okabe & Ito's, chosen to stay distinct for colour-blind readers.
"""

from __future__ import annotations

# Arial and Liberation Sans share metrics, and vl-convert lays text out with the
# Liberation Sans it ships, so labels measured at build time fit when a reader's
# browser draws them: no clipped axis labels, and no web font to download.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

# Okabe-Ito, ordered so the first colours have AA contrast on white.
LIGHT = {
    "background": "#ffffff",
    "text": "#1f2328",
    "muted": "#59636e",
    "grid": "#d8dee4",
    "accent": "#0b66a6",
    "category": ["#0b66a6", "#b35900", "#007a5a", "#b0487f", "#5466dc", "#8a6d00"],
}
DARK = {
    "background": "#1e2129",
    "text": "#e6e8eb",
    "muted": "#aab1ba",
    "grid": "#3a3f4b",
    "accent": "#56b4e9",
    "category": ["#56b4e9", "#e69f00", "#2ec4a0", "#e28bbd", "#9aa8ff", "#f0e442"],
}


def config(dark: bool = False, narrow: bool = False) -> dict:
    """A Vega-Lite config block for the light or dark page, at desktop or phone width."""
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
        "mark": {"color": c["accent"]},
        "bar": {"color": c["accent"], "stroke": c["accent"]},
        "point": {"color": c["accent"], "filled": True, "size": 90},
        "rule": {"color": c["muted"]},
        # Borders between countries in the page's background colour.
        "geoshape": {"stroke": c["background"], "strokeWidth": 0.6},
        "range": {"category": c["category"]},
    }
