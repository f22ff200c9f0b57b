"""End to end: `python build.py` in a copy of a project, as a maintainer runs it.

The value-change and failure tests use the small fixture site (tests/snapshots/input/uk-quotas:
three facts, CONTRIBUTING.md's chart, two pages), copied with its site as built once for the
whole run (tests/sites.py), so they do not depend on prose that others are editing and need no
build of their own before they start. A chart that cannot draw a real fact uses the real project.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sites import fixture_site, run_build, warm_cache

FACT_ID = "uk-quota-kg-2024"
DATA_FILE = "data/uk.yaml"
CHART = "uk-quotas"


def run(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run_build(root, *args, env=env, timeout=300)


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


def fact_rows(node) -> list[dict]:
    """Every inline data row in a Vega-Lite spec that stands for FACT_ID."""
    found = []
    if isinstance(node, dict):
        if node.get("fact") == FACT_ID:
            found.append(node)
        for child in node.values():
            found += fact_rows(child)
    elif isinstance(node, list):
        for child in node:
            found += fact_rows(child)
    return found


def shows(number: str, text: str) -> bool:
    """Whether '8,000' stands in text as a number of its own (not inside 18,000 or 8,000.5)."""
    return re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,]|\.\d)", text) is not None


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the fixture project, with the site built from it in its site/."""
    built = fixture_site("uk-quotas")
    root = tmp_path_factory.mktemp("e2e") / "project"
    shutil.copytree(built.project, root, symlinks=True)
    shutil.copytree(built.site, root / "site")
    return root


@pytest.fixture
def data_file(project):
    """The fixture's data file in the copy, put back as it was after the test."""
    path = project / DATA_FILE
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")


def test_build_makes_pages_and_chart_files(project):
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<a class="fact" href="data-and-sources/#fact-{FACT_ID}" title="[^"]*" '
                     rf'data-source="https://[^"]*">8,000</a>', home)
    assert f'id="chart-{CHART}"' in home and f'src="charts/{CHART}.light.wide.svg"' in home
    table = (site / "data-and-sources" / "index.html").read_text(encoding="utf-8")
    assert f'<tr id="fact-{FACT_ID}">' in table
    for ext in ("vl.json", "svg", "csv", "png", "light.wide.vg.json", "dark.narrow.vg.json", "light.wide.svg",
                "light.narrow.svg", "dark.wide.svg", "dark.narrow.svg"):
        assert (site / "charts" / f"{CHART}.{ext}").stat().st_size > 0
    assert 'src="assets/javascripts/charts.js"' in home, "a page with a chart loads the chart loader"
    assert "charts.js" not in table, "a page without a chart does not"
    for page in site.rglob("*.html"):
        assert "{{" not in page.read_text(encoding="utf-8"), f"a reference was left in {page}"
    assert not list(project.glob(".site.building-*")), "the staging folder was removed"


def _bad_value(text: str) -> tuple[str, str]:
    new = text.replace("value: 8000", "value: eight thousand", 1)
    lines = new.splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if ln == "    value: eight thousand")
    index = sum(1 for ln in lines[:line] if ln.startswith("  - id: ")) - 1
    return new, (f"{DATA_FILE}:{line}:5: facts[{index}]({FACT_ID}).value: expected a number, "
                 f"got 'eight thousand' (text)")


def _bad_syntax(text: str) -> tuple[str, str]:
    old = "label: UK quota for Kyrgyz workers"
    new = text.replace(old, "label: UK quota: for Kyrgyz workers", 1)
    lines = new.splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if "UK quota: for" in ln)
    column = lines[line - 1].index("quota:") + len("quota") + 1
    return new, (f"{DATA_FILE}:{line}:{column}: YAML syntax error: mapping values are not allowed in this context "
                 "(a value holding a colon and a space must be quoted; or is this line indented more than the one "
                 "above?)")


