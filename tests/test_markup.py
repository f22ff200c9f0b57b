"""Every page of the built site is valid HTML, by the W3C Nu Html Checker (npm ``vnu-jar``, run on Java).

The markup the project writes must have no error at all. The errors that remain come from Material
for MkDocs and mkdocs-jupyter, in templates this project does not override; each is allowed below by
its message, on the pages it occurs on, with the reason, so that a new one (ours or theirs) fails.

Needs ``java`` (Debian's ``default-jre-headless``, which .ci/run installs) and ``node_modules``
(``npm ci``, which ``bash scripts/dev test`` runs). Without them the test is skipped with the reason,
unless ``CI`` is set: CI must run it, so there it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sites import real_site

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message pattern, pages it may occur on, why it is not fixed here)
ALLOWED = [
    (r"Attribute “autocomplete” is only allowed when the input type is", r".*",
     "Material's base.html puts autocomplete=off on its drawer and search toggles (checkboxes), outside any "
     "block an override can replace; browsers use it to keep a toggle from being restored on reload"),
    (r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     r"(ru/)?charts/[^/]+/index\.html",
     "Material's table of contents labels a toggle it leaves out on a page outside the navigation"),
    (r"CSS: |A “style” element in “body” must be the first child|“clipboard-copy” element|"
     r"Bad value “” for attribute “src” on element “script”", r"(ru/)?explore/index\.html",
     "mkdocs-jupyter's notebook markup: its bundled Jupyter stylesheet, copy buttons and script tags"),
]


def why_unavailable() -> str | None:
    if not shutil.which("java"):
        return "java not found (apt-get install default-jre-headless); the HTML checker cannot run"
    if not VNU.is_file():
        return f"{VNU.relative_to(ROOT)} not found; run `npm ci` (bash scripts/dev test does)"
    return None


def allowed(page: str, message: str) -> bool:
    return any(re.search(pattern, message) and re.fullmatch(pages, page) for pattern, pages, _ in ALLOWED)


def check(site: Path) -> list[tuple[str, str]]:
    """(page, "line N: message") for every error the checker reports in the site's HTML pages."""
    pages = sorted(site.rglob("*.html"))
    result = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr)   # vnu writes its report to stderr; exit 1 when there are errors
    return [(Path(m["url"].removeprefix("file:")).relative_to(site).as_posix(),
             f"line {m.get('lastLine', '?')}: {m['message']}") for m in report["messages"]]


def test_the_checker_reports_an_error_it_is_shown(tmp_path):
    """The check sees errors, and the allowed list lets only Material's and mkdocs-jupyter's through."""
    if reason := why_unavailable():
        pytest.fail(f"CI is set but {reason}") if os.environ.get("CI") else pytest.skip(reason)
    page = tmp_path / "page" / "index.html"
    page.parent.mkdir()
    page.write_text('<!doctype html><html lang="en"><head><title>t</title></head><body>'
                    '<div aria-label="not allowed here">x</div></body></html>', encoding="utf-8")
    errors = check(tmp_path)
    assert len(errors) == 1 and errors[0][0] == "page/index.html" and "aria-label" in errors[0][1], errors
    assert not allowed(*errors[0])


def test_every_page_is_valid_html_but_for_the_generators_known_errors():
    if reason := why_unavailable():
        pytest.fail(f"CI is set but {reason}") if os.environ.get("CI") else pytest.skip(reason)
    errors = check(real_site())
    ours = [f"{page}: {message}" for page, message in errors if not allowed(page, message)]
    assert ours == [], "HTML errors:\n" + "\n".join(ours)
    # An allowance nothing needs any more (the generator fixed it) goes, so it cannot hide a new error.
    unused = [why for pattern, pages, why in ALLOWED
              if not any(re.search(pattern, m) and re.fullmatch(pages, page) for page, m in errors)]
    assert unused == [], "allowed errors that no page has any more; remove them from ALLOWED:\n" + "\n".join(unused)
