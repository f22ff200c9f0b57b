"""`python build.py diff BASE --no-charts`: the reviewer's report of changed facts, on real git
history. (The chart pictures, which take a build of each side, are tests/test_chart_diff.py's.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from charts import CHARTS
from charts.registry import PLACEHOLDER
from conftest import copy_project


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def diff(repo: Path, base: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "diff", base, "--no-charts"], cwd=repo,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = copy_project(tmp_path_factory.mktemp("repo"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_exits_zero(repo):
    result = diff(repo, "HEAD")
    assert result.returncode == 0, result.stderr
    assert "No fact, event, source, annotation or scrolled sequence changed." in result.stdout


def test_changes_are_reported_with_what_they_touch(repo):
    destinations, crackdown, events, corrections = (
        repo / "data" / n for n in ("destinations.yaml", "crackdown.yaml", "events.yaml", "corrections.yaml"))
    page = repo / "docs" / "turning-point.md"
    saved = {p: p.read_text(encoding="utf-8") for p in (destinations, crackdown, events, corrections, page)}
    try:
        edit(destinations, "    value: 8000\n", "    value: 8100\n")
        # A qualifier change alone: the same number, now an upper bound.
        edit(crackdown, "    value: 10000\n    qualifier: about\n", "    value: 10000\n    qualifier: up_to\n")
        # An event removed: everything from its id to the next entry.
        text = events.read_text(encoding="utf-8")
        events.write_text(re.sub(r"  - id: tajikistan-travel-advisory\n(?:(?!  - id:).*\n)*", "", text),
                          encoding="utf-8")
        edit(corrections, ", tajikistan-travel-advisory]", "]")
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("{{ date: tajikistan-travel-advisory }}", "that spring"), encoding="utf-8")
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "edits")

        result = diff(repo, "HEAD~1")
        out = result.stdout
        assert result.returncode == 1, result.stderr
        # These edits redraw charts too; --no-charts leaves them out and builds no site.
        assert out.startswith("## Fact changes since `HEAD~1`") and "Charts that changed" not in out
        assert "2 changed, 0 added, 1 removed." in out
        assert "### Changed fact: `uk-quota-kg-2024` (UK quota for Kyrgyz workers)" in out
        assert "| value | 8,000 | 8,100 |" in out
        assert "| value | about 10,000 | up to 10,000 |" in out
        assert "| precision | approximate | upper bound |" in out
        assert "### Removed event: `tajikistan-travel-advisory`" in out
        block = out.split("`uk-quota-kg-2024`")[1].split("###")[0]
        showing = sorted(c.id for c in CHARTS.values() if "uk-quota-kg-2024" in c.fact_ids())
        assert len(showing) > 1 and "Charts: " + ", ".join(f"`{c}`" for c in showing) + "." in block
        assert "`other-markets.md`" in block and "`data-and-sources.md`" in block
        assert "`crackdown.md`" not in block
        removed = out.split("`tajikistan-travel-advisory`")[1]
        assert "Charts: `timeline`." in removed and "`timeline.md`" in removed

        # A folder works as BASE too: a checkout of the old commit.
        old = repo.parent / "old-checkout"
        git(repo, "worktree", "add", "-q", str(old), "HEAD~1")
        from_folder = diff(repo, str(old))
        assert from_folder.returncode == 1 and from_folder.stdout.replace(str(old), "HEAD~1") == out
    finally:
        for path, text in saved.items():
            path.write_text(text, encoding="utf-8")


def test_a_base_that_is_neither_ref_nor_folder_is_an_error(repo):
    result = diff(repo, "no-such-ref")
    assert result.returncode == 2
    assert "neither a folder nor a git revision" in result.stderr and "Traceback" not in result.stderr


ODD_NAMES = ("with space.yaml", "äöü.yaml", 'say "hi" \\ there.yml')


def odd_fact(fact_id: str, value: int) -> str:
    return (f"facts:\n  - id: {fact_id}\n    label: A fact in a file with an unusual name\n"
            f"    value: {value}\n    unit: workers\n    entities: [KG]\n    sources:\n"
            "      - {source: carnegie-politika-2025-10, locator: paragraph 20}\n"
            "    as_of: 2025-10\n    checked: 2026-11-25\n")


@pytest.fixture
def odd_repo(tmp_path) -> Path:
    """A repository whose data/ holds files named with a space, non-ASCII letters and quotes."""
    repo = copy_project(tmp_path / "odd")
    for number, name in enumerate(ODD_NAMES, start=1):
        (repo / "data" / name).write_text(odd_fact(f"odd-name-fact-{number}", 100 * number), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "odd names")
    # What ls-tree prints without -z, the form the old code split on whitespace.
    assert '"data/\\303\\244\\303\\266\\303\\274.yaml"' in git(repo, "ls-files", "data")
    return repo


def test_data_files_with_any_name_git_can_hold_are_compared(odd_repo):
    result = diff(odd_repo, "HEAD")
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert "No fact, event, source, annotation or scrolled sequence changed." in result.stdout

    edit(odd_repo / "data" / "äöü.yaml", "    value: 200\n", "    value: 250\n")
    (odd_repo / "data" / "with space.yaml").unlink()
    result = diff(odd_repo, "HEAD")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 changed, 0 added, 1 removed." in result.stdout
    assert "### Changed fact: `odd-name-fact-2`" in result.stdout and "| value | 200 | 250 |" in result.stdout
    assert "### Removed fact: `odd-name-fact-1`" in result.stdout
    assert "odd-name-fact-3" not in result.stdout


def test_a_link_in_the_base_is_refused_as_it_is_in_a_checkout(odd_repo):
    (odd_repo / "data" / "linked.yaml").symlink_to("sources.yaml")
    git(odd_repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(odd_repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a link")
    (odd_repo / "data" / "linked.yaml").unlink()
    result = diff(odd_repo, "HEAD")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "data/linked.yaml" in result.stderr and "symbolic link" in result.stderr


def test_a_base_that_looks_like_an_option_is_read_as_a_revision(repo):
    from facts.diff import load_base

    with pytest.raises(ValueError, match="neither a folder nor a git revision"):
        load_base("--output=not-written", repo)
    assert not (repo / "not-written").exists()


def test_an_annotation_or_a_step_changed_is_reported_with_what_it_reaches(tmp_path):
    """Words drawn on a chart and the scrolled sequence's steps are data too: a change to one is
    listed field by field, with the chart and the pages it reaches, as a fact's is."""
    from facts.diff import compare
    from facts.load import load_factbase
    from pages.reach import reach
    from pipeline import read_pages

    root = copy_project(tmp_path / "project")
    before = load_factbase(root / "data", root)
    pages, unreadable = read_pages(root / "docs", root)
    assert unreadable == []
    note = next(n for n in before.annotations.values() if n.chart == "timeline")
    scrolly = next(iter(before.scrollies.values()))
    events, story = root / "data" / "events.yaml", root / "data" / "story.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(note.text, note.text + " then"), encoding="utf-8")
    first = scrolly.steps[0].text.split()[0]
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace(f"- text: >-\n          {first} ", f"- text: >-\n          So {first.lower()} ", 1),
                     encoding="utf-8")
    after = load_factbase(root / "data", root)

    changes = {(c.kind, c.id): c for c in compare(before, after)}
    assert set(changes) == {("annotation", note.id), ("scrolly", scrolly.id)}
    assert changes[("annotation", note.id)].fields == (("text", note.text, note.text + " then"),)
    assert [name for name, _, _ in changes[("scrolly", scrolly.id)].fields] == ["step 1"]

    charts_shown, pages_shown = reach("annotation", note.id, after, pages)
    assert charts_shown == ["timeline"] and "timeline.md" in pages_shown
    placed = [src for src, text in pages.items() if f"{{{{ scrolly: {scrolly.id} }}}}" in text]
    assert placed and reach("scrolly", scrolly.id, after, pages) == ([], placed)
    # A fact only a step's words name still reaches the page that places the sequence.
    named = sorted({m["id"] for step in scrolly.steps for m in PLACEHOLDER.finditer(step.text)})
    assert all(set(placed) <= set(reach("fact", fact_id, after, pages)[1]) for fact_id in named)


def test_a_changed_translation_is_reported_like_a_label(tmp_path):
    """A reviewer sees the Russian change beside the English ones: 'label (ru)', before and after.
    (A copy with the Russian edition, whose check asks for the stamp to follow.)"""
    from conftest import with_russian_edition
    from facts.load import load_factbase
    from facts.translations import item_stamp

    repo = with_russian_edition(copy_project(tmp_path / "repo"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    data = repo / "data" / "destinations.yaml"
    old = "Квота Великобритании для работников из Кыргызстана"
    new = "Британская квота для работников из Кыргызстана"
    edit(data, f"label: {old}\n", f"label: {new}\n")
    # Only the Russian changed: the English stamp it follows still holds.
    fact = load_factbase(repo / "data", repo).fact("uk-quota-kg-2024")
    assert fact.ru.translated_from == item_stamp(fact)
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "russian")
    result = diff(repo, "HEAD~1")
    assert result.returncode == 1, result.stderr
    assert "### Changed fact: `uk-quota-kg-2024` (UK quota for Kyrgyz workers)" in result.stdout
    assert f"| label (ru) | {old} | {new} |" in result.stdout