@pytest.mark.parametrize("break_it", [_bad_value, _bad_syntax], ids=["wrong-type", "syntax-error"])
def test_bad_yaml_stops_check_and_build_and_keeps_the_site(project, data_file, break_it):
    site = project / "site"
    before = snapshot(site)
    assert before, "the fixture built a site"
    text = data_file.read_text(encoding="utf-8")
    assert text.count("value: 8000") == 1
    broken, expected = break_it(text)
    assert broken != text
    data_file.write_text(broken, encoding="utf-8")

    for args in (["--check"], []):  # [] builds into the default site/, which the fixture built
        result = run(project, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [expected, "1 problem found; nothing was built."], args
        assert "Traceback" not in result.stdout + result.stderr
        assert "built" not in result.stdout

    assert snapshot(site) == before, "a failed build left site/ exactly as it was"
    assert not list(project.glob(".site.building-*")) and not (project / "site.old").exists()


def test_bad_page_reference_stops_the_build(project):
    page = project / "docs" / "index.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original.replace(f"{{{{ chart: {CHART} }}}}", "{{ chart: uk-quota }}"), encoding="utf-8")
        result = run(project, "--check")
    finally:
        page.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    line = 1 + original[:original.index("{{ chart:")].count("\n")
    assert result.stderr.splitlines() == [
        f"docs/index.md:{line}:1: chart: unknown chart id 'uk-quota'; did you mean '{CHART}'?",
        "1 problem found; nothing was built."]


def test_a_fact_a_chart_cannot_draw_stops_check_and_build(project_copy, tmp_path):
    """Valid data a chart's code cannot use (Russia's share above the total) is a problem at
    the fact's line, from --check and from the build, never a traceback from chart code; the
    build fails while drawing, after its check passed, and still leaves the site as it was."""
    data = project_copy / "data" / "remittances.yaml"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "- id: uz-remittances-from-russia-2024")
    value = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("value:"))
    lines[value] = "    value: 99000000000\n"
    data.write_text("".join(lines), encoding="utf-8")
    site = project_copy / "site"   # a site an earlier build made
    site.mkdir()
    (site / "index.html").write_text("the published site", encoding="utf-8")
    (site / ".built-by-build-py").write_text("built", encoding="utf-8")
    before = snapshot(site)
    cache = str(warm_cache(tmp_path / "cache"))
    for result in (run(project_copy, "--check", BUILD_CACHE_DIR=cache), run(project_copy, BUILD_CACHE_DIR=cache)):
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert re.search(rf"data/remittances.yaml:{start + 1}:\d+: chart uzbekistan-remittances-origin: "
                         r"cannot draw fact uz-remittances-from-russia-2024: it is more than the total",
                         result.stderr), result.stderr
    assert snapshot(site) == before


def test_changed_value_reaches_page_spec_svg_and_csv(project, data_file):
    site = project / "site"
    page, table = site / "index.html", site / "data-and-sources" / "index.html"
    spec, svg, csv_file = (site / "charts" / f"{CHART}.{ext}" for ext in ("vl.json", "svg", "csv"))

    def csv_row() -> dict[str, str]:
        [row] = [r for r in csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))) if r["fact"] == FACT_ID]
        return row

    def table_row() -> str:
        return re.search(rf'<tr id="fact-{FACT_ID}">.*?</tr>', table.read_text(encoding="utf-8")).group(0)

    # Before: the built site shows the value in data/.
    assert shows("8,000", page.read_text(encoding="utf-8"))
    assert [(r["value"], r["shown"]) for r in fact_rows(json.loads(spec.read_text()))] == [(8000, "8,000")]
    assert "Value: 8,000" in svg.read_text(encoding="utf-8")
    assert (csv_row()["value"], csv_row()["shown"]) == ("8000", "8,000")
    assert "<td>8,000</td>" in table_row()

    text = data_file.read_text(encoding="utf-8")
    new, count = re.subn(rf"(- id: {FACT_ID}\n(?:    .*\n)*?    value: )8000\n", r"\g<1>8100\n", text)
    assert count == 1
    data_file.write_text(new, encoding="utf-8")
    result = run(project, "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr

    html_page = page.read_text(encoding="utf-8")
    assert re.search(rf'href="data-and-sources/#fact-{FACT_ID}" title="[^"]*" '
                     rf'data-source="https://[^"]*">8,100</a>', html_page)
    assert shows("8,100", html_page) and not shows("8,000", html_page)
    assert "<td>8,100</td>" in table_row() and "8,000" not in table_row()

    spec_text = spec.read_text(encoding="utf-8")
    assert [(r["value"], r["shown"]) for r in fact_rows(json.loads(spec_text))] == [(8100, "8,100")]
    assert '"8,000"' not in spec_text and "8000" not in spec_text

    # Pictures: every mark's label says the new value (8,000 may stay as an axis tick).
    for variant in ("svg", "light.wide.svg", "dark.narrow.svg", "light.narrow.svg", "dark.wide.svg"):
        text = (site / "charts" / f"{CHART}.{variant}").read_text(encoding="utf-8")
        assert "Value: 8,100" in text and "Value: 8,000" not in text, variant
    for variant in ("light.wide.vg.json", "dark.narrow.vg.json"):
        text = (site / "charts" / f"{CHART}.{variant}").read_text(encoding="utf-8")
        assert "8,100" in text and "8,000" not in text, variant

    row = csv_row()
    assert (row["value"], row["shown"]) == ("8100", "8,100")
    assert "8000" not in csv_file.read_text(encoding="utf-8") and "8,000" not in csv_file.read_text(encoding="utf-8")
