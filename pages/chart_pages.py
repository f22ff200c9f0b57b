"""Every chart's own page, its embed view and the list of charts, made from the chart registry.

    charts/<id>/         the chart (the story's figure), where it stands in the story, every source
                         with its link, the downloads, a citation of the chart and of each figure it
                         shows (plain text and BibTeX), and an "Embed this chart" snippet
    charts/<id>/embed/   the chart alone, for an <iframe> on another site (overrides/embed.html)
    charts/              every chart by its heading

They are Markdown pages with raw HTML that ``pipeline.render`` hands the generator beside the
filled pages of docs/, so they are built, searched, listed in the sitemap and given their
Content-Security-Policy like any page, but are in no navigation. Text from data/ is escaped as in
pages/html.py; BibTeX values are escaped for BibTeX first. Dates come from the facts' ``as_of``
and ``checked`` (an event's ``checked``): a citation never gains a date the data does not hold.
"""

from __future__ import annotations

import html as html_text
import math
import re
from collections.abc import Mapping
from urllib.parse import quote

import yaml

from charts import RenderedChart
from charts.layout import WIDTHS, chart_files
from facts.format import (
    format_count,
    format_day,
    format_fact,
    format_partial_date,
    format_period,
    format_source,
    stop_after_abbreviation,
)
from facts.lang import N_, t
from facts.load import FactBase
from facts.schema import Fact
from pages import html
from pages.fill import CHART_LOADER, page_url, root_of
from pages.previews import Preview, page_description, page_preview, page_title
from pages.references import find_references

INDEX = "charts/index.md"
EMBED_TEMPLATE = "embed.html"   # overrides/embed.html: the page without the site's header, navigation or footer
# The iframe's suggested height, for a frame as wide as the wide picture: the picture's height, the
# subtitle, data toggle and credit, and a line for about every 60 characters of heading and 70 of
# summary (measured in Chromium on every chart; a narrower frame needs more).
EMBED_WIDTH_PX = WIDTHS["wide"]
EMBED_FIXED_PX, EMBED_LINE_PX = 160, 28
_EMBED_PAGE = re.compile(r"charts/[^/]+/embed/(index\.html)?")


def sitemap_without_embeds(sitemap: str) -> str:
    """The sitemap without the embed views: they are for frames on other sites, and tell search
    engines not to index them (overrides/embed.html), so a sitemap listing them would contradict it."""
    return _SITEMAP_EMBED.sub("", sitemap)


_SITEMAP_EMBED = re.compile(r"[ \t]*<url>\s*<loc>[^<]*/charts/[^/<]+/embed/</loc>.*?</url>[ \t]*\n?", re.DOTALL)


def page_src(chart_id: str) -> str:
    """'map' -> 'charts/map/index.md', the chart page's source (served at html.chart_page)."""
    return html.chart_page(chart_id) + "index.md"


def embed_src(chart_id: str) -> str:
    return html.chart_page(chart_id) + "embed/index.md"


def embed_page(chart_id: str) -> str:
    """Where the embed view is served, in the site: 'charts/map/embed/'."""
    return html.chart_page(chart_id) + "embed/"


def is_embed(path: str) -> bool:
    """Whether a page of the built site ('charts/map/embed/index.html') is an embed view: the only
    pages another site may show in a frame (pages/csp.py)."""
    return bool(_EMBED_PAGE.fullmatch(path.lstrip("/")))


def make(base: FactBase, rendered: Mapping[str, RenderedChart], story: Mapping[str, str], *, site_name: str,
         site_url: str | None = None, links_from: str = "page") -> dict[str, str]:
    """Source path -> Markdown (with front matter) of every chart page, embed view and the index.
    ``story``: the pages of docs/ (path -> Markdown), to link each chart where the story shows it.
    ``site_url``: the published address; without it, the citations and embed snippets give the
    site-relative address, and say so."""
    root = site_url.rstrip("/") + "/" if site_url else ""
    placed = _placed(story)
    pages = {}
    for chart_id, chart in sorted(rendered.items()):
        pages[page_src(chart_id)] = chart_page(base, chart, placed.get(chart_id, []), site_name, root,
                                               root_of(page_src(chart_id), links_from))
        pages[embed_src(chart_id)] = embed_view(base, chart, site_name, root_of(embed_src(chart_id), links_from))
    pages[INDEX] = index_page(base, rendered, root_of(INDEX, links_from))
    return pages


