"""Every chart's own page and embed view (pages/chart_pages.py), read as built files.

The real site (tests/sites.py) for what a reader gets; the hostile copy (tests/hostile.py) for
text from data/ that must stay text, in HTML and in BibTeX; the chart pages made in process for
a fact edited in a copy of data/ and for a build with the site's address.
"""

from __future__ import annotations

import csv
import gzip
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pybtex.database import parse_string

import charts
from charts.cache import RenderCache
from charts.render import render_all
from conftest import ROOT
from facts.format import format_fact, format_source
from facts.load import FactBase, load_factbase
from hostile import MARK, hostile_build
from pages import chart_pages, csp
from pages.html import chart_page
from site_source import read_config
from sites import real_site, run_build

CHART_IDS = sorted(charts.CHARTS)
SITE_NAME = read_config()["site_name"]


class Parsed(HTMLParser):
    """What the tests look at in a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.classes: set[str] = set()
        self.texts: dict[str, list[str]] = {}   # class of a <code>, <pre> or <p> -> its texts
        self.text: list[str] = []
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        self.classes.update(attrs.get("class", "").split())
        if tag in ("code", "pre", "p", "summary"):
            self._open.append(attrs.get("class") or tag)
            self.texts.setdefault(self._open[-1], []).append("")

    def handle_endtag(self, tag):
        if tag in ("code", "pre", "p", "summary") and self._open:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        for name in self._open:
            self.texts[name][-1] += data

    def links(self, selector_class: str | None = None) -> list[str]:
        return [a["href"] for tag, a in self.tags if tag == "a" and "href" in a
                and (selector_class is None or selector_class in a.get("class", "").split())]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(path: Path) -> Parsed:
    page = Parsed()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def resolve(site: Path, page: Path, link: str) -> Path:
    target = (page.parent / urlsplit(link).path).resolve()
    return target / "index.html" if target.is_dir() else target


def bibtex_entries(page: Parsed) -> list:
    """Each BibTeX block on the page, parsed: exactly one entry each."""
    entries = []
    for text in page.texts.get("language-bibtex", []):
        parsed = parse_string(text, "bibtex")
        assert len(parsed.entries) == 1, text
        entries += list(parsed.entries.items())
    return entries


# What bibtex_text writes for each character BibTeX or LaTeX would read as markup.
UNBIBTEX = {value: key for key, value in chart_pages._BIBTEX_SPECIAL.items()}


def unbibtex(value: str) -> str:
    return re.sub("|".join(re.escape(v) for v in sorted(UNBIBTEX, key=len, reverse=True)),
                  lambda m: UNBIBTEX[m[0]], value)


def shown_items(base: FactBase, chart_id: str) -> list:
    chart = charts.CHARTS[chart_id]
    return [base.fact(f) for f in chart.fact_ids()] + (list(base.events.values()) if chart.uses_events else [])


@pytest.fixture(scope="module")
def site() -> Path:
    return real_site()


@pytest.fixture(scope="module")
def base(english_base) -> FactBase:
    return english_base


# --------------------------------------------------------------------------- the real site

@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_page_has_the_chart_its_data_sources_downloads_citations_and_embed(site, base, chart_id):
    path = site / chart_page(chart_id) / "index.html"
    page = parse(path)
    assert any(tag == "figure" and a.get("id") == f"chart-{chart_id}" for tag, a in page.tags)
    # The figure's pictures, as on the story pages, each a real file.
    pictures = [a["src"] for tag, a in page.tags if tag == "img"] + \
               [a["srcset"] for tag, a in page.tags if tag == "source" and "srcset" in a]
    assert len(pictures) >= 4 and all(resolve(site, path, p).is_file() for p in pictures)
    # "Show the data": every row the chart draws.
    rows = [a for tag, a in page.tags if tag == "tr"]
    with open(site / "charts" / f"{chart_id}.csv", encoding="utf-8", newline="") as data:
        assert len(rows) == len(list(csv.DictReader(data))) + 1   # and the header row
    # Every source any figure it shows cites, linked to its address.
    items = shown_items(base, chart_id)
    urls = {base.sources[c.source].url for item in items for c in item.sources}
    assert urls <= set(page.links()), "a source the chart's figures cite is not linked"
    # Downloads: the chart's own files, each there.
    downloads = [link for tag, a in page.tags if tag == "a" and (link := a.get("href", "")).startswith("../../charts/")
                 and link.split("/")[-1].startswith(f"{chart_id}.")]
    assert {d.rsplit(".", 1)[-1] for d in downloads} >= {"png", "svg", "csv", "json"}
    assert all(resolve(site, path, d).is_file() for d in downloads), downloads
    # A citation of the chart and of each fact it shows, in plain text and in BibTeX.
    facts = [item for item in items if hasattr(item, "label")]
    entries = bibtex_entries(page)
    assert len(entries) == 1 + len(facts)
    assert len({key for key, _ in entries}) == len(entries), "BibTeX keys repeat"
    assert all(entry.type == "misc" for _, entry in entries)
    checked = {item.checked.isoformat() for item in items}
    for _, entry in entries:
        assert entry.fields["urldate"] in checked, "a date not taken from the data"
        assert str(entry.persons["author"][0]) == "{" + SITE_NAME + "}"
    plain = page.texts["chart-page-cite-text"]
    assert len(plain) == 1 + len(facts)
    assert all(text.startswith(f"{SITE_NAME}.") for text in plain)
    assert base.retold.title in plain[0], "the chart's citation does not name the retold article"
    for fact in facts:   # each figure's own sources, with where in each it stands
        cites = [t for t in plain if format_fact(fact) in t and fact.label in t]
        assert cites and all(format_source(s, loc) in cites[0] for s, loc in base.citations(fact)), fact.id
    # The embed snippet: an iframe with a title, at the embed view's address (relative: no site_url here).
    snippet = page.texts["chart-page-embed"][0]
    assert re.fullmatch(rf'<iframe src="charts/{chart_id}/embed/" title="[^"]+" .*></iframe>', snippet)
    assert "without the site's address" in page.plain
    assert (site / "charts" / chart_id / "embed" / "index.html").is_file()


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_embed_view_is_the_chart_alone_with_a_link_back(site, base, chart_id):
    path = site / chart_pages.embed_page(chart_id) / "index.html"
    html = path.read_text(encoding="utf-8")
    page = parse(path)
    assert any(tag == "figure" and a.get("id") == f"chart-{chart_id}" for tag, a in page.tags)
    chrome = {"md-header", "md-sidebar", "md-footer", "md-search", "md-tabs", "md-nav"} & page.classes
    assert chrome == set(), "site chrome in the embed view"
    assert "bundle." not in html, "Material's script in the embed view"
    back = [a["href"] for tag, a in page.tags if tag == "a" and a.get("target") == "_blank"]
    assert back and resolve(site, path, back[0]) == (site / chart_page(chart_id) / "index.html").resolve()
    assert page.texts["chart-embed-credit"][0].startswith(f"Source: {SITE_NAME}, from {base.retold.title}")
    assert len(csp.META.findall(html)) == 1, "the embed view carries the policy"
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("edition", ["", "ru/"])
def test_story_figures_link_to_their_chart_pages(site, edition):
    """In each edition, every chart's figure links to the chart's page in the same edition."""
    linked = {}
    for path in sorted((site / edition).rglob("index.html")):
        within = path.relative_to(site / edition).as_posix()
        if within.startswith("charts/") or (not edition and within.startswith("ru/")):
            continue
        for link in parse(path).links("chart-page-link"):
            linked[resolve(site, path, link)] = path
    assert set(linked) == {(site / edition / chart_page(c) / "index.html").resolve() for c in CHART_IDS}


def test_chart_pages_are_previewed_by_their_chart_and_listed(site):
    index = parse(site / "charts" / "index.html")
    for chart_id in CHART_IDS:
        html = (site / chart_page(chart_id) / "index.html").read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        assert image and image[1].endswith(f"charts/{chart_id}.png"), chart_id
        assert f"../{chart_page(chart_id)}" in index.links()
    nav = parse(site / "index.html").links("md-nav__link")
    assert nav and not [link for link in nav if "charts/" in link], "chart pages are not in the navigation"


def test_a_build_with_the_site_address(tmp_path):
    """build.py with SITE_URL (as the deploy workflow runs it): the sitemap lists every chart page
    and no embed view (they ask not to be indexed), and the snippet and citations are absolute."""
    address = "https://example.org/site/"
    result = run_build(ROOT, "--site-dir", str(tmp_path / "site"), env={"SITE_URL": address})
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    for sitemap in ((site / "sitemap.xml").read_text(encoding="utf-8"),
                    gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")):
        listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
        assert {address + chart_page(c) for c in CHART_IDS} | {address + "charts/"} <= listed
        assert not [loc for loc in listed if "/embed/" in loc]
    # Each page with its twins in both editions (hreflang), English the default, in both sitemaps
    english = (site / "sitemap.xml").read_text(encoding="utf-8")
    twin = chart_page(CHART_IDS[0])
    russian = (site / "ru" / "sitemap.xml").read_text(encoding="utf-8")
    for sitemap, own in ((english, address), (russian, address + "ru/")):
        entry = re.search(rf"<url>\s*<loc>{re.escape(own + twin)}</loc>.*?</url>", sitemap, re.S)
        assert entry, f"{own + twin} is not in its edition's sitemap"
        alternates = dict(re.findall(r'<xhtml:link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"/>', entry[0]))
        assert alternates == {"en": address + twin, "ru": address + "ru/" + twin, "x-default": address + twin}
    page = (site / chart_page(CHART_IDS[0]) / "index.html").read_text(encoding="utf-8")
    assert f"&lt;iframe src=&quot;{address}{chart_pages.embed_page(CHART_IDS[0])}&quot;" in page
    assert f"url = &#123;{address}{chart_page(CHART_IDS[0])}&#125;" in page
    assert "without the site&#x27;s address" not in page


def test_only_the_embed_views_may_be_framed(site):
    rules = {}
    for block in re.split(r"\n(?=/)", (site / "_headers").read_text(encoding="utf-8").split("\n", 1)[1]):
        path, header = block.strip().split("\n", 1)
        rules[path] = csp.parse(header.strip().removeprefix("Content-Security-Policy: "))
    assert "frame-ancestors" not in rules.pop("/*")
    pages = {csp.served_at(p.relative_to(site).as_posix()) for p in site.rglob("*.html")}
    embeds = {f"/{edition}{chart_pages.embed_page(c)}" for c in CHART_IDS for edition in ("", "ru/")}
    assert embeds <= pages and not embeds & set(rules)
    assert set(rules) == pages - embeds
    assert all(rule["frame-ancestors"] == ["'none'"] for rule in rules.values())


def test_headers_without_a_framable_page_keep_one_rule(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(csp.add_policy("<html><head></head><body></body></html>"))
    text = csp.write_headers(tmp_path).read_text(encoding="utf-8")
    assert text.count("Content-Security-Policy:") == 1 and "frame-ancestors 'none'" in text
    framed = csp.write_headers(tmp_path, framable=lambda page: page == "a/index.html").read_text(encoding="utf-8")
    assert framed.count("Content-Security-Policy:") == 1 and "frame-ancestors" not in framed


# --------------------------------------------------------------------------- made in process

@pytest.fixture(scope="module")
def cache(drawn) -> RenderCache:
    return drawn   # the run's drawings (tests/conftest.py)


def make_pages(base: FactBase, cache: RenderCache, chart_ids, **options) -> dict[str, str]:
    rendered = render_all([charts.CHARTS[c] for c in chart_ids], base, cache)
    return chart_pages.make(base, rendered, {}, site_name="Site", **options)


def test_every_chart_has_a_page_an_embed_and_a_line_in_the_index(base, cache):
    pages = make_pages(base, cache, CHART_IDS)
    assert set(pages) == {chart_pages.INDEX} | {chart_pages.page_src(c) for c in CHART_IDS} | {
        chart_pages.embed_src(c) for c in CHART_IDS}
    for chart_id in CHART_IDS:
        assert pages[chart_pages.embed_src(chart_id)].startswith("---\ntemplate: embed.html\n")
        assert f'href="../{chart_page(chart_id)}"' in pages[chart_pages.INDEX]


def test_a_chart_page_links_each_story_page_that_shows_it_by_its_heading(base, cache):
    story = {"part.md": "---\n# A comment in the front matter, not a heading\ntemplate: story.html\n---\n\n"
                        "# The part\n\nText.\n\n{{ chart: destinations }}\n",
             "other.md": "# Another part\n\nNo chart here.\n"}
    rendered = render_all([charts.CHARTS["destinations"]], base, cache)
    page = chart_pages.make(base, rendered, story, site_name="Site")[chart_pages.page_src("destinations")]
    assert 'In the story: <a href="../../part/#chart-destinations">The part</a>.' in page
    assert "Another part" not in page


def test_with_the_site_address_citations_and_snippets_are_absolute(base, cache):
    pages = make_pages(base, cache, ["destinations"], site_url="https://example.org/sub")
    page = pages[chart_pages.page_src("destinations")]
    assert "&lt;iframe src=&quot;https://example.org/sub/charts/destinations/embed/&quot;" in page
    assert "url = &#123;https://example.org/sub/charts/destinations/&#125;" in page
    assert "without the site&#x27;s address" not in page and "without the site's address" not in page


def test_an_edited_fact_reaches_the_chart_page_and_embed(tmp_path, cache):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "destinations.yaml"
    text = path.read_text(encoding="utf-8")
    block = text.index("id: uk-quota-kg-2024")
    value = text.index("value: 8000", block)
    path.write_text(text[:value] + "value: 8123" + text[value + len("value: 8000"):], encoding="utf-8")
    base = load_factbase(data, tmp_path)
    assert base.fact("uk-quota-kg-2024").value == 8123
    chart_id = next(c for c in CHART_IDS if "uk-quota-kg-2024" in charts.CHARTS[c].fact_ids())
    pages = make_pages(base, cache, [chart_id])
    page, embed = pages[chart_pages.page_src(chart_id)], pages[chart_pages.embed_src(chart_id)]
    for made in (page, embed):
        assert "8,123" in made and "8,000" not in made
    assert "8,123 (2024)" in page, "the figure's citation holds the new value"


# --------------------------------------------------------------------------- the hostile site

@pytest.fixture(scope="module")
def hostile():
    return hostile_build()


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_text_from_data_stays_text_on_the_chart_page_and_embed(hostile, chart_id):
    from test_escaping import parse_page  # the escaping tests' reader: where text would run

    base = load_factbase(hostile.root / "data", hostile.root)
    page_path = hostile.site / chart_page(chart_id) / "index.html"
    for path in (page_path, hostile.site / chart_pages.embed_page(chart_id) / "index.html"):
        assert parse_page(path).running == [], path
    plain = parse_page(page_path).plain
    items = shown_items(base, chart_id)
    for item in items:
        name = getattr(item, "label", None) or item.title
        assert " ".join(name.split()) in plain
        for citation in item.sources:
            assert " ".join(citation.locator.split()) in plain
    # BibTeX: each block one entry, whatever the text held, and its title is the text as written.
    entries = dict(bibtex_entries(parse(page_path)))
    assert len(entries) == 1 + sum(hasattr(item, "label") for item in items)
    for item in items:
        if hasattr(item, "label"):
            title = unbibtex(entries[f"{chart_id}-{item.id}"].fields["title"])
            assert title.startswith("{" + " ".join(item.label.split()) + ":"), title
    assert any(MARK in unbibtex(e.fields["note"]) for e in entries.values()), "no hostile text in the BibTeX"
