"""Charts in Chromium beyond the per-page visit (test_pages.py: each made live from the keyboard, a
tooltip shown, dark mode): live on hover, first-hover replay, the highlight menu, dark pictures."""

from __future__ import annotations

import time

import pytest

from .conftest import DARK_BACKGROUND, Chart
from .helpers import LIVE_BACKGROUND, POINT_ON_MARK, VISIBLE_PICTURES, scroll_to, wait_live, wait_pictures

pytestmark = pytest.mark.browser

TOOLTIP = "#vg-tooltip-element.visible"
LIGHT_BACKGROUND = {"rgb(255, 255, 255)", "#ffffff", "#fff", "white"}


def chart_by_id(site, chart_id: str) -> Chart:
    for chart in site.charts:
        if chart.id == chart_id:
            return chart
    pytest.fail(f"no chart {chart_id!r} in the built site")


def point_on_mark(page, chart: Chart) -> dict:
    assert chart.tooltip_marks, f"{chart.id}: its Vega spec has no mark with a tooltip"
    point = page.evaluate(POINT_ON_MARK, [chart.figure, list(chart.tooltip_marks)])
    assert point, f"{chart.id}: no visible live mark named {chart.tooltip_marks}"
    return point


def test_first_hover_on_the_static_picture_is_replayed(open_tab, site):
    """Pointer lands on a mark's spot in the picture; once live, its tooltip shows with no further move."""
    chart = chart_by_id(site, "destinations")
    tab = open_tab()
    page = tab.goto(chart.page)
    view = f"{chart.figure} .chart-view"
    scroll_to(page, chart.figure)
    page.focus(view)
    wait_live(page, chart)
    point = point_on_mark(page, chart)
    box = page.locator(view).bounding_box()
    offset = (point["x"] - box["x"], point["y"] - box["y"])

    page.reload()
    assert page.locator(f"{chart.figure}[data-state]").count() == 0
    wait_pictures(page, chart)
    box = page.locator(view).bounding_box()
    page.mouse.move(box["x"] + offset[0], box["y"] + offset[1])  # one move, straight onto the picture
    wait_live(page, chart)
    page.wait_for_selector(TOOLTIP, state="visible", timeout=5_000)
    assert tab.page_errors == [] and tab.console_errors == []


def test_highlight_menu_works_from_the_keyboard(open_tab, site):
    chart = chart_by_id(site, "destinations")
    tab = open_tab()
    page = tab.goto(chart.page)
    scroll_to(page, chart.figure)
    page.focus(f"{chart.figure} .chart-title")
    page.keyboard.press("Tab")
    wait_live(page, chart)
    select = f"{chart.figure} .vega-bindings select"
    page.wait_for_selector(select)
    page.keyboard.press("Tab")
    assert page.evaluate("s => document.activeElement === document.querySelector(s)", select), \
        "Tab from the live chart does not reach its highlight menu"

    opacities = """f => [...document.querySelectorAll(f + ' .chart-live g.role-mark path[aria-roledescription]')]
        .map(p => p.getAttribute('opacity') + '/' + p.getAttribute('fill-opacity'))"""
    before = page.evaluate(opacities, chart.figure)
    value = page.input_value(select)
    page.keyboard.press("ArrowDown")
    assert page.input_value(select) != value, "ArrowDown did not change the highlight menu"
    page.wait_for_function(f"([f, before]) => JSON.stringify(({opacities})(f)) !== JSON.stringify(before)",
                           arg=[chart.figure, before])
    after = page.evaluate(opacities, chart.figure)
    assert any(float(a.split("/")[0]) < 1 for a in after), f"no mark was dimmed: {after}"
    assert tab.page_errors == [] and tab.console_errors == []


def test_dark_mode_switches_pictures_and_live_charts(open_tab, site):
    chart = chart_by_id(site, "destinations")
    others = [c for c in site.charts_on(chart.page) if c != chart]
    tab = open_tab(color_scheme="light")
    page = tab.goto(chart.page)
    scroll_to(page, chart.figure)
    page.hover(f"{chart.figure} .chart-view")
    wait_live(page, chart)
    assert page.evaluate(LIVE_BACKGROUND, chart.figure) in LIGHT_BACKGROUND

    page.locator('form[data-md-component="palette"] label:visible').click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function(f"f => ['{DARK_BACKGROUND}', '#1e2129'].includes(({LIVE_BACKGROUND})(f))",
                           arg=chart.figure)
    assert page.locator(f"{chart.figure} .chart-live").count() == 1, "the old live view was not removed"
    assert tab.requested(".dark.wide.vg.json") or tab.requested(".dark.narrow.vg.json")

    for other in others:
        wait_pictures(page, other)
        sources = page.evaluate(f"f => ({VISIBLE_PICTURES})(document.querySelector(f)).map(i => i.currentSrc)",
                                other.figure)
        assert sources and all(".dark." in s for s in sources), f"{other.id}: visible picture is {sources}"

    # And back: the live chart follows the switch again.
    page.locator('form[data-md-component="palette"] label:visible').click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.wait_for_function(f"f => ({LIVE_BACKGROUND})(f) !== '{DARK_BACKGROUND}'", arg=chart.figure)
    assert page.evaluate(LIVE_BACKGROUND, chart.figure) in LIGHT_BACKGROUND
    assert tab.page_errors == [] and tab.console_errors == []


def test_dark_preference_shows_dark_pictures_and_dark_live_charts(open_tab, site):
    chart = chart_by_id(site, "destinations")
    tab = open_tab(color_scheme="dark")
    page = tab.goto(chart.page)
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    wait_pictures(page, chart)
    sources = page.evaluate(f"f => ({VISIBLE_PICTURES})(document.querySelector(f)).map(i => i.currentSrc)",
                            chart.figure)
    assert sources and all(".dark." in s for s in sources), sources
    page.hover(f"{chart.figure} .chart-view")
    wait_live(page, chart)
    assert page.evaluate(LIVE_BACKGROUND, chart.figure) in (DARK_BACKGROUND, "#1e2129")
    assert tab.page_errors == [] and tab.console_errors == []


def test_dark_preference_does_not_fetch_the_hidden_light_pictures(open_tab, site):
    """loading="lazy" is meant to keep the hidden scheme's pictures from being fetched at all.

    Material applies the OS dark preference from its bundle at the end of <body>, so the
    pictures are laid out as light first.  Whether the light ones are fetched then depends
    on how fast the bundle arrives; a 300 ms slower bundle makes that race deterministic.
    """
    chart = chart_by_id(site, "destinations")
    tab = open_tab(color_scheme="dark")

    def slow_bundle(route):
        time.sleep(0.3)
        route.continue_()

    tab.page.route("**/assets/javascripts/bundle.*.min.js", slow_bundle)
    page = tab.goto(chart.page)
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    wait_pictures(page, chart)
    page.wait_for_load_state("networkidle")
    assert tab.requested(".dark.") and not tab.requested(".light."), \
        f"light pictures fetched in dark mode: {[u.rsplit('/', 1)[-1] for u in tab.requested('.light.')]}"