def previews(base: FactBase, rendered: Mapping[str, RenderedChart], pages: Mapping[str, str]) -> dict[str, Preview]:
    """A chart page and its embed are previewed by the chart's own picture; the index by a title card."""
    found = {INDEX: page_preview(INDEX, pages[INDEX], pages[INDEX])}
    for chart_id, chart in rendered.items():
        summary = html_text.escape(chart.chart.text(base, chart.chart.summary))
        preview = Preview(chart_files(chart_id)["png"], page_description(summary))
        found[page_src(chart_id)] = found[embed_src(chart_id)] = preview
    return found


def _placed(story: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Chart id -> (page URL, page title) of each story page that shows it."""
    placed: dict[str, list[tuple[str, str]]] = {}
    for src, markdown in story.items():
        title = page_title(markdown) or page_url(src)
        for ref in find_references(markdown):
            if ref.kind == "chart" and (page_url(src), title) not in placed.get(ref.id, []):
                placed.setdefault(ref.id, []).append((page_url(src), title))
    return placed


# The chart page -------------------------------------------------------------------------------

def chart_page(base: FactBase, rendered: RenderedChart, placed: list[tuple[str, str]], site_name: str,
               root: str, to_root: str) -> str:
    chart = rendered.chart
    title = chart.finding_text(base)   # what it tells, else what it shows
    page = html.chart_page(chart.id)
    sources = "; ".join(html.escape(s) for s in html.chart_sources(base, rendered))
    source, all_charts = html.words(t("Source:")), html.words(t("All charts"))
    footer = f'<div class="chart-footer"><span class="chart-source">{source} {sources}</span></div>'
    in_story = ", ".join(f'<a href="{html.escape(to_root + url)}#chart-{html.escape(chart.id)}">'
                         f'{html.escape(name)}</a>' for url, name in placed)
    where = html.words_with_html(t("In the story: {pages}."), pages=in_story) + " " if in_story else ""
    story = (f'<p class="chart-page-story">{where}'
             f'<a href="{html.escape(to_root)}charts/">{all_charts}</a></p>')
    headings = [html.words(t("Sources")), html.words(t("Downloads")), html.words(t("Cite this chart")),
                html.words(t("Embed this chart"))]
    return "\n".join([
        f"# {html.escape(title)}",
        "",
        '<div class="chart-page">',
        html.chart_figure(base, rendered, to_root, first=True, footer=footer),
        story,
        "</div>",
        "",
        f"## {headings[0]}",
        "",
        _sources(base, rendered),
        "",
        f"## {headings[1]}",
        "",
        _downloads(chart.id, to_root),
        "",
        f"## {headings[2]}",
        "",
        _citations(base, rendered, title, site_name, root, page),
        "",
        f"## {headings[3]}",
        "",
        _embed_snippet(base, rendered, title, site_name, root),
        "",
        f'<script type="module" src="{to_root}{CHART_LOADER}"></script>',
        "",
    ])


def _items(base: FactBase, rendered: RenderedChart) -> list:
    """The facts the chart shows, then (for a chart of events) every event."""
    items = [base.fact(fact_id) for fact_id in rendered.chart.fact_ids()]
    if rendered.chart.uses_events:
        items += base.events_in_order()
    return items


def _item_name(item) -> tuple[str, str]:
    """(what it is, its value or date) for a fact or an event."""
    if isinstance(item, Fact):
        return item.label, f"{format_fact(item)} ({format_period(item)})"
    return item.title, format_partial_date(item.date)


def _sources(base: FactBase, rendered: RenderedChart) -> str:
    """Every source the chart's facts and events cite, linked, with what each gives for which item."""
    cited: dict[str, list[str]] = {}
    for item in _items(base, rendered):
        name, value = _item_name(item)
        for citation in item.sources:
            says = " " + html.escape(t("It says: {says}").format(says=citation.says)) if citation.says else ""
            cited.setdefault(citation.source, []).append(
                f"<li>{html.escape(name)}: {html.escape(value)}, {html.escape(citation.locator)}.{says}</li>")
    entries = [f'<li>{html.source_link(base.sources[source_id])}<ul>{"".join(lines)}</ul></li>'
               for source_id, lines in cited.items()]
    return f'<ul class="chart-page-sources">{"".join(entries)}</ul>'


DOWNLOADS = (("png", N_("Picture (PNG)"), True), ("svg", N_("Picture (SVG)"), True), ("csv", N_("Data (CSV)"), True),
             ("spec", N_("Chart specification (Vega-Lite JSON)"), False))


def _downloads(chart_id: str, to_root: str) -> str:
    files = chart_files(chart_id)
    labels = {kind: html.words(t(label)) for kind, label, _ in DOWNLOADS}
    items = [f'<li><a href="{html.escape(to_root + files[kind])}"{" download" if download else ""}>'
             f"{labels[kind]}</a></li>" for kind, _, download in DOWNLOADS]
    every = html.words(t("Every figure on the site, with its sources"))
    data_page = html.words(t("(the data page, with CSV and JSON downloads)"))
    items.append(f'<li><a href="{html.escape(to_root + html.DATA_PAGE)}">{every}</a> {data_page}</li>')
    return f'<ul class="chart-page-downloads">{"".join(items)}</ul>'


# Citations ------------------------------------------------------------------------------------

def _relative_note(root: str) -> str:
    if root:
        return ""
    # Markup in the words: <code> around the setting's name and its file.
    note = t("This build was made without the site's address (<code>site_url</code> in <code>mkdocs.yml</code>), "
             "so addresses here are relative to the site's root: put the address the site is published at in "
             "front of them.")
    return f'<p class="chart-page-note">{note}</p>'


def _dates(items: list) -> tuple[str, str]:
    """('October 2025' or 'March 2024 to October 2025', '25 November 2026'): when the items' sources
    stated them (facts only; '' for a chart of events alone) and when they were last checked."""
    stated = sorted({item.as_of for item in items if isinstance(item, Fact)})
    when = ""
    if stated:
        first, last = format_partial_date(stated[0]), format_partial_date(stated[-1])
        when = first if first == last else t("{first} to {last}").format(first=first, last=last)
    return when, format_day(max(item.checked for item in items))


def _citations(base: FactBase, rendered: RenderedChart, title: str, site_name: str, root: str, page: str) -> str:
    items = _items(base, rendered)
    url = root + page
    blocks = [_citation(title, site_name, url, _cited_sources(base, items), items, key=f"{rendered.chart.id}-chart")]
    facts = [item for item in items if isinstance(item, Fact)]
    if facts:
        each = []
        for fact in facts:
            name = f"{fact.label}: {format_fact(fact)} ({format_period(fact)})"
            sources = [format_source(source, locator) for source, locator in base.citations(fact)]
            each.append(f'<details class="chart-page-cite-fact" id="cite-{html.escape(fact.id)}" data-search-exclude>'
                        f"<summary>{html.escape(name)}</summary>"
                        + _citation(name, site_name, f"{url}#cite-{fact.id}", sources, [fact],
                                    key=f"{rendered.chart.id}-{fact.id}", chart_title=title)
                        + "</details>")
        blocks.append("<p>" + html.words(t("Or cite one figure the chart shows:")) + "</p>" + "".join(each))
    return "\n".join([*blocks, _relative_note(root)])


def _cited_sources(base: FactBase, items: list) -> list[str]:
    """Each source the items cite once, the retold article first."""
    found = {base.retold.id: None}
    for item in items:
        for citation in item.sources:
            found.setdefault(citation.source, None)
    return [format_source(base.sources[source_id]) for source_id in found]


def _citation(name: str, site_name: str, url: str, sources: list[str], items: list, key: str,
              chart_title: str | None = None) -> str:
    """One citation, plain and BibTeX, of a chart or (with ``chart_title``) of one figure in it."""
    stated, checked = _dates(items)
    within = " " + quoting(t('In "{title}".'), title=chart_title) if chart_title else ""
    dates = (" " + t("As stated in {date};").format(date=stated) if stated else "")
    dates += " " + t("last checked {date}.").format(date=checked)
    plain = stop_after_abbreviation(quoting(t('{site}. "{name}."{within} {url}. Source: {sources}.{dates}'),
                                            site=site_name, name=name, within=within, url=url,
                                            sources="; ".join(sources), dates=dates))
    note = t("Source: {sources}.").format(sources="; ".join(sources))
    note = stop_after_abbreviation(note + (" " + t("As stated in {date}.").format(date=stated) if stated else ""))
    how = quoting(t("Figure in the chart {title}"), title=chart_title) if chart_title else t("Chart")
    fields = [("title", "{" + bibtex_text(name) + "}"), ("author", "{" + bibtex_text(site_name) + "}"),
              ("howpublished", bibtex_text(how))]
    fields += [("url", bibtex_url(url)), ("urldate", max(item.checked for item in items).isoformat()),
               ("note", bibtex_text(note))]
    bibtex = f"@misc{{{key},\n" + ",\n".join(f"  {field} = {{{value}}}" for field, value in fields) + "\n}\n"
    return (f'<div class="chart-page-cite"><p class="chart-page-cite-text">{html.escape(plain)}</p>'
            f'<pre><code class="language-bibtex">{html.escape(bibtex)}</code></pre></div>')


def quoting(template: str, **fields: str) -> str:
    """The template filled; a field it sets in «» has its own «» made „“, as Russian nests quotes
    («В графике „Крокус“»). English's straight quotes are left as they are."""
    return template.format(**{name: value.replace("«", "„").replace("»", "“") if f"«{{{name}}}»" in template
                              else value for name, value in fields.items()})


# What BibTeX or LaTeX reads as markup. A brace, even escaped with a backslash, counts towards
# BibTeX's brace balance, so braces are written as commands whose own braces balance.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                   "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def bibtex_text(text: str) -> str:
    """Text from data/ as the value of a BibTeX field: one line, every special character escaped."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def bibtex_url(url: str) -> str:
    """A URL for BibTeX's url field (read verbatim by biblatex and the url package): braces,
    backslashes and spaces, which would end or break it, percent-encoded."""
    return quote(url, safe="".join(chr(c) for c in range(33, 127) if chr(c) not in "{}\\"))


# The embed ------------------------------------------------------------------------------------

def _embed_snippet(base: FactBase, rendered: RenderedChart, title: str, site_name: str, root: str) -> str:
    chart_id = rendered.chart.id
    summary = rendered.chart.text(base, rendered.chart.summary)
    lines = math.ceil(len(title) / 60) + math.ceil(len(summary) / 70)
    height = rendered.size["wide"][1] + EMBED_FIXED_PX + EMBED_LINE_PX * lines
    iframe = (f'<iframe src="{html_text.escape(root + embed_page(chart_id))}" '
              f'title="{_attribute(f"{title} ({site_name})")}" style="width: 100%; border: 0;" '
              f'height="{height}" loading="lazy"></iframe>')
    how = t("Copy this HTML into a page to show the chart there, with its caption, its data and a link back "
            "here. It fills the width it is given, follows the reader's light or dark setting, and loads "
            "nothing from any other site. Its height fits a frame {width} pixels wide; a narrower "
            "one needs more.").format(width=EMBED_WIDTH_PX)
    return "\n".join([
        f"<p>{html.words(how)}</p>",
        f'<pre class="chart-page-embed"><code class="language-html">{html.escape(iframe)}</code></pre>',
        _relative_note(root),
    ])


def _attribute(text: str) -> str:
    """Text as an attribute value in the HTML of another site's page (apostrophes kept readable)."""
    return html_text.escape(text, quote=False).replace('"', "&quot;")


def embed_view(base: FactBase, rendered: RenderedChart, site_name: str, to_root: str) -> str:
    """The chart alone, with a link back to its page; overrides/embed.html gives it no site chrome."""
    chart = rendered.chart
    others = len({c.source for item in _items(base, rendered) for c in item.sources} - {base.retold.id})
    more = ""
    if others:
        more = " " + t("and {sources}").format(sources=format_count(others, "other source", "other sources"))
    # One short line, so the frame's height is predictable; the chart page lists every source.
    site = (f'<a href="{html.escape(to_root + html.chart_page(chart.id))}" target="_blank" rel="noopener">'
            f"{html.escape(site_name)}</a>")
    credit = ('<p class="chart-embed-credit">'
              + html.words_with_html(t("Source: {site}, from {article}{more}."), site=site,
                                     article=html.escape(base.retold.title), more=html.escape(more))
              + "</p>")
    meta = {"template": EMBED_TEMPLATE, "title": chart.finding_text(base), "search": {"exclude": True}}
    return "\n".join([
        "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n",
        '<div class="chart-embed">',
        f"<h1>{html.escape(meta['title'])}</h1>",   # the frame's heading; the caption's title is hidden
        html.chart_figure(base, rendered, to_root, first=True, footer=credit),
        "</div>",
        "",
        f'<script type="module" src="{to_root}{CHART_LOADER}"></script>',
        "",
    ])


# The index ------------------------------------------------------------------------------------

def index_page(base: FactBase, rendered: Mapping[str, RenderedChart], to_root: str) -> str:
    items = [f'<li><a href="{html.escape(to_root + html.chart_page(chart_id))}">'
             f"{html.escape(chart.chart.finding_text(base))}</a>"
             f'<span class="chart-index-title">{html.escape(chart.chart.text(base, chart.chart.title))}</span></li>'
             for chart_id, chart in sorted(rendered.items())]
    about = t("Every chart on this site has a page of its own, where it can be cited, downloaded with its data "
              "or embedded in another site.")
    return "\n".join([
        "# " + html.words(t("Charts")),
        "",
        html.words(about),
        "",
        f'<ul class="chart-index">{"".join(items)}</ul>',
        "",
    ])
