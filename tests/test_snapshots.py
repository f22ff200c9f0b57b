"""Golden snapshots: each small project in tests/snapshots/input/<case>/, built on the real code,
gives the files kept in tests/snapshots/output/<case>/ (as Observable Framework keeps
test/input/build/<case> beside test/output/build/<case>).

What is compared: each page's article (where the references are filled in), the chart's data,
Vega-Lite spec and light desktop picture, the downloads, the _headers policy and the list of
files the build writes outside the theme's assets. Nothing in that selection varies between
runs of one commit, so nothing is normalised: a page is cut down to its <article>, and that is all.

After an intended change to what the build writes, regenerate and review:

    .venv/bin/python -m pytest tests/test_snapshots.py --update-snapshots
    git diff tests/snapshots/output/
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from sites import SNAPSHOTS, fixture_site

CASES = sorted(p.name for p in (SNAPSHOTS / "input").iterdir() if p.is_dir())
UPDATE = "--update-snapshots"


def article(page: str) -> str:
    """The page's <article>: the content the build made, without the theme around it."""
    found = re.findall(r"<article\b.*?</article>", page, flags=re.S)
    assert len(found) == 1, "a page has one <article>"
    return found[0] + "\n"


def selected(site: Path) -> dict[str, str]:
    """Snapshot name -> text, for everything compared."""
    out = {}
    for page in sorted(site.rglob("index.html")):
        name = page.relative_to(site).as_posix()
        if not name.startswith("search/"):
            out[name] = article(page.read_text(encoding="utf-8"))
    chart_files = [*site.glob("charts/*.csv"), *site.glob("charts/*.vl.json"), *site.glob("charts/*.light.wide.svg")]
    for path in sorted([*chart_files, *site.glob("downloads/*"), site / "_headers"]):
        out[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    out["files.txt"] = "".join(f"{name}\n" for name in written
                               if not name.startswith("assets/") or name == "assets/stylesheets/breakpoints.css")
    return out


def stored(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def store(folder: Path, outputs: dict[str, str]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in outputs.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def readable_lines(text: str) -> list[str]:
    """Lines to show a difference by: HTML and SVG broken between tags, so a diff points at the element."""
    return re.sub(r">(?=<)", ">\n", text).splitlines(keepends=True)


def difference(name: str, expected: str | None, got: str | None) -> str:
    if expected is None:
        return f"{name}: built, but not in the snapshot"
    if got is None:
        return f"{name}: in the snapshot, but the build no longer writes it"
    return "".join(difflib.unified_diff(readable_lines(expected), readable_lines(got),
                                        f"snapshot/{name}", f"built/{name}", n=2))


@pytest.mark.parametrize("case", CASES)
def test_a_fixture_site_builds_as_its_snapshot(case, request):
    got, folder = selected(fixture_site(case).site), SNAPSHOTS / "output" / case
    if request.config.getoption(UPDATE):
        store(folder, got)
        return
    expected = stored(folder)
    assert expected, f"no snapshot in {folder}: run pytest {UPDATE}"
    differences = [difference(name, expected.get(name), got.get(name))
                   for name in sorted(expected.keys() | got.keys()) if expected.get(name) != got.get(name)]
    if differences:
        pytest.fail(f"the build of tests/snapshots/input/{case} differs from its snapshot. If the change is "
                    f"intended, run `pytest tests/test_snapshots.py {UPDATE}` and review git diff.\n\n"
                    + "\n".join(differences), pytrace=False)

