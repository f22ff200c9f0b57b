"""What each page reference becomes in HTML. Every string from YAML is escaped here."""

from __future__ import annotations

import html
from string import Formatter

from charts import RenderedChart
from charts.describe import data_table, describe
from charts.layout import NARROW_BELOW_PX, VARIANTS, chart_files
from facts.format import (
    format_count,
    format_day,
    format_fact,
    format_partial_date,
    format_period,
    format_source,
    precision_name,
    stop_after_abbreviation,
    upper_first,
)
from facts.lang import current, t
from facts.load import FactBase

DATA_PAGE = "data-and-sources/"
TIMELINE_PAGE = "timeline/"
GLOSSARY_PAGE = "glossary/"


def chart_page(chart_id: str) -> str:
    """Where a chart's own page is, in the site (pages/chart_pages.py makes it)."""
    return f"charts/{chart_id}/"


# What we return goes back into a Markdown page, and Python-Markdown reads even the inside
# of an inline tag's attributes: "[x](y)" in a title="" became a link whose quotes broke out
# of the attribute, and `*em*{: onclick=...}` an attribute. So besides HTML's own characters,
# those Markdown acts on (links, emphasis, code, attr_list, escapes, table cells, line
# starts) become character references, which Markdown passes through and a browser shows
# as the characters themselves.
_MARKDOWN_CHARS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}|!\n\r"})


def escape(text: str) -> str:
    """``text`` (anything a maintainer typed into data/) as inert text in HTML inside Markdown."""
    return html.escape(text).translate(_MARKDOWN_CHARS)


def words(text: str) -> str:
    """Words from the code or its translation catalog as text in an element: HTML's own characters
    escaped, quotes left as typed (they need no escaping outside an attribute)."""
    return html.escape(text, quote=False)


def words_with_html(template: str, **fields: str) -> str:
    """Words from the catalog with HTML put in at their ``{fields}`` ("In the story: {pages}."):
    the words escaped as ``words`` does, each field's HTML (made here, its text escaped) as it is."""
    return "".join(words(literal) + (fields[name] if name is not None else "")
                   for literal, name, _, _ in Formatter().parse(template))


def fact_link(base: FactBase, fact_id: str, to_root: str, stale: bool = False) -> str:
    """The figure as it reads, linked to its row on the data page; ``stale`` flags it in the preview."""
    fact = base.fact(fact_id)
    source, locator = base.citations(fact)[0]
    hint = t("{label} ({period}). Source: {source}. Last checked {checked}.").format(
        label=fact.label, period=format_period(fact), source=format_source(source, locator),
        checked=fact.checked.isoformat())
    flag = ""
    if stale:
        hint += " " + t("Due for a re-check.")
        flag = " is-stale"
    return (f'<a class="fact{flag}" href="{escape(to_root + DATA_PAGE)}#fact-{escape(fact.id)}" '
            f'title="{escape(hint)}" data-source="{escape(source.url)}">{escape(format_fact(fact, prose=True))}</a>')


def chart_sources(base: FactBase, rendered: RenderedChart) -> list[str]:
    """Every source the chart's facts (and, for a chart of events, its events) cite, once each."""
    items = [base.fact(fact_id) for fact_id in rendered.chart.fact_ids()]
    if rendered.chart.uses_events:
        items += list(base.events.values())
    seen: dict[str, None] = {}
    for item in items:
        for source, _ in base.citations(item):
            seen.setdefault(format_source(source), None)
    return list(seen)


def _picture(rendered: RenderedChart, href: dict[str, str], alt: str, role: str, eager: bool) -> str:
    """One pre-rendered chart picture: narrow SVG for phones, wide otherwise.

    ``role`` "auto" follows the reader's system colour scheme through media
    queries, so exactly one image is fetched with no script involved; "light"
    and "dark" are only shown (and, being lazy, only fetched) when the reader
    has picked the other scheme with Material's switch. Width and height
    reserve the space before the image arrives, so nothing shifts.
    """
    (ww, wh), (nw, nh) = rendered.size["wide"], rendered.size["narrow"]
    narrow, dark = f"(max-width: {NARROW_BELOW_PX}px)", "(prefers-color-scheme: dark)"
    sources = []
    if role == "auto":
        sources += [(f"{dark} and {narrow}", "svg-dark-narrow", nw, nh), (dark, "svg-dark-wide", ww, wh)]
    scheme = "light" if role == "auto" else role
    sources.append((narrow, f"svg-{scheme}-narrow", nw, nh))
    loading = 'loading="eager" fetchpriority="high"' if eager else 'loading="lazy"'
    return (f'<picture class="chart-picture chart-{role}">'
            + "".join(f'<source media="{media}" srcset="{href[key]}" width="{w}" height="{h}">'
                      for media, key, w, h in sources)
            + f'<img src="{href[f"svg-{scheme}-wide"]}" width="{ww}" height="{wh}" alt="{escape(alt)}" '
              f'{loading} decoding="async"></picture>')


