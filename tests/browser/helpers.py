"""Small in-page helpers shared by the browser tests (JavaScript run through Playwright)."""

from __future__ import annotations

from .conftest import AXE, Chart

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

AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ') + ' -- ' + (n.failureSummary || '').split('\\n').slice(1).join(' ').trim())
})))"""


def axe_violations(page) -> list[dict]:
    # Evaluated through DevTools: an added <script> tag would be an inline script, which the
    # page's Content-Security-Policy blocks.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


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
