"""The story layout (issue 13): the cover, the reading layout of the parts, search on demand.

Each story page is loaded once, at a desktop width, and checked there (its measure, no sidebar
or contents list, "Part N of M" and the previous and next titles from the nav), then narrowed
to 320 px in the same tab and checked for sideways overflow. What is expected comes from the
sources: mkdocs.yml's nav, each page's front matter (the parts use story.html) and
data/sources.yaml (the retold article), never from the build that is being checked.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

from pages.fill import page_url, split_front_matter
from site_source import read_config

from .helpers import resize

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
STORY_TEMPLATE = "story.html"
NARROWEST = 320
MEASURE = (60, 75)        # characters per line of running text on a desktop
WORDS_PER_MINUTE = 230    # overrides/cover.html's reading speed


def _nav_pages(nav) -> list[tuple[str, str]]:
    """(title, source file) of every page in the nav, in order."""
    pages = []
    for item in nav:
        (title, target), = item.items()
        if isinstance(target, list):
            pages += _nav_pages(target)
        else:
            pages.append((title, target))
    return pages


def _front_matter(src: str) -> dict:
    front, _ = split_front_matter((DOCS / src).read_text(encoding="utf-8"))
    return yaml.safe_load(front.strip().strip("-")) or {} if front else {}


NAV = _nav_pages(read_config()["nav"])
PARTS = [(title, src) for title, src in NAV
         if src.endswith(".md") and _front_matter(src).get("template") == STORY_TEMPLATE]


def _title_of(src: str) -> str:
    """How the pager names a page: 'Part N: title' for a part, the nav title otherwise."""
    for number, (title, part) in enumerate(PARTS, 1):
        if part == src:
            return f"Part {number}: {title}"
    return dict((s, t) for t, s in NAV)[src]


def test_the_story_has_parts():
    # The parametrization below is empty if no page uses story.html: say so rather than pass.
    assert len(PARTS) >= 2, f"expected the nav's story pages to use {STORY_TEMPLATE}: {NAV}"


# Characters per line of a long paragraph: its width over its own text's average character width
# (the same font, measured on one line), i.e. its width in "ch" of the text it holds.
MEASURE_JS = """() => {
  const p = [...document.querySelectorAll('article .story > p')].find(p => p.textContent.length > 300);
  if (!p) return null;
  const probe = document.createElement('span');
  probe.style.whiteSpace = 'nowrap';
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  probe.textContent = p.textContent.replace(/\\s+/g, ' ');
  p.append(probe);
  const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
  probe.remove();
  return p.clientWidth / perChar;
}"""

# Elements wider than the viewport, outside the regions made to scroll sideways (wide tables).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const scrolled = document.documentElement.scrollWidth;
  if (scrolled > width) out.push('page scrolls sideways: ' + scrolled);
  for (const el of document.querySelectorAll('article *, .md-header *, .md-footer *')) {
    if (el.closest('.md-typeset__scrollwrap, .md-typeset__table, .chart-data, .md-search, .md-sidebar')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    if (r.right > width + 0.5 || r.left < -0.5)
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return out.slice(0, 8);
}"""

VISIBLE_TEXT_JS = """(text) => [...document.querySelectorAll('body *')].some(el =>
  el.children.length === 0 && el.textContent.trim() === text && el.getClientRects().length > 0
  && getComputedStyle(el).visibility !== 'hidden')"""


@pytest.mark.parametrize("number,part", list(enumerate(PARTS, 1)), ids=[src for _, src in PARTS])
def test_a_part_reads_as_a_story(open_tab, number, part):
    title, src = part
    tab = open_tab(viewport={"width": 1280, "height": 900})
    page = tab.goto(page_url(src))

    chars = page.evaluate(MEASURE_JS)
    assert chars is not None, "a paragraph of running text in the story column"
    assert MEASURE[0] <= chars <= MEASURE[1], f"{chars:.0f} characters per line"

    for sidebar in (".md-sidebar--primary", ".md-sidebar--secondary"):
        assert page.eval_on_selector(sidebar, "el => el.getClientRects().length") == 0, f"{sidebar} is shown"
    assert not page.evaluate(VISIBLE_TEXT_JS, "Table of contents")

    kicker = page.eval_on_selector(".story-kicker", "el => el.textContent").strip()
    assert kicker.endswith(f"Part {number} of {len(PARTS)}"), kicker
    assert page.eval_on_selector("article h1", "el => el.firstChild.textContent").strip() == title

    index = [s for _, s in NAV].index(src)
    for direction, neighbour in (("prev", NAV[index - 1] if index else None),
                                 ("next", NAV[index + 1] if index + 1 < len(NAV) else None)):
        link = page.query_selector(f".story-pager__link--{direction}")
        if neighbour is None:
            assert link is None, f"no {direction} page"
            continue
        assert link is not None, f"a {direction} link"
        assert link.eval_on_selector(".story-pager__title", "el => el.textContent").strip() == _title_of(neighbour[1])
        assert link.evaluate("a => a.href") == tab.base_url + page_url(neighbour[1])

    resize(page, {"width": NARROWEST, "height": 800})
    assert page.evaluate(OVERFLOW_JS) == [], f"wider than {NARROWEST} px"
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


FIGURE_EDGES_JS = """() => {
  const left = el => Math.round(el.getBoundingClientRect().left);
  const figure = document.querySelector('article figure.chart');
  return {
    text: left(document.querySelector('article p:not(.story-kicker)')),
    view: left(figure.querySelector('.chart-view')),
    words: [...figure.children].filter(el => !el.matches('.chart-view'))
      .map(el => [el.className || el.tagName.toLowerCase(), left(el)]),
  };
}"""


