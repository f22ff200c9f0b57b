"""Nothing a YAML file holds reaches a reader as code (issue 6): the built files, read as files.

One build of a project copy whose every text field holds HTML, script and Markdown tricks
(tests/hostile.py). Its pages, pictures, downloads and search index are parsed here; the
same site in Chromium is tests/browser/test_escaping.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import copy_project
from facts.export import FORMULA_START
from facts.format import format_period, format_source
from facts.load import FactBase, load_factbase
from hostile import BAD_URL, MARK, SOURCE_TITLE, TITLE_PAGE, HostileBuild, hostile_build

# Attributes whose value is only ever shown or read out, never run or followed.
TEXT_ATTRIBUTES = {"title", "alt", "aria-label", "content", "placeholder", "value"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background"}


@pytest.fixture(scope="module")
def hostile() -> HostileBuild:
    return hostile_build()


@pytest.fixture(scope="module")
def base(hostile) -> FactBase:
    return load_factbase(hostile.root / "data", hostile.root)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def is_script_url(value: str) -> bool:
    # Browsers drop whitespace and control characters inside a scheme: "java\tscript:" runs too.
    return re.sub(r"[\x00-\x20]", "", value).lower().startswith(("javascript:", "vbscript:", "data:text/html"))


class Page(HTMLParser):
    """A page's text, and every place where the payload marker would run rather than show."""

    def __init__(self) -> None:
        super().__init__()  # convert_charrefs: text and attributes as a browser reads them
        self.text: list[str] = []
        self.attrs: list[tuple[str, dict[str, str]]] = []
        self.running: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.attrs.append((tag, attrs))
        for name, value in attrs.items():
            if name.startswith("on"):
                self.running.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in URL_ATTRIBUTES and is_script_url(value):
                self.running.append(f"<{tag} {name}={value[:60]!r}>")
            elif MARK in value and name not in TEXT_ATTRIBUTES:
                self.running.append(f"<{tag} {name}=...{MARK}...> (not a text-only attribute)")
        if tag == "script":
            self._in_script = True
            if MARK in attrs.get("src", ""):
                self.running.append(f"<script src={attrs['src']!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            if MARK in data:
                self.running.append(f"<script>{data[:80]!r}")
        else:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return squeeze(" ".join(self.text))


def parse_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_a_javascript_source_url_is_refused_with_its_place(tmp_path):
    root = copy_project(tmp_path / "project")
    sources = root / "data" / "sources.yaml"
    lines = sources.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.lstrip().startswith("url: https://"))
    lines[line - 1] = f"    url: {BAD_URL}\n"
    sources.write_text("".join(lines), encoding="utf-8")
    result = subprocess.run([sys.executable, "build.py", "--check"], cwd=root, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    expected = (rf"^data/sources\.yaml:{line}:\d+: sources\[0\]\([a-z0-9-]+\)\.url: "
                rf"expected an https:// URL.*got '{re.escape(BAD_URL)}'$")
    assert re.search(expected, result.stderr, flags=re.M), result.stderr


def test_no_page_runs_text_from_data(hostile):
    """Every page, parsed: the marker only ever stands in text, never in a script, handler or URL."""
    pages = sorted(hostile.site.rglob("*.html"))
    assert len(pages) > 5
    found = {p.relative_to(hostile.site).as_posix(): parse_page(p).running for p in pages}
    assert {page: hits for page, hits in found.items() if hits} == {}


def test_pages_show_the_hostile_text_as_written(hostile, base):
    """The data page's table and the timeline carry every label, note, title and place, character for character."""
    data_page = parse_page(hostile.site / "data-and-sources" / "index.html").plain
    for fact in base.facts.values():
        assert squeeze(fact.label) in data_page
        assert squeeze(fact.note) in data_page
    timeline = parse_page(hostile.site / "timeline" / "index.html").plain
    for event in base.events.values():
        for text in (event.title, event.description, event.place):
            assert squeeze(text) in timeline
    # Inside a paragraph, so read by Markdown: the cards' labels, and each figure's tooltip.
    home = parse_page(hostile.site / "index.html")
    cards = [a["href"].split("#fact-")[1] for tag, a in home.attrs if tag == "a" and a.get("class") == "fact-card"]
    assert cards
    for fact_id in cards:
        fact = base.fact(fact_id)
        assert squeeze(f"{fact.label} ({format_period(fact)})") in home.plain
    links = [a for tag, a in parse_page(hostile.site / "other-markets" / "index.html").attrs
             if tag == "a" and a.get("class") == "fact"]
    assert links
    for link in links:
        fact = base.fact(link["href"].split("#fact-")[1])
        source, locator = base.citations(fact)[0]
        expected = f"{fact.label} ({format_period(fact)}). Source: {format_source(source, locator)}."
        assert link["title"].startswith(expected)


def test_a_heading_made_from_data_stays_in_the_title_and_description(hostile):
    name, _ = TITLE_PAGE
    html = (hostile.site / name.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    titles = re.findall(r"<title>(.*?)</title>", html, flags=re.S)
    assert len(titles) == 1 and unescape(titles[0]).startswith(f"Cited: {SOURCE_TITLE},"), titles
    page = Page()
    page.feed(html)
    described = {a.get("name") or a.get("property"): a["content"] for tag, a in page.attrs if tag == "meta"
                 and (a.get("name") or a.get("property") or "").endswith("description")}
    assert set(described) == {"description", "og:description", "twitter:description"}
    for content in described.values():
        assert content.startswith(SOURCE_TITLE), content   # whole, and decoded once: not &amp;lt;


def test_pictures_are_inert_svg(hostile):
    svgs = sorted(hostile.site.rglob("*.svg"))
    assert svgs
    problems, shown = [], 0
    for path in svgs:
        root = ET.parse(path).getroot()   # well-formed XML, whatever the text held
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in ("script", "foreignObject", "iframe", "object", "embed"):
                problems.append(f"{path.name}: <{tag}>")
            for name, value in element.attrib.items():
                local = name.rsplit("}", 1)[-1]
                if local.lower().startswith("on") or (local in ("href", "src") and is_script_url(value)):
                    problems.append(f"{path.name}: <{tag} {local}={value[:60]!r}>")
            shown += any(MARK in v for v in element.attrib.values()) or MARK in (element.text or "")
    assert problems == []
    assert shown, "no picture carries the hostile text: was it drawn at all?"


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def as_spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def test_csv_downloads_hold_the_text_and_no_formula(hostile, base):
    facts = {row["id"]: row for row in _csv(hostile.site / "downloads" / "facts.csv")}
    events = {row["id"]: row for row in _csv(hostile.site / "downloads" / "events.csv")}
    guarded = 0
    for fact in base.facts.values():
        row = facts[fact.id]
        assert (row["label"], row["note"]) == (as_spreadsheet_text(fact.label), as_spreadsheet_text(fact.note))
    for event in base.events.values():
        row = events[event.id]
        for field in ("title", "description", "place"):
            assert row[field] == as_spreadsheet_text(getattr(event, field))
            guarded += row[field] != getattr(event, field)
    assert guarded, "no event text started like a formula: the guard went untested"
    for row in [*facts.values(), *events.values()]:
        assert not any(cell.startswith(FORMULA_START) for cell in row.values()), row


def test_json_downloads_hold_the_text_exactly(hostile, base):
    data = json.loads((hostile.site / "downloads" / "facts.json").read_text(encoding="utf-8"))
    assert {f["id"]: (f["label"], f["note"]) for f in data["facts"]} == {
        f.id: (f.label, f.note) for f in base.facts.values()}
    assert {e["id"]: (e["title"], e["description"], e["place"]) for e in data["events"]} == {
        e.id: (e.title, e.description, e.place) for e in base.events.values()}
    package = json.loads((hostile.site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    assert [s["title"] for s in package["sources"]] == [format_source(s) for s in sorted(base.sources.values(),
                                                                                       key=lambda s: s.id)]
    assert SOURCE_TITLE in package["sources"][0]["title"]


def test_chart_downloads_hold_the_text(hostile, base):
    labels = {f.label for f in base.facts.values()} | {e.title for e in base.events.values()}
    specs = sorted((hostile.site / "charts").glob("*.vl.json"))
    assert specs
    for spec in specs:
        text = spec.read_text(encoding="utf-8")
        json.loads(text)
        assert any(json.dumps(label, ensure_ascii=False)[1:-1] in text for label in labels), spec.name
        rows = _csv(spec.with_name(spec.name.removesuffix(".vl.json") + ".csv"))
        cells = {cell.removeprefix("'") for row in rows for cell in row.values()}
        assert cells & labels or any(SOURCE_TITLE in c for c in cells), spec.name


def test_chart_csv_holds_no_formula(hostile):
    for path in sorted((hostile.site / "charts").glob("*.csv")):
        for row in _csv(path):
            assert not any(cell.startswith(FORMULA_START) for cell in row.values()), (path.name, row)


def test_search_index_holds_the_text_escaped(hostile):
    index = json.loads((hostile.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc.get("title", "") + " " + doc.get("text", "") for doc in index["docs"]]
    assert any("&lt;script&gt;" in t for t in texts), "the hostile text was not indexed"
    # Material shows results as HTML: the index may hold markup of its own, never the data's.
    assert not any(re.search(r"<(script|img|svg|iframe|details)\b", t) for t in texts)
