"""Small in-page helpers shared by the browser tests (JavaScript run through Playwright)."""

from __future__ import annotations

import functools
import re

from .conftest import AXE, DARK_BACKGROUND, Chart

# A point (viewport coordinates) where one of the named live marks of a figure is
# the topmost element, so moving the pointer there hovers that mark.  The centre
# of the mark's box is tried first, then a grid (for concave shapes such as countries).
POINT_ON_MARK = """([figure, names]) => {
  const svg = document.querySelector(figure + ' .chart-live svg');
  if (!svg) return null;
  for (const name of names) {
    const group = svg.querySelector('g.role-mark.' + CSS.escape(name));
    if (!group) continue;
    for (const mark of group.children) {
      const r = mark.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const tries = [[0.5, 0.5]];
      for (let i = 1; i < 6; i++) for (let j = 1; j < 6; j++) tries.push([i / 6, j / 6]);
      for (const [fx, fy] of tries) {
        const x = r.left + r.width * fx, y = r.top + r.height * fy;
        const hit = document.elementFromPoint(x, y);
        if (hit && (hit === mark || mark.contains(hit))) return {x, y, mark: name};
      }
    }
  }
  return null;
}"""

# The picture <img> that is displayed in each figure (light or dark, whichever CSS shows).
VISIBLE_PICTURES = """(root) => [...(root || document).querySelectorAll('figure.chart .chart-picture img')]
  .filter(img => img.getClientRects().length > 0)"""

PICTURES_LOADED = f"""(figure) => {{
  const imgs = ({VISIBLE_PICTURES})(document.querySelector(figure));
  return imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0);
}}"""

LIVE_BACKGROUND = """(figure) => {
  const svg = document.querySelector(figure + ' .chart-live svg');
  if (!svg) return null;
  const rect = svg.querySelector(':scope > rect.background, :scope > g > rect.background');
  const fill = rect && (rect.getAttribute('fill') || getComputedStyle(rect).fill);
  return fill || getComputedStyle(svg).backgroundColor;
}"""

AXE_RUN = """([within, rules]) => axe.run(within || document,
    {resultTypes: ['violations'], ...(rules ? {runOnly: {type: 'rule', values: rules}} : {})})
  .then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ') + ' -- ' + (n.failureSummary || '').split('\\n').slice(1).join(' ').trim())
})))"""


# Material eases colours in over 125 ms (links, the header): contrast measured in between, just
# after the palette switched, would be of the old text colour on the new background. And it
# grows its search box's width over 250 ms when the viewport crosses its breakpoint (resize).
NO_TRANSITION_RUNNING = "() => !document.getAnimations().some(a => a instanceof CSSTransition)"


def axe_violations(page, within: str | None = None, rules: list[str] | None = None) -> list[dict]:
    """What axe-core finds in the page as it has settled (no colour still easing in): in the
    whole document, or in the elements matching the selector ``within``; every rule, or ``rules``."""
    # Evaluated through DevTools: an added <script> tag would be an inline script, which the
    # page's Content-Security-Policy blocks. Once per document: a second check of the same
    # page (light, then dark) finds it there.
    if page.evaluate("() => typeof axe === 'undefined'"):
        page.evaluate(_axe_source())
    page.wait_for_function(NO_TRANSITION_RUNNING)
    return page.evaluate(AXE_RUN, [within, rules])


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def describe_violations(violations: list[dict], limit: int = 4) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        lines += [f"    {node[:220]}" for node in v["nodes"][:limit]]
    return "\n".join(lines)


def scroll_to(page, selector: str) -> None:
    page.eval_on_selector(selector, "el => el.scrollIntoView({block: 'center', behavior: 'instant'})")


def wait_live(page, chart: Chart) -> None:
    page.wait_for_selector(f"{chart.figure}[data-state=live] .chart-live svg", state="attached")


def wait_pictures(page, chart: Chart) -> None:
    scroll_to(page, chart.figure)
    page.wait_for_function(PICTURES_LOADED, arg=chart.figure)


# --------------------------------------------------------------------------- a reader, under the policy

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
        tab.page.add_init_script(RECORD_VIOLATIONS)
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
    """Each chart made live from the keyboard (Tab from its title), then a mark hovered: its tooltip,
    styled by site.css (vega-tooltip would otherwise inject a <style> element the policy blocks)."""
    for chart in charts:
        scroll_to(page, chart.figure)
        page.focus(f"{chart.figure} .chart-title")
        page.keyboard.press("Tab")
        assert page.evaluate("f => document.activeElement === document.querySelector(f + ' .chart-view')",
                             chart.figure), f"{chart.id}: Tab from the chart title does not reach the chart view"
        wait_live(page, chart)
        point = page.evaluate(POINT_ON_MARK, [chart.figure, list(chart.tooltip_marks)])
        assert point, f"{chart.id}: no live mark with a tooltip to hover"
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector(TOOLTIP, state="visible")
        assert page.inner_text("#vg-tooltip-element").strip(), f"{chart.id}: empty tooltip"
        assert page.evaluate("() => getComputedStyle(document.querySelector('#vg-tooltip-element')).position") \
            == "fixed", f"{chart.id}: the tooltip is unstyled"
        page.mouse.move(0, 0)


PALETTE_STATE = """() => ({
  url: location.href,
  scheme: document.body.getAttribute('data-md-color-scheme'),
  inputs: [...document.querySelectorAll('[data-md-component=palette] input')].map(i => `${i.id}:${i.checked}`),
  labels: [...document.querySelectorAll('[data-md-component=palette] label')].map(l => `${l.htmlFor}:${l.hidden}`),
  stored: __md_get('__palette'),
  bundle: [...document.scripts].some(s => /bundle\\.[0-9a-f]+\\.min\\.js/.test(s.src)),
  mounted: document.querySelector('meta[name=color-scheme]') !== null,
  active: document.activeElement && document.activeElement.outerHTML.slice(0, 120),
})"""


SLATE = "() => document.body.getAttribute('data-md-color-scheme') === 'slate'"


def resize(page, size) -> None:
    """The viewport set to ``size``, and the page left until its transitions have finished.

    Widened from a phone's width, the growing search box pushes the palette toggle some 50 px
    left. A click straight after that pressed the toggle and was released over the edition link,
    so the toggle never received it: both palette inputs stayed unchecked. Seen in
    test_a_reader_visit on pages with no chart, whose next act is that click."""
    page.set_viewport_size(size)
    page.wait_for_function(NO_TRANSITION_RUNNING)


def switch_to_dark(page, charts, tab=None) -> None:
    """The palette toggle clicked, as a reader clicks it, and every live chart redrawn dark.

    A click that does not take fails with the page's state (palette_state)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator('form[data-md-component="palette"] label:visible').click()
    try:
        page.wait_for_function(SLATE)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the palette did not switch to dark: {palette_state(page, tab)}") from error
    for chart in charts:  # each live view is drawn again from its dark spec
        page.wait_for_function(f"f => ['{DARK_BACKGROUND}', '#1e2129'].includes(({LIVE_BACKGROUND})(f))",
                               arg=chart.figure)


def palette_state(page, tab=None) -> str:
    """What the palette, Material and the page were in: for a failure that cannot be replayed."""
    errors = f"; page errors {tab.page_errors}, console errors {tab.console_errors}" if tab else ""
    return f"{page.evaluate(PALETTE_STATE)}{errors}"


def search(page) -> None:
    page.locator(".md-search__input").click()
    page.keyboard.type("Russia")
    page.wait_for_selector(".md-search-result__item", state="attached")