@pytest.mark.parametrize("path", ["other-markets/", "ru/other-markets/"])
@pytest.mark.parametrize("width", [NARROWEST, 390])
def test_on_a_phone_a_figures_words_keep_the_storys_margin(open_tab, path, width):
    """The drawing takes the screen's width; its heading, description, data table, source and
    links start where the story's paragraphs start."""
    page = open_tab(viewport={"width": width, "height": 800}).goto(path)
    edges = page.evaluate(FIGURE_EDGES_JS)
    assert edges["view"] < edges["text"], f"the drawing is no wider than the text column: {edges}"
    assert edges["words"] and all(left == edges["text"] for _, left in edges["words"]), edges


def _retold_source() -> dict:
    sources = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    retold = [s for s in sources if s.get("role") == "retold"]
    assert len(retold) == 1
    return retold[0]


def _reading_minutes(site_dir: Path) -> int:
    """The parts' words outside figures, as cover.html counts them (Jinja's wordcount: runs of \\w)."""
    words = 0
    for _, src in PARTS:
        html = (site_dir / page_url(src) / "index.html").read_text(encoding="utf-8")
        article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
        content = re.sub(r'<p class="story-kicker">.*?</p>|<nav class="story-pager".*?</nav>', "", article, flags=re.S)
        outside = re.sub(r"<figure\b.*?</figure>", " ", content, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", outside)
        words += len(re.findall(r"\w+", text.replace("&para;", "")))
    return math.ceil(words / WORDS_PER_MINUTE)


def test_the_cover(open_tab, site):
    tab = open_tab(viewport={"width": 390, "height": 844})
    page = tab.goto("")
    source = _retold_source()

    credit = page.query_selector(".cover-credit")
    assert credit is not None, "a credit line"
    link = credit.query_selector(f'a[href="{source["url"]}"]')
    assert link is not None, "the credit line links to the retold analysis"
    assert source["title"] in link.inner_text() and source["publisher"] in link.inner_text()
    assert re.search(r"\b20\d\d\b", link.inner_text()), "with its date"

    minutes = _reading_minutes(site.dir)
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    said = words[minutes - 1] if minutes <= 9 else str(minutes)
    assert page.inner_text(".reading-time").strip() == f"A {said}-minute read"

    cards = page.query_selector_all(".story-parts a.story-part")
    assert [c.eval_on_selector(".story-part__title", "el => el.textContent").strip() for c in cards] == \
        [title for title, _ in PARTS]
    assert [c.get_attribute("href") for c in cards] == [page_url(src) for _, src in PARTS]
    for card, (_, src) in zip(cards, PARTS, strict=True):
        assert card.eval_on_selector(".story-part__summary", "el => el.textContent").strip() == \
            _front_matter(src)["description"]
    assert page.query_selector(".cover-start").get_attribute("href") == page_url(PARTS[0][1])

    resize(page, {"width": NARROWEST, "height": 800})
    assert page.evaluate(OVERFLOW_JS) == [], f"wider than {NARROWEST} px"
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


SEARCH_INDEX, SEARCH_WORKER = "search/search_index.json", "/workers/search."


@pytest.mark.parametrize("width", [390, 1280])
def test_search_loads_when_opened_and_works(open_tab, width):
    tab = open_tab(viewport={"width": width, "height": 844})
    requests = tab.all_requests   # the worker's own fetches too
    page = tab.goto(page_url(PARTS[0][1]), wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [u for u in requests if SEARCH_INDEX in u or SEARCH_WORKER in u], "nothing of search before it is opened"

    if width < 960:   # Material's search field is behind a button below 60em
        page.click('label.md-header__button[for="__search"]')
    else:
        page.click(".md-search__input")
    page.keyboard.type("Tajikistan")
    page.wait_for_selector(".md-search-result__item a[href]")
    assert [u for u in requests if SEARCH_INDEX in u] and [u for u in requests if SEARCH_WORKER in u]
    hrefs = page.eval_on_selector_all(".md-search-result__item a[href]", "els => els.map(a => a.href)")
    assert any(page_url(src) in href for _, src in PARTS for href in hrefs), hrefs
    assert not tab.page_errors and not tab.console_errors, tab.page_errors + tab.console_errors


def _luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("path", ["", page_url(PARTS[-1][1])], ids=["cover", "last-part"])
def test_without_javascript_in_a_dark_system(open_tab, path):
    """The layout is CSS and the build's: without JavaScript the cover and a part still read as
    such, fit 320 px, and follow a dark system (Material's own script, which would apply it, does
    not run), as their chart pictures do."""
    tab = open_tab(viewport={"width": NARROWEST, "height": 800}, java_script_enabled=False, color_scheme="dark")
    page = tab.goto(path)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    text = page.evaluate("getComputedStyle(document.querySelector('article h1')).color")
    assert _luminance(background) < 0.2 < _luminance(text), (background, text)
    assert page.query_selector(".story-kicker, .cover-kicker") is not None
    if path:
        assert page.query_selector(".story-pager__link--prev") is not None
    else:
        assert page.query_selector(".reading-time") is not None
        assert len(page.query_selector_all(".story-parts a.story-part")) == len(PARTS)
    assert page.evaluate(OVERFLOW_JS) == [], f"wider than {NARROWEST} px"
