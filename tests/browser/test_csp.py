"""Every page under its Content-Security-Policy: strict, and nothing a reader does breaks it.

Each page is used as a reader would (every chart made live and a tooltip shown, the
palette switched to dark, a search run) while every CSP violation is recorded, both
as ``securitypolicyviolation`` events and as Chromium's console messages.
"""

from __future__ import annotations

import re

import pytest

from .conftest import DARK_BACKGROUND, page_id
from .helpers import LIVE_BACKGROUND, POINT_ON_MARK, scroll_to, wait_live

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ` +
  `${(e.sample || '').slice(0, 80)}`), true);
"""
META = 'head > meta[http-equiv="Content-Security-Policy"]'
# 'self', 'none', data: and hashes: no other origin, nothing unsafe.
ALLOWED_SOURCE = re.compile(r"'self'|'none'|data:|'sha256-[A-Za-z0-9+/]+=*'")
TOOLTIP = "#vg-tooltip-element.visible"


class Recorder:
    def __init__(self, tab):
        self.tab = tab
        self.console: list[str] = []
        tab.context.add_init_script(RECORD_VIOLATIONS)
        tab.page.on("console", lambda m: "Content Security Policy" in m.text and self.console.append(m.text))

    def violations(self) -> list[str]:
        return self.tab.page.evaluate("() => window.__cspViolations") + self.console


def check_meta(page) -> None:
    assert page.locator(META).count() == 1, "no Content-Security-Policy <meta> in <head>"
    assert page.evaluate(f"""() => {{
        const children = [...document.head.children], meta = document.querySelector('{META}');
        const script = children.findIndex(el => el.tagName === 'SCRIPT');
        return script < 0 || children.indexOf(meta) < script;
    }}"""), "a <script> comes before the policy"
    policy = page.get_attribute(META, "content")
    directives = {name: sources for name, *sources in (d.split() for d in policy.split(";") if d.strip())}
    assert directives.get("default-src") == ["'self'"] and directives.get("object-src") == ["'none'"], policy
    for name, sources in directives.items():
        bad = [s for s in sources if not ALLOWED_SOURCE.fullmatch(s)]
        assert not bad, f"{name} allows {bad}"


def make_charts_live(page, charts) -> None:
    for chart in charts:
        scroll_to(page, chart.figure)
        page.hover(f"{chart.figure} .chart-view")
        wait_live(page, chart)
        point = page.evaluate(POINT_ON_MARK, [chart.figure, list(chart.tooltip_marks)])
        assert point, f"{chart.id}: no live mark with a tooltip to hover"
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector(TOOLTIP, state="visible")
        assert page.inner_text("#vg-tooltip-element").strip(), f"{chart.id}: empty tooltip"
        # Its style comes from site.css, not from a <style> element vega-tooltip would inject.
        assert page.evaluate("() => getComputedStyle(document.querySelector('#vg-tooltip-element')).position") \
            == "fixed", f"{chart.id}: the tooltip is unstyled"
        page.mouse.move(0, 0)


def switch_to_dark(page, charts) -> None:
    page.locator('form[data-md-component="palette"] label:visible').click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    for chart in charts:  # each live view is drawn again from its dark spec
        page.wait_for_function(f"f => ['{DARK_BACKGROUND}', '#1e2129'].includes(({LIVE_BACKGROUND})(f))",
                               arg=chart.figure)


def search(page) -> None:
    page.locator(".md-search__input").click()
    page.keyboard.type("Russia")
    page.wait_for_selector(".md-search-result__item", state="attached")


def use_like_a_reader(tab, path: str, charts) -> list[str]:
    recorder = Recorder(tab)
    page = tab.goto(path)
    check_meta(page)
    make_charts_live(page, charts)
    switch_to_dark(page, charts)
    search(page)
    page.wait_for_load_state("networkidle")
    assert tab.page_errors == [], "uncaught errors in the page"
    return recorder.violations()


def test_page_works_under_its_policy(open_tab, site, page_path):
    tab = open_tab(color_scheme="light")
    violations = use_like_a_reader(tab, page_path, site.charts_on(page_path))
    assert violations == [], f"{page_id(page_path)}: Content-Security-Policy violations:\n" + "\n".join(violations)


def test_not_found_page_works_under_its_policy(open_tab, site):
    tab = open_tab(color_scheme="light")
    violations = use_like_a_reader(tab, "404.html", [])
    assert violations == [], "404.html: Content-Security-Policy violations:\n" + "\n".join(violations)


def test_notebook_copy_button_works_under_its_policy(open_tab, site):
    """mkdocs-jupyter's copy buttons are inline scripts: the page's hashes must let them run."""
    if "explore/" not in site.pages:
        pytest.skip("no notebook page in this build")
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    recorder = Recorder(tab)
    page = tab.goto("explore/")
    page.locator("clipboard-copy").first.click()
    page.locator("clipboard-copy .notice").first.wait_for(state="visible")
    assert page.evaluate("() => navigator.clipboard.readText()").strip(), "nothing was copied"
    assert recorder.violations() == []


def test_policy_is_enforced(open_tab, site):
    """The recorder sees what the policy blocks: inline script, inline handler, eval, another host."""
    tab = open_tab()
    recorder = Recorder(tab)
    page = tab.goto("")
    page.evaluate("""() => {
        window.__ran = [];
        const script = document.createElement('script');
        script.textContent = 'window.__ran.push("inline script")';
        document.body.append(script);
        document.body.insertAdjacentHTML('beforeend',
            '<img src="data:," alt="" onload="window.__ran.push(\\'handler\\')">');
        setTimeout('window.__ran.push("string timer")');  // eval by another name
        new Image().src = 'https://example.org/pixel.png';
    }""")
    page.wait_for_function("() => window.__cspViolations.length >= 4")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__ran") == []
    violations = recorder.violations()
    for directive in ("script-src-elem", "script-src-attr", "script-src", "img-src"):
        assert any(v.startswith(directive + " ") for v in violations), (directive, violations)
