"""The site's Content-Security-Policy: one <meta> tag per page, and the same as a header.

Everything the site loads comes from the site itself, and nothing is ever eval'd (the
chart runtime evaluates Vega expressions with vega-interpreter). Inline scripts and
<style> elements run only if the policy names their SHA-256 hash, and each page's
policy names exactly the ones that page carries, computed from its final HTML.

Story pages need the theme's three small inline scripts (Material's ``__md_get``
storage helpers, the saved colour palette, the content-tab anchor) and no inline
style. The notebook page also needs mkdocs-jupyter's copy-button script and its
stylesheets, which it inlines as <style> elements.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

# Each directive and why. Pages add their hashes to script-src and style-src.
POLICY = {
    # Anything not named below: this site only.
    "default-src": "'self'",
    # The site's own scripts. No 'unsafe-eval': Vega runs with vega-interpreter.
    "script-src": "'self'",
    # The site's stylesheets. No 'unsafe-inline': no page has a style="" attribute, and
    # scripts (Material, Vega, vega-tooltip) set styles through the CSSOM, which CSP allows.
    "style-src": "'self'",
    # data: for the icons Material's CSS draws as SVG data URLs, and the notebook's chart outputs.
    "img-src": "'self' data:",
    "font-src": "'self'",
    # fetch(): the charts' Vega specs.
    "connect-src": "'self'",
    # Material's search runs in a web worker served by the site.
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Browsers ignore these in a <meta> tag; only the header (_headers) carries them.
HEADER_ONLY = {
    # No other site may show these pages in a frame.
    "frame-ancestors": "'none'",
}

# <script> types a browser runs; any other (application/json, text/x-mathjax-config) is data.
JAVASCRIPT = re.compile(r"^(|module|(text|application)/(x-)?(java|ecma)script)$", re.I)
# The policy goes first in <head>, after a leading <meta charset> (which must stay near the top).
HEAD = re.compile(r"<head\b[^>]*>\s*(?:<meta charset=[^>]*>)?", re.I)
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha256(text: str) -> str:
    """The CSP source for an inline script's or style's text (line breaks as the browser parses them)."""
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return f"'sha256-{base64.b64encode(hashlib.sha256(data).digest()).decode()}'"


class _Inline(HTMLParser):
    """Collects the text of inline executable <script> and <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and JAVASCRIPT.match((attrs.get("type") or "").strip()):
            self._into = self.scripts
        elif tag == "style":
            self._into = self.styles
        else:
            return
        self._into.append("")

    def handle_data(self, data):
        if self._into is not None:
            self._into[-1] += data

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._into = None


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """The hashes of ``html``'s inline scripts and of its <style> elements, each in page order."""
    parser = _Inline()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(map(sha256, parser.scripts))), list(dict.fromkeys(map(sha256, parser.styles)))


def policy(scripts: Iterable[str] = (), styles: Iterable[str] = (), header: bool = False) -> str:
    """The policy text, with these hashes; ``header`` adds what only works in a header."""
    directives = {**POLICY, **(HEADER_ONLY if header else {})}
    directives["script-src"] = " ".join([directives["script-src"], *scripts])
    directives["style-src"] = " ".join([directives["style-src"], *styles])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def notebook_cells(content: str) -> str:
    """The part of a converted notebook that comes from its cells: from the first cell to the end.
    What comes before it is the converter's template (copy buttons, styles), which gets hashes."""
    first = content.find('<div class="jp-Cell')
    return content[first:] if first >= 0 else content


_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.DOTALL)


def article(html: str) -> str:
    """A built Material page's content: what its <article> holds (made from Markdown and data/).
    For adding a policy after the generator has run, when its page object is gone."""
    match = _ARTICLE.search(html)
    return match.group(1) if match else ""


def add_policy(html: str, content: str = "", styled_content: bool = False) -> str:
    """``html`` with its policy as the first thing in <head>, before any script.

    Inline scripts and styles inside ``content`` (the page's body as built from Markdown
    and data/, which needs none) get no hash: one that slipped in from the data stays blocked.
    With ``styled_content``, the content's <style> elements do get hashes (a notebook's table
    outputs are styled by the project's own code); its scripts still do not.
    """
    head = HEAD.search(html)
    if not head:
        raise ValueError("page has no <head>")
    first_script = html.find("<script")
    if 0 <= first_script < head.end():
        raise ValueError("a <script> comes before the policy could")
    scripts, styles = inline_hashes(html.replace(content, "", 1) if content else html)
    if styled_content:
        styles = inline_hashes(html)[1]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles)}">'
    return html[:head.end()] + meta + html[head.end():]


def parse(text: str) -> dict[str, list[str]]:
    """A policy's directives: {"script-src": ["'self'", "'sha256-…'"], …}."""
    return {name: sources for name, *sources in (d.split() for d in text.split(";") if d.strip())}


def framable(path: str) -> bool:
    """Whether other sites may show a page in a frame: only the chart embed views, in any edition."""
    from pages.chart_pages import is_embed
    from pages.editions import without_edition

    return is_embed(without_edition(path))


def write_headers(site_dir: Path, framable: Callable[[str], bool] = lambda page: False) -> Path:
    """``site_dir/_headers`` (Netlify, Cloudflare Pages): every page's policy in one header.

    A header applies to every path, so it names every page's hashes; each page's own
    <meta> policy, which browsers enforce as well, still allows only that page's.

    ``framable`` says which pages (by their path in the site: 'charts/map/embed/index.html') other
    sites may show in a frame; every other page keeps frame-ancestors 'none'. Where several rules
    match a path, Cloudflare Pages sends them all (and a browser enforces every policy) while Netlify
    sends the last, so the rules must agree: the rule for every path then says nothing of frames,
    and each page that may not be framed gets a rule of its own, the same policy with frame-ancestors.
    """
    scripts, styles = {}, {}
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        for found in META.findall(page.read_text(encoding="utf-8")):
            directives = parse(found)
            scripts.update(dict.fromkeys(s for s in directives["script-src"] if s.startswith("'sha")))
            styles.update(dict.fromkeys(s for s in directives["style-src"] if s.startswith("'sha")))
    paths = [page.relative_to(site_dir).as_posix() for page in pages]
    lines = ["# Written by the build (pages/csp.py): each page also carries its own policy in a <meta> tag."]
    if not any(framable(path) for path in paths):
        lines += ["/*", f"  Content-Security-Policy: {policy(scripts, styles, header=True)}"]
    else:
        lines += ["/*", f"  Content-Security-Policy: {policy(scripts, styles)}"]
        for path in paths:
            if not framable(path):
                lines += [served_at(path), f"  Content-Security-Policy: {policy(scripts, styles, header=True)}"]
    path = site_dir / "_headers"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def served_at(page: str) -> str:
    """The address a built page is requested at: 'a/index.html' -> '/a/', '404.html' -> '/404.html'."""
    return "/" + (page.removesuffix("index.html") if page == "index.html" or page.endswith("/index.html") else page)
