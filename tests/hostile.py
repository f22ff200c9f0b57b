"""A copy of the project whose data/ holds HTML, script and Markdown tricks in every text field.

Nothing a maintainer types into data/ may reach a reader as code (issue 6). The hostile
site is built once per test run (``hostile_build()``), so the HTML, download and browser
tests share one build, whichever pytest-xdist workers run them. Every script payload sets ``window.__pwned``, so a
browser test can tell if one ever ran, whichever way it got in.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from conftest import copy_project
from facts.load import _Loader
from sites import shared

MARK = "window.__pwned=1"

# Each is a way text has turned into code somewhere: raw HTML, attribute break-outs, the
# Markdown that pages are written in (links, images, attr_list, code spans), the page
# reference syntax, CDATA/comment/raw-text ends, and spreadsheet formulas.
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f'"><svg onload={MARK}>',
    f"'><svg/onload={MARK}>",
    f"[click](javascript:{MARK})",
    f'<a href="javascript:{MARK}">link</a>',
    f'![x](x" onerror="{MARK})',
    f'*em*{{: onclick="{MARK}"}} `tick` _u_',
    f"[x](onmouseover={MARK}//)",
    "{{ fact: uk-quota-kg-2024 }} {{ chart: map }}",
    f"</textarea></title></style><script>{MARK}</script>",
    "]]> <!-- --> &lt;b&gt; &amp;",
    '=HYPERLINK("https://example.org","x")',
    f"<https://example.org> javascript:{MARK}",
    "@SUM(1+1) | a | \\*b\\*",
    f"+cmd|' /C calc'!A0 <iframe src=javascript:{MARK}>",
    f"-2+3 <details open ontoggle={MARK}>",
]
# Long fields may hold several lines; a blank line must not end an HTML block either.
MULTILINE = f"first line\n\n[y](javascript:{MARK})\n\n# heading\n\n<script>{MARK}</script>"
# The shape the schema allows (https, no spaces, quotes or angle brackets), with Markdown in it.
HOSTILE_URL = "https://example.org/a_b_*c*/[x](javascript:alert)/`t`?q='onmouseover=alert(1)//"
BAD_URL = f"javascript:{MARK}"

SCRIPT = PAYLOADS[0]   # looked for as visible text on pages and in tooltips
# Cited in every tooltip and table, and here also in a page's <h1> (so its <title>) and in
# the first paragraph (so its description and link-preview tags): out of each, if it can.
SOURCE_TITLE = f'S "></title><script>{MARK}</script>'
# A page of our own, outside the nav, whose heading and first paragraph are made from data/.
TITLE_PAGE = ("hostile-title.md", "# Cited: {{ source: %s }}\n\n"
              "{{ source: %s }} is the source this page cites, to show how its title is escaped.\n")


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def _load(path: Path) -> dict:
    # The project's own loader: dates stay text, and a country code such as NO stays a string.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def make_hostile(root: Path) -> None:
    """Put payloads into every text field of every data file in the project copy at ``root``."""
    n = 0
    for path in sorted((root / "data").glob("*.yaml")):
        data = _load(path)
        for source in data.get("sources", []):
            source.update(title=SOURCE_TITLE, publisher=f"P {payload(n)}", note=MULTILINE, url=HOSTILE_URL)
            n += 1
        for fact in data.get("facts", []):
            # Labels are short (at most 120) and name bars, so each stays unique.
            fact["label"] = f"F{n} {payload(n)}"
            fact["note"] = f"{payload(n + 1)} {MULTILINE}"
            for citation in fact["sources"]:
                citation["locator"] = f"L {payload(n + 2)}"
                if "says" in citation:
                    citation["says"] = f"S {payload(n)} {MULTILINE}"
            if "period_text" in fact:
                fact["period_text"] = f"T{n} {payload(n + 1)}"[:120]
            n += 3
        for event in data.get("events", []):
            event.update(title=f"E{n} {payload(n)}", description=f"{payload(n + 1)} {MULTILINE}",
                         place=f"{payload(n + 2)}")
            for citation in event["sources"]:
                citation["locator"] = f"L {payload(n + 3)}"
                if "says" in citation:
                    citation["says"] = f"S {payload(n + 2)}"
            n += 4
        for term in data.get("glossary", []):
            # The term's name is shown where a page links it, so it must stay short and unique.
            term.update(term=f"G{n} {payload(n)}"[:120], definition=f"{payload(n + 1)} {MULTILINE}")
            n += 2
        for fix in data.get("corrections", []):
            fix.update(summary=f"C{n} {payload(n)}", reason=f"{payload(n + 1)} {MULTILINE}")
            n += 2
        _dump(path, data)
    assert n >= 3 * len(PAYLOADS), "too few text fields to carry every payload"
    source_id = _load(root / "data" / "sources.yaml")["sources"][0]["id"]
    name, text = TITLE_PAGE
    (root / "docs" / name).write_text(text % (source_id, source_id), encoding="utf-8")


def build(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "--site-dir", str(site_dir)], cwd=root,
                          capture_output=True, text=True, timeout=600)


@dataclass(frozen=True)
class HostileBuild:
    root: Path   # the project copy, with the hostile data/
    site: Path   # what it built


def hostile_build() -> HostileBuild:
    """The hostile copy of the project and its built site, made once per test run (tests/sites.py)."""

    def make(folder: Path) -> None:
        root = copy_project(folder / "project")
        make_hostile(root)
        result = build(root, folder / "site")
        assert result.returncode == 0, f"the hostile build failed:\n{result.stdout}\n{result.stderr}"

    folder = shared("hostile", make)
    return HostileBuild(folder / "project", folder / "site")
