"""The hostile site in Chromium: text from data/ shows as text and never runs (issue 6).

The site is built once from a project copy whose every text field holds HTML, script and
Markdown tricks (tests/hostile.py); each script payload sets ``window.__pwned``, and any
alert() shows as a dialog. Every page is used as a reader would (one test per page, so
they run side by side): each chart made live and each of its marks hovered so its tooltip
shows, every <details> opened, the figures' links hovered, a search run. The
Content-Security-Policy is bypassed here, so what is tested is the escaping itself, not the
policy that would block a script that got through.
The same files parsed without a browser: tests/test_escaping.py.
"""

from __future__ import annotations

import pytest

from facts.lang import prefix
from hostile import SCRIPT, SOURCE_TITLE, TITLE_PAGE, hostile_build

from .conftest import Tab, discover, page_id, serving, source_pages
from .helpers import scroll_to, wait_live

pytestmark = pytest.mark.browser

TOOLTIP = "#vg-tooltip-element.visible"
MARKS_PER_CHART = 25   # enough to reach every kind of mark; a map has many countries
# Points (viewport coordinates) where each live mark with a tooltip is the topmost element.
POINTS_ON_MARKS = """([figure, names, limit]) => {
  const svg = document.querySelector(figure + ' .chart-live svg');
  const points = [];
  for (const name of names) {
    const group = svg && svg.querySelector('g.role-mark.' + CSS.escape(name));
    for (const mark of group ? group.children : []) {
      const r = mark.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2, hit = document.elementFromPoint(x, y);
      if (hit && (hit === mark || mark.contains(hit))) points.push({x, y});
      if (points.length >= limit) return points;
    }
  }
  return points;
}"""
# Markup the tooltip would hold only if a value were read as HTML (vega-tooltip's own is a table).
TOOLTIP_MARKUP = "#vg-tooltip-element :is(script, img, svg, iframe, a, details, textarea, style)"


@pytest.fixture(scope="module")
def hostile(browser):
    """(discovered site, base URL) of the hostile build, served for this module."""
    built = hostile_build()
    with serving(built.site) as url:
        yield discover(built.site), url


class Reader:
    """A tab with the policy bypassed that records dialogs (and dismisses them)."""

    def __init__(self, contexts, url: str):
        self.tab = Tab(contexts, url, bypass_csp=True)
        self.dialogs: list[str] = []

        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        self.tab.page.on("dialog", on_dialog)

    def ran(self) -> list[str]:
        """Everything a payload did: dialogs, the marker set, uncaught errors."""
        pwned = self.tab.page.evaluate("() => window.__pwned")
        return self.dialogs + ([f"window.__pwned = {pwned!r}"] if pwned is not None else []) + self.tab.page_errors


@pytest.fixture
def reader(contexts, hostile):
    readers = []

    def open_reader() -> Reader:
        readers.append(Reader(contexts, hostile[1]))
        return readers[-1]

    yield open_reader
    for r in readers:
        r.tab.close()


def hover_every_tooltip(page, chart) -> list[str]:
    """Make the chart live, hover each of its marks; the text of each tooltip shown."""
    scroll_to(page, chart.figure)
    page.hover(f"{chart.figure} .chart-view")
    wait_live(page, chart)
    points = page.evaluate(POINTS_ON_MARKS, [chart.figure, list(chart.tooltip_marks), MARKS_PER_CHART])
    assert points, f"{chart.id}: no live mark with a tooltip to hover"
    texts = []
    for point in points:
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector(TOOLTIP, state="visible")
        assert page.locator(TOOLTIP_MARKUP).count() == 0, f"{chart.id}: markup from data/ in a tooltip"
        texts.append(page.inner_text("#vg-tooltip-element"))
        page.mouse.move(0, 0)
        page.wait_for_selector(TOOLTIP, state="hidden")   # so the next one is that mark's own
    return texts


# Every page the hostile site has, named from its sources (the real pages, and the title page),
# so the reading is split by page before anything is built; the next test checks the list.
# The hostile copy is an English site (a copy without mkdocs.ru.yml): its English pages, and the title page.
ENGLISH = [page for page in source_pages() if not page.startswith(prefix("ru"))]
PAGES = [*ENGLISH, TITLE_PAGE[0].removesuffix(".md") + "/"]


def test_every_page_of_the_hostile_site_is_read(hostile):
    site, _ = hostile
    assert sorted(site.pages) == sorted(PAGES)


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_nothing_from_data_runs_while_reading_the_page(reader, hostile, path):
    site, _ = hostile
    assert path in site.pages, f"{path!r} was not built"
    quiet_tooltips = []
    r = reader()
    page = r.tab.goto(path)
    for chart in site.charts_on(path):
        texts = hover_every_tooltip(page, chart)
        # Every tooltip names its source, whose title is a payload: shown as written.
        quiet_tooltips += [f"{chart.id}: {t[:120]!r}" for t in texts if SOURCE_TITLE not in t]
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    for link in page.locator("a.fact, a.fact-card, a.event-date").all()[:30]:
        link.scroll_into_view_if_needed()
        link.hover()
    page.wait_for_load_state("networkidle")
    assert r.ran() == [], "text from data/ ran as code"
    assert quiet_tooltips == [], "tooltips that do not show the source's title as written"


def test_hostile_text_shows_as_text(reader, hostile):
    r = reader()
    page = r.tab.goto("data-and-sources/")
    first = page.get_by_text(SCRIPT).first
    first.scroll_into_view_if_needed()
    assert first.is_visible(), f"{SCRIPT!r} is not shown on the data page"
    assert SCRIPT in page.locator("table").first.inner_text()

    name, _ = TITLE_PAGE
    page = r.tab.goto(name.removesuffix(".md") + "/")
    assert page.locator("h1").inner_text().startswith(f"Cited: {SOURCE_TITLE},")
    assert page.title().startswith(f"Cited: {SOURCE_TITLE},")
    assert r.ran() == []


# Markup a result would hold only if the index's text were read as HTML (Material's own "more" is a details).
SEARCH_MARKUP = ".md-search-result :is(script, img, iframe, svg, textarea, details:not(.md-search-result__more))"
SEARCH_READY = "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')"
SEARCH_RESULTS_HOLD = "text => document.querySelector('.md-search-result').textContent.includes(text)"


def test_search_results_show_the_text(reader, hostile):
    r = reader()
    page = r.tab.goto("")
    search = page.locator(".md-search__input")
    search.click()   # the index is fetched when search is opened
    page.wait_for_function(SEARCH_READY)
    # The page whose title is the source's; the charts, whose footers name it.
    for query, shown in (("Cited", SOURCE_TITLE), ("Source", SOURCE_TITLE)):
        search.fill("")
        search.press_sequentially(query)   # key by key: a query filled in at once can go unsearched
        page.wait_for_function(SEARCH_RESULTS_HOLD, arg=shown)   # as text, not as markup
        assert page.locator(SEARCH_MARKUP).count() == 0
    page.wait_for_load_state("networkidle")
    assert r.ran() == []
