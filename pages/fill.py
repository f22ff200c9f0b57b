"""Fill in a page: every reference in its Markdown replaced by the HTML it stands for.

The renderers for each kind of reference are here, in one table; what each kind is and
which ids it takes is pages/references.py's, and the HTML itself is pages/html.py's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping

from charts import RenderedChart
from facts.load import FactBase
from pages import html
from pages.references import Reference, find_references, first_chart, replace_references
from pages.scrolly import scrolly as scrolly_html

# The chart loader: only pages with charts get it, and it fetches the runtime on first interest.
CHART_LOADER = "assets/javascripts/charts.js"


def page_url(src: str) -> str:
    """Where a page is served, with directory URLs: 'index.md' -> '', 'crackdown.md' -> 'crackdown/',
    'a/index.md' -> 'a/', 'explore.ipynb' -> 'explore/'."""
    stem = src.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def split_front_matter(text: str) -> tuple[str, str]:
    """A page's YAML front matter (between two --- lines at the top; the generator reads it as the
    page's metadata, such as its description) and its body. No front matter: ('', text)."""
    match = _FRONT_MATTER.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


_FRONT_MATTER = re.compile(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)


def relative_root(page_url: str) -> str:
    """'' for the home page, '../' for 'crackdown/', '../../' for 'a/b/'."""
    return "../" * len([part for part in posixpath.dirname(page_url).split("/") if part])


# How a generator reads a relative link in a page's raw HTML: from the page's URL (ProperDocs and
# MkDocs leave raw HTML as it is) or from the page's source file, which it then rewrites (Zensical).
LINKS_FROM = ("page", "source")


def root_of(src: str, links_from: str) -> str:
    """The relative path from the page made of ``src`` to the site's root, as the generator reads links."""
    if links_from not in LINKS_FROM:
        raise ValueError(f"links_from={links_from!r}; expected one of {LINKS_FROM}")
    return relative_root(page_url(src) if links_from == "page" else src)


def fill(markdown: str, src: str, base: FactBase, charts: Mapping[str, RenderedChart],
         stale: Collection[str] = (), links_from: str = "page",
         steps: Mapping[str, list[RenderedChart]] | None = None) -> str:
    """The page's Markdown with every reference in its body filled in. Links are relative (see
    LINKS_FROM), so the site works from any folder it is served in; ``stale`` facts are flagged
    (the preview's). ``steps``: each scrolled sequence's step drawings (charts/scrolly.py)."""
    front_matter, markdown = split_front_matter(markdown)
    to_root = root_of(src, links_from)
    lead = first_chart(markdown)
    renderers = {
        "fact": lambda ref: html.fact_link(base, ref.id, to_root, stale=ref.id in stale),
        "period": lambda ref: html.period(base, ref.id),
        "card": lambda ref: html.card(base, ref.id, to_root),
        "date": lambda ref: html.event_date(base, ref.id, to_root),
        "source": lambda ref: html.citation(base, ref.id),
        "chart": lambda ref: html.chart_figure(base, charts[ref.id], to_root, first=ref.id == lead),
        "fact-table": lambda ref: html.fact_table(base),
        "source-list": lambda ref: html.source_list(base, to_root),
        "event-list": lambda ref: html.event_list(base),
        "term": lambda ref: html.term(base, ref.id, to_root),
        "scrolly": lambda ref: scrolly_html(base, base.scrollies[ref.id], (steps or {})[ref.id], to_root),
        "glossary": lambda ref: html.glossary(base),
        "correction-list": lambda ref: html.correction_list(base, to_root),
    }

    def render(ref: Reference) -> str:
        return renderers[ref.kind](ref)

    page = replace_references(markdown, render)
    if any(ref.kind == "chart" for ref in find_references(markdown)):
        page += f'\n\n<script type="module" src="{to_root}{CHART_LOADER}"></script>\n'
    return front_matter + page
