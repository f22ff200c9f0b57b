"""Which chart pictures differ between two built sites, and which of their pixels changed.

A site's chart pictures are the SVG files charts/layout.py names for each variant of each chart,
matched between the sites by their path. Two are the same when their normalised SVG is: what
never shows (attribute order, spacing between tags, the names of clip paths and other ids,
coordinates past a hundredth of a pixel) is taken out first, and text, labels included, is kept.
Only the pictures that differ are rasterised, and their changed pixels marked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import reduce
from io import BytesIO
from pathlib import Path

import vl_convert
from PIL import Image, ImageChops, ImageFilter

from charts.layout import VARIANTS, Variant, chart_files
from pages.editions import without_edition

# Changed pixels are shown as they now are, tinted, on a faded grey copy of the rest of the picture,
# and grown a little, so that a single changed pixel can be seen.
HIGHLIGHT = (214, 0, 140, 255)
TINT = 0.55       # how strongly a changed pixel is tinted with the highlight
FADE = 0.75       # how far the rest of the picture is faded towards white
GROW = 5          # the highlight's size around each changed pixel (an odd number of pixels)
DECIMALS = 2      # coordinates are compared to a hundredth of a pixel


class PictureUnreadable(ValueError):
    """A chart picture that is not an SVG that can be drawn."""


@dataclass(frozen=True)
class Picture:
    path: str          # relative to the site, as charts/layout.py names it (in ru/ for the Russian edition)
    chart: str         # its id; behind its edition's folder for another edition's: "ru/map"
    variant: Variant


@dataclass(frozen=True)
class PictureChange:
    picture: Picture
    status: str                  # "changed", "added" or "removed"
    before: bytes | None         # PNGs; None on the side that has no such picture
    after: bytes | None
    difference: bytes | None     # the changed pixels marked; only for a changed picture
    changed_pixels: int          # of the larger of the two pictures; all of them when added or removed
    pixels: int


_PLACE = "\0"   # stands for the chart id in charts/layout.py's file names, to read them back
_NAMES = {variant: chart_files(_PLACE)[f"svg-{variant.name}"].split(_PLACE) for variant in VARIANTS}


def picture_at(path: str) -> Picture | None:
    """The chart picture at a site-relative path, or None for any other file. Another edition's
    picture is its chart's behind the edition's folder: 'ru/charts/map.light.wide.svg' is ru/map's."""
    within = without_edition(path)
    edition = path[:len(path) - len(within)]
    for variant, (prefix, suffix) in _NAMES.items():
        chart = within[len(prefix):-len(suffix)] if within.startswith(prefix) and within.endswith(suffix) else ""
        if chart and "/" not in chart:
            return Picture(path, edition + chart, variant)
    return None


def pictures(site: Path) -> dict[str, Picture]:
    """Every chart picture of a built site, by its path relative to the site."""
    found = (picture_at(path.relative_to(site).as_posix()) for path in site.rglob("*.svg") if path.is_file())
    return {picture.path: picture for picture in found if picture}


_ID = re.compile(r'\bid="([^"]*)"')
_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^")]*)')
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')
_DECIMAL = re.compile(r"-?\d*\.\d+(?:[eE][-+]?\d+)?")


def normalised(svg: str) -> str:
    """The SVG as compared: canonical XML (C14N 2.0, spacing between tags dropped), ids renamed
    in order of appearance, and coordinates rounded. Labels (aria-*) and text are kept as they are:
    a screen reader reads them."""
    try:
        text = ET.canonicalize(svg, strip_text=True)
    except ET.ParseError:
        return svg   # not well-formed XML: compared as it is (and refused when it is drawn)
    names = {old: f"id{number}" for number, old in enumerate(dict.fromkeys(_ID.findall(text)), start=1)}
    text = _ID_USE.sub(lambda m: m[1] + names.get(m[2], m[2]), text)
    return _ATTRIBUTE.sub(_rounded_attribute, text)


def _rounded_attribute(match: re.Match) -> str:
    name, value = match[1], match[2]
    if name.startswith("aria-"):
        return match[0]
    return f'{name}="{_DECIMAL.sub(lambda m: _rounded(float(m[0])), value)}"'


def _rounded(number: float) -> str:
    text = f"{number:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def compare_sites(before_site: Path, after_site: Path) -> list[PictureChange]:
    """Every chart picture that differs between the two sites, added and removed ones too,
    in chart order and, within a chart, in the layout's order of variants."""
    before, after = pictures(before_site), pictures(after_site)
    order = {variant: n for n, variant in enumerate(VARIANTS)}
    changes = []
    for path in sorted(before.keys() | after.keys(),
                       key=lambda p: ((before.get(p) or after[p]).chart, order[(before.get(p) or after[p]).variant])):
        old = _read(before_site, path) if path in before else None
        new = _read(after_site, path) if path in after else None
        if old is not None and new is not None and normalised(old) == normalised(new):
            continue
        changes.append(compared(before.get(path) or after[path], old, new))
    return changes


def _read(site: Path, path: str) -> str:
    try:
        return (site / path).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise PictureUnreadable(f"{path} is not UTF-8 text ({err.reason} at byte {err.start})") from err


def compared(picture: Picture, old_svg: str | None, new_svg: str | None) -> PictureChange:
    """The two sides of a picture rasterised, and the pixels that differ marked."""
    old, new = (_png(picture, svg) if svg is not None else None for svg in (old_svg, new_svg))
    if old is None or new is None:
        shown = Image.open(BytesIO(old or new))
        return PictureChange(picture, "added" if old is None else "removed", old, new, None,
                             shown.width * shown.height, shown.width * shown.height)
    difference, changed, pixels = marked(old, new)
    return PictureChange(picture, "changed", old, new, difference, changed, pixels)


def _png(picture: Picture, svg: str) -> bytes:
    try:
        return vl_convert.svg_to_png(svg, scale=1)
    except Exception as err:   # vl-convert raises RuntimeError, with its Rust backtrace after the reason
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise PictureUnreadable(f"{picture.path} cannot be drawn ({reason}), so it cannot be compared") from err


def marked(before_png: bytes, after_png: bytes) -> tuple[bytes, int, int]:
    """A PNG of the new picture, faded, with every pixel that differs from the old one marked;
    the number of such pixels, and of all pixels. Pictures of different sizes are compared as
    placed at the top left of a white canvas the size of the larger."""
    old, new = Image.open(BytesIO(before_png)), Image.open(BytesIO(after_png))
    size = (max(old.width, new.width), max(old.height, new.height))
    old, new = _on_canvas(old, size), _on_canvas(new, size)
    # A pixel differs when any of its channels does.
    mask = reduce(ImageChops.lighter, ImageChops.difference(old, new).split()).point(lambda v: 255 if v else 0)
    changed = mask.histogram()[255]
    shown = Image.blend(new.convert("L").convert("RGBA"), Image.new("RGBA", size, "white"), FADE)
    tinted = Image.blend(new, Image.new("RGBA", size, HIGHLIGHT), TINT)   # the new pixels stay legible
    shown.paste(tinted, mask=mask.filter(ImageFilter.MaxFilter(GROW)))
    return _encoded(shown), changed, size[0] * size[1]


def _on_canvas(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("RGBA", size, "white")
    canvas.alpha_composite(image.convert("RGBA"))   # as it shows on a white page
    return canvas


def _encoded(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
