"""What a shared link shows: each page's description and preview image.

A page with a chart is previewed by its first chart's picture; any other page by a title
card drawn here. Cards are cached like charts, keyed on their text and this module's code.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import vl_convert

from charts.cache import cache_key, cached_bytes
from charts.layout import chart_files
from charts.theme import FONT
from pages.fill import split_front_matter
from pages.references import first_chart

DESCRIPTION_LENGTH = 160
CARD_SIZE = (1200, 630)  # the 1.91:1 image that link previews expect


def page_title(markdown: str) -> str | None:
    """The page's first heading, without the attribute list that sets its anchor ('{ #about }', as a
    Russian page keeps the English anchors); a '# ' line in its front matter is a YAML comment."""
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", split_front_matter(markdown)[1], flags=re.M)
    return _ATTRIBUTES.sub("", match.group(1)).strip() if match else None


_ATTRIBUTES = re.compile(r"\s*\{:?\s*[#.][^{}]*\}$")


class EscapedText(str):
    """Text already escaped for HTML.

    Material's template prints ``page.meta.description`` into an attribute without
    escaping it (MkDocs does not autoescape), while ours escapes with ``| e``. Escaped
    once here, it is safe in the first; and Jinja's ``| e`` leaves a string with
    ``__html__`` as it is, so the second does not escape it twice.
    """

    def __html__(self) -> str:
        return str(self)


def page_description(rendered_markdown: str) -> EscapedText | None:
    """The page's first paragraph as text (HTML-escaped), cut at a word near 160 characters.

    The paragraph may hold text from data/ (a card's label, a source's title), so it is
    escaped before any template prints it.
    """
    for block in re.split(r"\n\s*\n", rendered_markdown):
        block = block.strip()
        if not block or block.startswith(("#", "<figure", "<div", "<script", "{{", "|", "-", "*", ">", "!!!")):
            continue
        text = re.sub(r"<[^>]+>", "", block)                      # filled-in references are HTML
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)      # Markdown links keep their text
        text = html.unescape(re.sub(r"[*_`]", "", " ".join(text.split())))
        if len(text) < 40:
            continue
        return EscapedText(html.escape(_shorten(text)))
    return None


def _shorten(text: str) -> str:
    """Whole sentences up to the limit; a first sentence that is too long is cut at a word."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = ""
    for sentence in sentences:
        if len(kept) + len(sentence) + 1 > DESCRIPTION_LENGTH:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return kept
    return text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def notebook_markdown(notebook_json: str) -> str:
    """The Markdown cells of a notebook, as one Markdown text."""
    import json

    cells = json.loads(notebook_json).get("cells", [])
    return "\n\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")


def title_card(title: str, site_name: str) -> bytes:
    """A PNG title card for pages without a chart to show, drawn by vl-convert (no network)."""
    lines = textwrap.wrap(title, width=26)[:4]
    width, height = CARD_SIZE
    def text(y: int, size: int, weight: int, colour: str, value) -> dict:
        return {"type": "text", "encode": {"enter": {
            "x": {"value": 80}, "y": {"value": y}, "align": {"value": "left"}, "baseline": {"value": "top"},
            "font": {"value": FONT}, "fontSize": {"value": size}, "fontWeight": {"value": weight},
            "lineHeight": {"value": round(size * 1.2)}, "fill": {"value": colour}, "text": {"value": value}}}}

    spec = {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "width": width, "height": height, "padding": 0, "autosize": "none", "background": "#1f2a5c",
        "marks": [
            text(100, 30, 600, "#c5cae9", site_name),
            {"type": "rule", "encode": {"enter": {"x": {"value": 80}, "x2": {"value": 200}, "y": {"value": 165},
                                                   "stroke": {"value": "#ffb74d"}, "strokeWidth": {"value": 6}}}},
            text(210, 64, 700, "#ffffff", lines),
        ],
    }
    return vl_convert.vega_to_png(spec, scale=1)


@dataclass(frozen=True)
class Preview:
    image: str                           # site-relative path of the picture
    description: EscapedText | None      # None: the site's description stands in


def card_path(src: str) -> str:
    """'crackdown.md' -> 'cards/crackdown.png'."""
    return "cards/" + src.rsplit(".", 1)[0].replace("/", "-") + ".png"


def page_preview(src: str, markdown: str, filled: str) -> Preview:
    """A page's preview, from its Markdown and (for the description) its filled-in text."""
    chart_id = first_chart(markdown)
    image = chart_files(chart_id)["png"] if chart_id else card_path(src)
    return Preview(image, page_description(filled))


def title_cards(pages: Mapping[str, str], site_name: str, cache_folder: Path | None) -> dict[str, bytes]:
    """Site-relative path -> PNG title card, for each page that has no chart to show."""
    cards = {}
    for src, markdown in pages.items():
        if first_chart(markdown) is None:
            title = page_title(markdown) or src.rsplit("/", 1)[-1].split(".")[0]
            name = cache_key({"title card": title, "site": site_name}, files=[Path(__file__)]) + ".png"
            cards[card_path(src)] = cached_bytes(cache_folder, name, lambda title=title: title_card(title, site_name))
    return cards