def chart_figure(base: FactBase, rendered: RenderedChart, to_root: str, first: bool = False,
                 footer: str | None = None) -> str:
    """A chart as a figure; ``first`` marks the page's first chart, whose picture loads eagerly.
    ``footer`` (HTML) replaces the line of sources and links (a chart page's, an embed's)."""
    chart = rendered.chart
    href = {kind: escape(to_root + path) for kind, path in chart_files(chart.id).items()}
    title, summary = chart.text(base, chart.title), chart.text(base, chart.summary)
    # The heading states what the chart tells, and what it shows becomes the subtitle.
    finding = chart.finding_text(base) if chart.finding else ""
    description = describe(chart, rendered.rows)
    header, cells = data_table(rendered.rows)
    table = "".join(
        ["<table><thead><tr>", *(f"<th scope=\"col\">{escape(h)}</th>" for h in header), "</tr></thead><tbody>"]
        + ["<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in cells]
        + ["</tbody></table>"])
    sources = "; ".join(escape(s) for s in chart_sources(base, rendered))
    anchor = f"chart-{escape(chart.id)}"
    alt = f"{finding + '. ' if finding else ''}{title}. {summary} {description}".strip()
    group_name = t("{title}: interactive chart; the same data is in the table below").format(title=title)
    # Charts with a menu (Vega bindings) keep room for it, so going live shifts nothing.
    controls = " has-controls" if any("bind" in p for p in rendered.spec.get("params", [])) else ""
    # The live view's specs, by their path in the site: the loader resolves them against its own
    # URL, so they stay right whichever way a generator rewrites the page's links.
    vega = " ".join(f'data-vega-{v.name}="{escape(chart_files(chart.id)[f"vega-{v.name}"])}"' for v in VARIANTS)
    said = {key: escape(text) for key, text in (
        ("source", t("Source:")), ("download", t("Download:")), ("csv", t("data (CSV)")), ("spec", t("chart spec")),
        ("link", t("link to this chart")), ("page", t("chart page: cite or embed")), ("data", t("Show the data")))}
    # A raw HTML block: blank lines around it keep Markdown from wrapping it in <p>.
    return "\n".join([
        "",
        f'<figure class="chart{controls}" id="{anchor}" data-chart="{escape(chart.id)}" '
        f'data-narrow-below="{NARROW_BELOW_PX}" {vega}>',
        f'<figcaption><a class="chart-title" href="#{anchor}">{escape(finding or title)}</a>'
        + (f'<span class="chart-summary chart-subtitle">{escape(title)}</span>' if finding else "") +
        f'<span class="chart-summary">{escape(summary)}</span></figcaption>',
        # A named group (a <div> may carry aria-label only with a role): one tab stop that makes the chart live.
        f'<div class="chart-view" role="group" tabindex="0" aria-label="{escape(group_name)}">'
        + _picture(rendered, href, alt, "auto", eager=first)
        + _picture(rendered, href, alt, "light", eager=False)
        + _picture(rendered, href, alt, "dark", eager=False) + "</div>",
        f'<p class="chart-description">{escape(description)}</p>',
        f'<details class="chart-data" data-search-exclude><summary>{said["data"]}</summary>'
        f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{table}</div></div></details>',
        footer if footer is not None else
        f'<div class="chart-footer"><span class="chart-source">{said["source"]} {sources}</span> '
        f'<span class="chart-links">{said["download"]} '
        f'<a href="{href["png"]}" download>PNG</a> · <a href="{href["svg"]}" download>SVG</a> · '
        f'<a href="{href["csv"]}" download>{said["csv"]}</a> · <a href="{href["spec"]}">{said["spec"]}</a> · '
        f'<a href="#{anchor}">{said["link"]}</a> · '
        f'<a class="chart-page-link" href="{escape(to_root + chart_page(chart.id))}">{said["page"]}</a>'
        '</span></div>',
        "</figure>",
        "",
    ])


def fact_table(base: FactBase) -> str:
    """Every fact with its precision, period and source; each row is a fact link's target."""
    rows = []
    for fact in sorted(base.facts.values(), key=lambda f: f.label.lower()):
        cites = _citations(base, fact)
        note = f'<br><small>{escape(fact.note)}</small>' if fact.note else ""
        rows.append(
            f'<tr id="fact-{escape(fact.id)}"><td>{escape(fact.label)}{note}</td>'
            f'<td>{escape(format_fact(fact))}</td><td>{escape(precision_name(fact))}</td>'
            f'<td>{escape(format_period(fact))}</td><td>{cites}</td>'
            f'<td>{escape(format_partial_date(fact.as_of))}</td><td>{fact.checked.isoformat()}</td></tr>')
    headings = (t("Figure"), t("Value"), t("Precision"), t("Refers to"), t("Source"), t("As of"), t("Checked"))
    head = "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headings) + "</tr></thead>"
    return "\n".join(["", '<div class="fact-table md-typeset__scrollwrap"><div class="md-typeset__table">',
                      f"<table>{head}<tbody>", *rows, "</tbody></table></div></div>", ""])


def period(base: FactBase, fact_id: str) -> str:
    return escape(base.fact(fact_id).period)


def event_date(base: FactBase, event_id: str, to_root: str) -> str:
    event = base.events[event_id]
    return (f'<a class="event-date" href="{escape(to_root + TIMELINE_PAGE)}#event-{escape(event.id)}" '
            f'title="{escape(event.title)}">{escape(format_partial_date(event.date))}</a>')


def card(base: FactBase, fact_id: str, to_root: str) -> str:
    fact = base.fact(fact_id)
    return (f'<a class="fact-card" href="{escape(to_root + DATA_PAGE)}#fact-{escape(fact.id)}">'
            f'<span class="fact-card-value">{escape(format_fact(fact))}</span>'
            f'<span class="fact-card-label">{escape(fact.label)} ({escape(format_period(fact))})</span></a>')


def source_list(base: FactBase, to_root: str) -> str:
    """Each source with every fact and event that cites it (facts are rows of the data page;
    events live on the timeline)."""
    items = []
    for source in sorted(base.sources.values(), key=lambda s: s.id):
        citing = [(f.label, f"{to_root}{DATA_PAGE}#fact-{f.id}", format_fact(f), loc)
                  for f in base.facts.values() for c_source, loc in base.citations(f) if c_source is source]
        citing += [(e.title, f"{to_root}{TIMELINE_PAGE}#event-{e.id}", format_partial_date(e.date), loc)
                   for e in base.events.values() for c_source, loc in base.citations(e) if c_source is source]
        cited = "".join(f'<li><a href="{escape(target)}">{escape(label)}</a>: {escape(value)} '
                        f'({escape(loc)})</li>' for label, target, value, loc in sorted(citing))
        note = f"<p>{escape(source.note)}</p>" if source.note else ""
        items.append(f'<section class="source" id="source-{escape(source.id)}">'
                     f'<p><a href="{escape(source.url)}" rel="noopener"><strong{_lang(source)}>{escape(source.title)}'
                     f'</strong></a>, '
                     f'{escape(source.publisher)}, '
                     f'{escape(stop_after_abbreviation(format_partial_date(source.published) + "."))}</p>{note}'
                     f'<details data-search-exclude><summary>{escape(_cited_by(len(citing)))}</summary>'
                     f'<ul>{cited}</ul></details></section>')
    return "\n".join(["", *items, ""])


def _cited_by(count: int) -> str:
    """'One figure or event cites it', 'Four figures and events cite it', '12 figures and events cite it'."""
    if count == 1:
        return t("One figure or event cites it")
    return t("{figures} and events cite it").format(figures=upper_first(format_count(count, "figure", "figures")))


def _citations(base: FactBase, item) -> str:
    """Each source an item cites, linked, with what a second source says about it."""
    parts = []
    for citation in item.sources:
        source = base.sources[citation.source]
        says = f": {escape(citation.says)}" if citation.says else ""
        parts.append(f'{source_link(source)}, '
                     f'{escape(citation.locator)}{says}')
    return "<br>".join(parts)


def article_precision(event) -> str:
    """What the retold article itself says of an event's date."""
    if event.article_date is None:
        return t("The article gives no date.")
    if event.article_date == event.date:
        return t("Dated by the article.")
    return stop_after_abbreviation(t("The article gives {date}.").format(date=format_partial_date(event.article_date)))


def event_list(base: FactBase) -> str:
    items, sources = [], escape(t("Sources:"))
    for event in base.events_in_order():
        place = f" · {escape(event.place)}" if event.place else ""
        dated = ", ".join(escape(s.publisher) for s in base.dated_by(event))
        how = escape(article_precision(event)) + (" " + escape(t("Dated by:")) + f" {dated}." if dated else "")
        items.append(f'<li id="event-{escape(event.id)}"><p class="event-when">'
                     f'<time datetime="{event.date}">{escape(format_partial_date(event.date))}</time>{place}</p>'
                     f'<p class="event-title"><strong>{escape(event.title)}</strong></p>'
                     f'<p>{escape(event.description)}</p><p class="event-dating">{how}</p>'
                     f'<p class="event-source">{sources} {_citations(base, event)}</p></li>')
    return "\n".join(["", '<ol class="event-list">', *items, "</ol>", ""])


def _lang(source) -> str:
    """lang="…" for a source's title in another language than the page's (an English report on a
    Russian page, a Russian one on an English page), so a screen reader reads it in that language.
    Publishers are names (Kursiv, Slovo i Dilo), left unmarked."""
    language = source.language or "en"
    return f' lang="{escape(language)}"' if language != current() else ""


def source_link(source) -> str:
    """The full citation, linked; a title in another language is marked so it is read aloud in it."""
    return (f'<a href="{escape(source.url)}" rel="noopener"><span{_lang(source)}>{escape(source.title)}</span>, '
            f'{escape(source.publisher)}, {escape(format_partial_date(source.published))}</a>')


def citation(base: FactBase, source_id: str) -> str:
    source = base.sources[source_id]
    return source_link(source)


def term(base: FactBase, term_id: str, to_root: str) -> str:
    """A term's name, linked to its definition; the definition is also its tooltip."""
    entry = base.glossary[term_id]
    return (f'<a class="term" href="{escape(to_root + GLOSSARY_PAGE)}#term-{escape(entry.id)}" '
            f'title="{escape(entry.definition)}">{escape(entry.term)}</a>')


def glossary(base: FactBase) -> str:
    entries = sorted(base.glossary.values(), key=lambda t: t.term.lower())
    items = [f'<dt id="term-{escape(t.id)}">{escape(t.term)}</dt><dd>{escape(t.definition)}</dd>' for t in entries]
    return "\n".join(["", '<dl class="glossary">', *items, "</dl>", ""])


def correction_list(base: FactBase, to_root: str) -> str:
    """Every correction, newest first, with links to the facts and events it concerns."""
    items, concerns = [], escape(t("Concerns:"))
    for fix in sorted(base.corrections.values(), key=lambda c: (c.date, c.id), reverse=True):
        links = ", ".join(
            f'<a href="{escape(to_root + DATA_PAGE)}#fact-{escape(i)}">{escape(base.facts[i].label)}</a>'
            if i in base.facts else
            f'<a href="{escape(to_root + TIMELINE_PAGE)}#event-{escape(i)}">{escape(base.events[i].title)}</a>'
            for i in fix.items)
        items.append(f'<li id="correction-{escape(fix.id)}"><p class="correction-when">'
                     f'<time datetime="{fix.date.isoformat()}">{escape(format_day(fix.date))}</time></p>'
                     f'<p><strong>{escape(fix.summary)}</strong></p><p>{escape(fix.reason)}</p>'
                     + (f'<p class="correction-items">{concerns} {links}</p>' if links else "")
                     + "</li>")
    return "\n".join(["", '<ol class="correction-list" reversed>', *items, "</ol>", ""])
