"""The output layout of a chart, in one place: its variants, their widths, the breakpoint between
them, and the names of the files the build writes for it.

The renderer draws the variants listed here, the pages pick between them with the breakpoint,
the live view (docs/assets/javascripts/charts.js) reads the breakpoint from the figure, and the
stylesheet's phone rules come from ``breakpoint_css`` rather than a number typed twice.
"""

from __future__ import annotations

from typing import NamedTuple

SCHEMES = ("light", "dark")
# The wide drawing fits the article column on a desktop; the narrow one a phone.
WIDTHS = {"wide": 680, "narrow": 340}
# Below this viewport width a page shows the narrow drawing (and phone-only rules apply).
NARROW_BELOW_PX = 600


class Variant(NamedTuple):
    """One drawing of a chart: ("light", "wide"), ("dark", "narrow"), ..."""

    scheme: str
    width: str

    @property
    def name(self) -> str:
        """'light-wide': its key in the render cache and in SVG ids."""
        return f"{self.scheme}-{self.width}"

    @property
    def pixels(self) -> int:
        return WIDTHS[self.width]

    @classmethod
    def named(cls, name: str) -> Variant:
        scheme, width = name.split("-")
        return cls(scheme, width)


VARIANTS = tuple(Variant(scheme, width) for scheme in SCHEMES for width in WIDTHS)
DEFAULT = Variant("light", "wide")   # the download, the PNG and the link-preview picture


def chart_files(chart_id: str) -> dict[str, str]:
    """Site-relative paths of a chart's generated files, by kind: 'spec', 'csv', 'png', 'svg',
    and 'svg-<variant>' and 'vega-<variant>' for each variant."""
    files = {"spec": f"charts/{chart_id}.vl.json", "csv": f"charts/{chart_id}.csv",
             "png": f"charts/{chart_id}.png", "svg": f"charts/{chart_id}.svg"}
    for variant in VARIANTS:
        files[f"vega-{variant.name}"] = f"charts/{chart_id}.{variant.scheme}.{variant.width}.vg.json"
        files[f"svg-{variant.name}"] = f"charts/{chart_id}.{variant.scheme}.{variant.width}.svg"
    return files


def step_files(scrolly_id: str, step: int) -> dict[str, str]:
    """Site-relative paths of a scrolled sequence's step pictures: 'svg-<variant>' for each variant."""
    return {f"svg-{v.name}": f"charts/scrolly/{scrolly_id}/{step + 1}.{v.scheme}.{v.width}.svg" for v in VARIANTS}


BREAKPOINT_CSS = "assets/stylesheets/breakpoints.css"


def breakpoint_css() -> str:
    """The stylesheet rules that apply on a phone, at the same breakpoint the pages use."""
    return (f"/* Made by charts/layout.py: below {NARROW_BELOW_PX}px a page shows the narrow chart drawings. */\n"
            f"@media (max-width: {NARROW_BELOW_PX}px) {{\n"
            "  /* vega-tooltip places a wide tooltip partly off a phone's screen: pin it across the\n"
            "     screen instead (its vertical place still follows the pointer). */\n"
            "  #vg-tooltip-element { left: 8px !important; right: 8px; max-width: none; }\n"
            "  #vg-tooltip-element table tr td.value { max-width: none; }\n"
            "  /* A scrolled sequence's pinned picture takes at most about half the screen, so a step's\n"
            "     words fit below it (docs/assets/stylesheets/scrolly.css). */\n"
            "  .scrolly.is-live .scrolly-pinned img { max-height: 45vh; width: auto; }\n"
            "  .md-typeset .scrolly.is-live .scrolly-steps > li.scrolly-step { min-height: 30vh; }\n"
            "}\n")
