"""Every chart page and embed view in Chromium (pages/chart_pages.py): one load per page, read in
light and then dark, doing every check: only this host is asked for anything, no console error, no
Content-Security-Policy violation, the chart goes live on interest and is drawn in the page's
scheme, the embed view has no site chrome and fits its snippet's height, and axe finds nothing.
And each once without JavaScript: the picture loads, the data opens."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

import charts
from pages import chart_pages
from pages.html import chart_page

from .conftest import DARK_BACKGROUND, RUNTIME
from .helpers import (
    LIVE_BACKGROUND,
    PICTURES_LOADED,
    VISIBLE_PICTURES,
    Recorder,
    axe_violations,
    check_meta,
    describe_violations,
)

pytestmark = pytest.mark.browser

VIEWS = {"page": chart_page, "embed": chart_pages.embed_page}
# The picture shown is the wide drawing, loaded (after the frame is widened past the breakpoint).
WIDE_PICTURE_SHOWN = f"""(figure) => ({VISIBLE_PICTURES})(document.querySelector(figure))
  .every(img => img.currentSrc.includes('.wide.') && img.complete && img.naturalWidth > 0)"""
CHROME = ".md-header, .md-sidebar, .md-footer, .md-search, .md-tabs, .md-nav, [data-md-component=palette]"


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("chart_id", sorted(charts.CHARTS))
def test_chart_page_or_embed_view(open_tab, server, site, chart_id, view):
    """One load, read in light and then in dark, switched as a reader switches: the palette toggle
    on the chart page, the system setting for the embed view (which has no toggle)."""
    tab = open_tab(viewport={"width": 390, "height": 844}, color_scheme="light")
    recorder = Recorder(tab)
    page = tab.goto(VIEWS[view](chart_id))
    check_meta(page)
    figure = f"#chart-{chart_id}"
    page.wait_for_function(PICTURES_LOADED, arg=figure)
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    if view == "embed":
        assert page.locator(CHROME).count() == 0, "site chrome in the embed view"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the embed view overflows at 390 px"
        back = page.locator(".chart-embed-credit a")
        assert back.get_attribute("target") == "_blank"
        assert urlsplit(back.evaluate("a => a.href")).path.endswith(f"/{chart_page(chart_id)}")
        assert not tab.requested("search"), "the embed view fetched the search index or worker"
        # The height the chart page's snippet gives is enough for a frame as wide as the wide picture.
        snippet = (site.dir / chart_page(chart_id) / "index.html").read_text(encoding="utf-8")
        height = int(re.search(r'height=&quot;(\d+)&quot;', snippet)[1])
        page.set_viewport_size({"width": chart_pages.EMBED_WIDTH_PX, "height": height})
        page.wait_for_function(WIDE_PICTURE_SHOWN, arg=figure)
        content = page.evaluate("document.body.scrollHeight")
        assert content <= height, f"the embed needs {content}px, the snippet gives {height}px"
        page.set_viewport_size({"width": 390, "height": 844})
    violations = axe_violations(page)
    assert violations == [], "axe-core violations (light):\n" + describe_violations(violations)

    # Interest: the chart goes live.
    page.focus(f"{figure} .chart-view")
    page.wait_for_selector(f"{figure}[data-state=live] .chart-live svg", state="attached")
    assert tab.requested(RUNTIME), "the chart went live without the chart runtime"

    # Dark: the page follows, and the live view is drawn again from the dark spec.
    if view == "embed":
        page.emulate_media(color_scheme="dark")
    else:
        page.locator('form[data-md-component="palette"] label:visible').click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function(f"f => ['{DARK_BACKGROUND}', '#1e2129'].includes(({LIVE_BACKGROUND})(f))", arg=figure)
    violations = axe_violations(page)
    assert violations == [], "axe-core violations (dark):\n" + describe_violations(violations)
    page.wait_for_load_state("networkidle")

    origin = urlsplit(server).netloc
    foreign = [u for u in tab.requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != origin]
    assert foreign == [], f"requests to hosts other than {origin}"
    assert tab.page_errors == [], "uncaught errors in the page"
    assert tab.console_errors == [], "console errors"
    assert recorder.violations() == [], "Content-Security-Policy violations"


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("chart_id", sorted(charts.CHARTS))
def test_chart_page_or_embed_view_without_javascript(open_tab, site, chart_id, view):
    """Without JavaScript, the picture still loads and the data is still there to open."""
    tab = open_tab(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = tab.goto(VIEWS[view](chart_id))
    figure = f"#chart-{chart_id}"
    page.wait_for_function(PICTURES_LOADED, arg=figure)
    assert page.locator(f"{figure} .chart-auto img").is_visible()
    page.locator(f"{figure} details.chart-data summary").click()
    assert page.locator(f"{figure} details.chart-data table").is_visible()
