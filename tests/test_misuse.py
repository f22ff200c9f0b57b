"""A careless maintainer, a hostile contributor, a shared CI runner: nothing lost, nothing leaked,
no typo published, no traceback. One test (or a few) per class of misuse."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FACT, edit
from pages import csp
from pages.references import check_references
from sites import assemble


def run(project: Path, *args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the build replaces only what is its own ------------------------------------------------------

@pytest.mark.parametrize("target, expected", [
    (".", "would replace the project itself"),
    ("..", "would replace the project itself"),
    ("data", "is inside the project's data/ folder"),
    ("docs/assets", "is inside the project's docs/ folder"),
])
def test_site_dir_may_not_be_the_project_or_its_sources(project_copy, target, expected):
    before = snapshot(project_copy / "data")
    result = run(project_copy, "--site-dir", target)
    assert result.returncode == 2 and expected in result.stderr
    no_traceback(result)
    assert snapshot(project_copy / "data") == before


def test_a_folder_the_build_did_not_make_is_never_replaced(project_copy, tmp_path):
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    result = run(project_copy, "--site-dir", str(mine))
    assert result.returncode == 2 and "did not build (it has no .built-by-build-py)" in result.stderr
    assert (mine / "thesis.txt").read_text() == "years of work"
    link = tmp_path / "link"
    link.symlink_to(mine)
    assert "is a symbolic link" in run(project_copy, "--site-dir", str(link)).stderr


def test_a_cache_folder_the_build_did_not_make_is_never_pruned(project_copy, tmp_path):
    mine = tmp_path / "home"
    (mine / "notebooks" / "old-work").mkdir(parents=True)
    (mine / "charts").mkdir()
    result = run(project_copy, "--check", env={"BUILD_CACHE_DIR": str(mine)})
    assert result.returncode == 1
    assert f"$BUILD_CACHE_DIR: BUILD_CACHE_DIR: {mine}: is a folder the build did not make" in result.stderr
    assert (mine / "notebooks" / "old-work").is_dir()
    fresh = tmp_path / "fresh-cache"
    assert run(project_copy, "--check", env={"BUILD_CACHE_DIR": str(fresh)}).returncode == 0
    assert (fresh / ".build-cache").is_file()


def test_a_build_waits_for_another_build_of_the_same_site_and_leaves_its_staging_alone(project_copy, tmp_path):
    """Two containers sharing one volume cannot see each other's process ids; the lock is the file's."""
    site = tmp_path / "site"
    staging = tmp_path / ".site.building-other-container"
    staging.mkdir()
    (staging / "index.html").write_text("half a site")
    log = tmp_path / "build.log"
    with open(tmp_path / ".site.build-lock", "a+b") as lock, open(log, "w") as err:
        fcntl.flock(lock, fcntl.LOCK_EX)   # another build, elsewhere, is writing
        waiting = subprocess.Popen([sys.executable, "build.py", "--site-dir", str(site)], cwd=project_copy,
                                   stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + 120
            while "waiting for another build" not in log.read_text() and waiting.poll() is None:
                assert time.monotonic() < deadline, "the build neither waited nor ended"
                time.sleep(0.2)
            time.sleep(1)
            assert waiting.poll() is None, log.read_text()
            assert (staging / "index.html").read_text() == "half a site" and not site.exists()
        finally:
            waiting.kill()
            waiting.wait()


# --- only plain files inside the project are read -------------------------------------------------

def test_links_special_files_and_folders_named_like_pages_are_refused(project_copy, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nprivate notes\n")
    (project_copy / "docs" / "leak.md").symlink_to(secret)
    (project_copy / "docs" / "loop.md").symlink_to(project_copy / "docs" / "loop.md")
    (project_copy / "docs" / "gone.md").symlink_to(tmp_path / "nothing-here.md")
    (project_copy / "docs" / "folder.md").mkdir()
    os.mkfifo(project_copy / "docs" / "pipe.md")
    (project_copy / "data" / "extra.yaml").symlink_to("/dev/zero")
    result = run(project_copy, "--check", timeout=60)
    assert result.returncode == 1
    no_traceback(result)
    for name, what in [("docs/leak.md", "is a symbolic link"), ("docs/loop.md", "is a symbolic link"),
                       ("docs/gone.md", "is a symbolic link"), ("docs/folder.md", "is a folder named like a .md"),
                       ("docs/pipe.md", "is not a regular file"), ("data/extra.yaml", "is a symbolic link")]:
        assert f"{name}:1:1: {what}" in result.stderr, (name, result.stderr)


# --- typos that used to pass ------------------------------------------------------------------------

@pytest.mark.parametrize("written, read_as", [("010", "8"), ("0x10", "16"), ("1:30", "90"), ("0b11", "3"),
                                              ("017", "15"), ("1_000", "1000")])
def test_numbers_in_yaml_11s_other_forms_are_refused(problems_in, written, read_as):
    assert problems_in({"x.yaml": edit(FACT, "value: 40", f"value: {written}")}) == [
        f"data/x.yaml:4:12: '{written}' is not a plain decimal number (YAML would read it as {read_as}); write "
        "digits such as 2000, 40 or 1.5, or quote it if it is text"]


def test_hidden_and_direction_changing_characters_are_refused(problems_in):
    assert problems_in({"x.yaml": edit(FACT, "label: A fact", "label: A \u202efact")}) == [
        "data/x.yaml:3:12: invisible or direction-changing character U+202E (RIGHT-TO-LEFT OVERRIDE) in the text; "
        "delete it"]
    assert problems_in({"x.yaml": edit(FACT, "label: A fact", "label: A\u200bfact")})[0].endswith(
        "U+200B (ZERO WIDTH SPACE) in the text; delete it")


def test_what_cannot_be_true_is_refused(problems_in):
    assert problems_in({"x.yaml": edit(FACT, "value: 40", "value: -40")}) == [
        "data/x.yaml:4:5: facts[0](a-fact).value: value is -40; a count of workers or a sum of money cannot be "
        "negative"]
    assert problems_in({"x.yaml": edit(FACT, "checked: 2025-11-01", "checked: 2999-01-01")}) == [
        "data/x.yaml:11:5: facts[0](a-fact).checked: 2999-01-01 is in the future; expected the day it was "
        "checked, today or earlier"]
    assert problems_in({"x.yaml": edit(FACT, "value: 40", "value: 0.0000001")}) == [
        "data/x.yaml:4:5: facts[0](a-fact).value: 1e-07 has more than 6 decimals, so the site would show it as 0; "
        "round it, or use a unit that needs fewer"]


def test_every_problem_of_one_file_is_reported_together(problems_in):
    text = edit(edit(FACT, "value: 40", "value: 010"), "label: A fact", "label: A \u202efact")
    text = edit(text, "checked: 2025-11-01", "checked: 2999-01-01")
    assert [line.split(": ", 1)[0] for line in problems_in({"x.yaml": text})] == [
        "data/x.yaml:3:12", "data/x.yaml:4:12", "data/x.yaml:11:5"]


@pytest.mark.parametrize("page, column", [
    ("See {{ fact: a-fact } here.", 5),
    ("See { fact: a-fact }} here.", 5),
    ("See {fact: a-fact} here.", 5),
    ("See {{ fact: a-fact here.", 5),
])
def test_malformed_references_are_reported_with_their_place(page, column):
    problems = check_references(page, "docs/p.md", {"fact": {"a-fact"}})
    assert problems and problems[0].line == 1 and problems[0].column == column, problems


def test_markdown_attribute_lists_are_not_mistaken_for_references():
    assert check_references("Cards\n{ .grid }\n\n## Title {: #anchor }\n", "docs/p.md", {}) == []


def test_data_and_page_problems_are_reported_in_one_run(project_copy):
    destinations = project_copy / "data" / "destinations.yaml"
    destinations.write_text(destinations.read_text().replace("value: 8000\n", "value: eight\n", 1))
    about = project_copy / "docs" / "about.md"
    about.write_text(about.read_text() + "\n{{ fact: no-such-fact }} and {{ chart: no-such-chart }}\n")
    result = run(project_copy, "--check")
    assert result.returncode == 1
    assert "data/destinations.yaml" in result.stderr and "value: expected a number" in result.stderr
    assert "unknown fact id 'no-such-fact'" in result.stderr and "unknown chart id 'no-such-chart'" in result.stderr


def test_every_generator_warning_fails_the_build_and_is_shown(tmp_path):
    """On the small fixture site (tests/snapshots/input/uk-quotas): any site shows it, and this one builds fast."""
    root = assemble("uk-quotas", tmp_path / "project")
    page = root / "docs" / "index.md"
    page.write_text(page.read_text() + "\nSee [the missing page](missing.md).\n")
    result = run(root, "--site-dir", str(tmp_path / "site"), env={"BUILD_CACHE_DIR": ""}, timeout=600)
    assert result.returncode == 1
    assert "missing.md" in result.stderr and "WARNING" in result.stderr
    assert not (tmp_path / "site").exists()
    assert "INFO" not in result.stderr, "progress messages are not shown, warnings are"


# --- settings with bad values -----------------------------------------------------------------------

@pytest.mark.parametrize("args, env, expected", [
    (["--check"], {"FACTS_STALE_AFTER_DAYS": "a year"}, "$FACTS_STALE_AFTER_DAYS: FACTS_STALE_AFTER_DAYS: is 'a year'"),
    (["--check"], {"SOURCE_DATE_EPOCH": "yesterday"}, "$SOURCE_DATE_EPOCH is 'yesterday'"),
    (["--check", "--stale-after", "-5"], {}, "--stale-after: expected a whole number of days"),
    (["--check"], {"BUILD_CACHE_DIR": "/dev/null"}, "BUILD_CACHE_DIR: /dev/null: is not a folder"),
])
def test_bad_settings_get_a_message_naming_them(project_copy, args, env, expected):
    result = run(project_copy, *args, env=env)
    assert result.returncode in (1, 2) and expected in result.stderr, result.stderr
    no_traceback(result)


# --- the notebook page trusts only its template's scripts ---------------------------------------------

def test_a_script_in_a_notebook_cell_gets_no_hash():
    template_script = "console.log('copy buttons')"
    cell_script = "window.__pwned=1"
    content = (f"<script>{template_script}</script><style>.jp-x{{}}</style>"
               f'<div class="jp-Cell jp-MarkdownCell"><script>{cell_script}</script>'
               f"<style>.table{{}}</style></div>")
    page = f"<html><head><title>t</title></head><body>{content}</body></html>"
    policy = csp.parse(csp.add_policy(page, csp.notebook_cells(content), styled_content=True)
                       .split('content="')[1].split('"')[0])
    assert csp.sha256(template_script) in policy["script-src"]
    assert csp.sha256(cell_script) not in policy["script-src"]
    assert csp.sha256(".table{}") in policy["style-src"]

