"""The worked examples in CONTRIBUTING.md (and the README's fact) run as tests, so they cannot drift.

Each fenced block is taken from the document as written: the facts it quotes must stand in
data/ as quoted, the output it shows must be what the command prints for the edit the prose
describes, and its chart must be the one the fixture site builds (tests/test_snapshots.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, with_russian_edition
from facts.load import load_factbase
from sites import SNAPSHOTS, assemble, real_site, run_build

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
README = ROOT / "README.md"


def fenced(doc: Path, language: str) -> list[str]:
    """The text of every ```language block in ``doc`` ("" for blocks that name no language)."""
    blocks, open_block = [], None   # open_block: (its language, its lines) while inside a fence
    for line in doc.read_text(encoding="utf-8").splitlines(keepends=True):
        fence = re.fullmatch(r" *```(\w*)\n?", line)
        if fence and open_block is None:
            open_block = (fence[1], [])
        elif fence and not fence[1]:
            if open_block[0] == language:
                blocks.append("".join(open_block[1]))
            open_block = None
        elif open_block is not None:
            open_block[1].append(line)
    assert open_block is None, f"{doc.name} ends inside a fenced block"
    return blocks


def dedent(block: str) -> str:
    """A block indented under a list item, as a file would hold it."""
    indent = min(len(line) - len(line.lstrip()) for line in block.splitlines() if line.strip())
    return "".join(line[indent:] if line.strip() else line for line in block.splitlines(keepends=True))


def shown(containing: str) -> list[str]:
    """The lines of the one output block (a fence with no language) that contains ``containing``."""
    [block] = [b for b in fenced(CONTRIBUTING, "") if containing in b]
    return dedent(block).splitlines()


def check_stderr(root: Path) -> list[str]:
    result = run_build(root, "--check", timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


# --- the facts ------------------------------------------------------------------------------------

def test_the_facts_contributing_shows_are_quoted_from_data():
    """"The fact is uk-quota-kg-2024 in data/destinations.yaml: ..." -- and it is, as shown."""
    data = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.yaml"))}
    blocks = fenced(CONTRIBUTING, "yaml")
    assert len(blocks) >= 2, "CONTRIBUTING.md shows the fact it updates and the fact it adds"
    for block in blocks:
        fact_id = re.search(r"- id: (\S+)", block)[1]
        assert any(block in text for text in data.values()), (
            f"CONTRIBUTING.md shows {fact_id} otherwise than data/ holds it:\n{block}")


def test_the_readmes_fact_is_a_valid_fact_file(tmp_path):
    """Every field the README's annotated fact uses is one the loader accepts, as written."""
    [block] = fenced(README, "yaml")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.yaml").write_bytes((ROOT / "data" / "sources.yaml").read_bytes())
    (tmp_path / "data" / "example.yaml").write_text(block, encoding="utf-8")
    base = load_factbase(tmp_path / "data", tmp_path)   # raises ProblemsFound, with the place, if not
    assert list(base.facts) == [re.search(r"- id: (\S+)", block)[1]]


def test_the_page_example_is_the_page_it_names():
    """"It is then used in docs/other-markets.md": the Markdown shown is in that page."""
    [block] = fenced(CONTRIBUTING, "markdown")
    page = (ROOT / "docs" / "other-markets.md").read_text(encoding="utf-8")
    assert " ".join(block.split()) in " ".join(page.split())


def test_the_page_example_reads_as_described():
    """"... where the build writes 'up to 1,000'", in the real site as built."""
    page = (real_site() / "other-markets" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="fact" href="[^"]*#fact-uk-quota-tj-2024"[^>]*>up to 1,000</a>', page)


# --- the commands and what they print ----------------------------------------------------------------

def test_check_passes_on_the_real_project_and_says_ok_as_shown(project_copy):
    """The real pages, data and charts pass, with the line CONTRIBUTING.md shows (its counts aside)."""
    [example] = re.findall(r"it prints `(ok: [^`]*)`", CONTRIBUTING.read_text(encoding="utf-8"))
    result = run_build(project_copy, "--check", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    pattern = re.sub(r"\d+", r"\\d+", re.escape(example))
    assert re.fullmatch(pattern, result.stdout.splitlines()[0]), (example, result.stdout)


def test_a_mistyped_value_is_reported_as_shown(project_copy):
    """"For example, typing `value: eight` gives:" the two lines shown, exactly."""
    expected = shown("expected a number")
    fact_id = re.search(r"\((\S+?)\)\.value", expected[0])[1]
    path = project_copy / expected[0].split(":", 1)[0]
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(rf"(- id: {fact_id}\n(?:    .*\n)*?    value: )\d+\n", r"\g<1>eight\n", text)
    assert count == 1
    path.write_text(edited, encoding="utf-8")
    assert check_stderr(project_copy) == expected


def test_a_mistyped_page_reference_is_reported_as_shown(project_copy):
    """"A mistyped reference in a page is reported the same way": the line shown, exactly."""
    [expected] = shown("unknown fact id")
    page, wrong, right = re.fullmatch(r"(\S+?):\d+:\d+: fact: unknown fact id '(\S+)'; did you mean '(\S+)'\?",
                                      expected).groups()
    path = project_copy / page
    path.write_text(path.read_text(encoding="utf-8").replace(f"{{{{ fact: {right} }}}}", f"{{{{ fact: {wrong} }}}}", 1),
                    encoding="utf-8")
    assert check_stderr(project_copy) == [expected, "1 problem found; nothing was built."]


def test_a_changed_english_label_is_reported_as_shown(project_copy):
    """"Change the English label above to ... and build.py --check says:" the line shown, exactly
    (in a copy with the Russian edition, whose translations the check asks for)."""
    [expected] = shown("it follows older English")
    with_russian_edition(project_copy)
    label = re.search(r'Change the English `label` above to "([^"]+)"', " ".join(CONTRIBUTING.read_text(
        encoding="utf-8").split()))[1]
    fact_id = re.search(r"facts\((\S+?)\)", expected)[1]
    path = project_copy / expected.split(":", 1)[0]
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(rf"(- id: {fact_id}\n    label: ).*\n", rf"\g<1>{label}\n", text)
    assert count == 1
    path.write_text(edited, encoding="utf-8")
    assert check_stderr(project_copy) == [expected, "1 problem found; nothing was built."]


# --- the chart ---------------------------------------------------------------------------------------

FIXTURE_CHART = SNAPSHOTS / "input" / "uk-quotas" / "charts" / "uk.py"


def test_the_chart_example_is_the_one_the_fixture_site_builds():
    """The example is built, drawn and compared by tests/test_snapshots.py, as charts/uk.py."""
    [block] = fenced(CONTRIBUTING, "python")
    assert block == FIXTURE_CHART.read_text(encoding="utf-8"), (
        f"CONTRIBUTING.md's chart and {FIXTURE_CHART.relative_to(ROOT)} differ: change both")


def test_a_chart_naming_an_unknown_fact_is_reported_as_shown(tmp_path):
    """"build.py --check reports any unknown id with the chart's file and line, e.g. ...\""""
    [example] = re.findall(r"e\.g\. `(charts/uk\.py:[^`]*?) …`", CONTRIBUTING.read_text(encoding="utf-8"))
    root = assemble("uk-quotas", tmp_path / "project")
    chart = root / "charts" / "uk.py"
    chart.write_text(chart.read_text(encoding="utf-8").replace('("uk-quota-tj-2024", "Tajikistan")',
                                                               '("uk-quota-tj-2042", "Tajikistan")'), encoding="utf-8")
    assert check_stderr(root)[0] == f"{example} 'uk-quota-tj-2042'"

