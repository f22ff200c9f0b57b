"""The built site as files: the same commit gives the same bytes, site/ is never half-written, and
a one-fact edit redraws only the charts that show that fact.

These build the real project (pages, charts and the notebook) in a copy, each build a fresh
`build.py` process, as a maintainer or CI runs it: one from a copy of the project's own cache
(whose charts and notebook another process made), one with no cache at all, one from the cache
the first left, then an edit built twice (the first killed).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import charts
from conftest import ROOT, copy_project
from sites import EPOCH, files, warm_cache

# Fixed, so the sitemap's dates cannot change if the test runs across midnight.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH}
EDITED_FACT = "uk-quota-kg-2024"


def build(root: Path, site: Path, cache: Path | None, **popen) -> subprocess.Popen:
    env = {**ENV, "BUILD_CACHE_DIR": str(cache) if cache else ""}
    return subprocess.Popen([sys.executable, "build.py", "--site-dir", str(site)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def built(root: Path, site: Path, cache: Path | None) -> dict[str, bytes]:
    process = build(root, site, cache)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return files(site)


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def chart_entries(cache: Path) -> dict[str, set[str]]:
    """Chart id -> the names of its entries in the render cache (each named by what it was drawn from)."""
    from charts.cache import KEEP

    found: dict[str, set[str]] = {}
    for entry in (cache / "charts").glob("*/*.json"):
        found.setdefault(entry.parent.name, set()).add(entry.name)
    assert all(len(names) <= KEEP for names in found.values()), f"more than {KEEP} entries for a chart: {found}"
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("output") / "project")


@pytest.fixture(scope="module")
def first(project, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A build with a cache of its own: a copy of the project's, once the shared build of the real
    site (tests/sites.py) has filled it, so what it holds was drawn and run by another process."""
    cache = warm_cache(tmp_path_factory.mktemp("cache-a") / "cache")
    return cache, built(project, tmp_path_factory.mktemp("a") / "site", cache)


def test_a_build_without_any_cache_is_byte_identical_to_one_from_a_cache(project, first, tmp_path):
    """Every chart drawn and the notebook run afresh, in this build's process, give the bytes that
    another process's drawing and run, taken from a cache, gave."""
    _, a = first
    assert len(a) > 100
    assert differences(a, built(project, tmp_path / "site", None)) == []


def test_a_build_from_the_cache_it_left_is_byte_identical(project, first, tmp_path):
    cache, a = first
    assert list((cache / "charts").glob("*/*.json")), "the first build left its charts in the cache"
    assert differences(a, built(project, tmp_path / "site", cache)) == []


def notebook_pages(cache: Path) -> dict[str, int]:
    """The notebook pages mkdocs-jupyter converted and keeps in the cache: path -> when written."""
    return {p.relative_to(cache).as_posix(): p.stat().st_mtime_ns for p in cache.glob("jupyter-nbconvert-*/*.json")}


def test_a_build_with_nothing_changed_converts_neither_editions_notebook_again(tmp_path):
    """mkdocs-jupyter deletes, after a build, every entry of its cache folder that the build did not
    use. Each edition has a folder of its own, so a build of both with nothing changed takes both
    notebook pages from the cache (sharing one, the editions deleted each other's every time).
    The real project, which publishes both editions; its cache copied, so its own is only read."""
    cache = warm_cache(tmp_path / "cache")
    built(ROOT, tmp_path / "first", cache)
    kept = notebook_pages(cache)
    assert len(kept) >= 2, f"a converted notebook page for each edition: {kept}"
    built(ROOT, tmp_path / "second", cache)
    assert notebook_pages(cache) == kept, "a notebook page was converted again, or deleted"


@dataclass
class Edited:
    before: dict[str, bytes]               # the site before the edit
    after_kill: dict[str, bytes]           # the same folder after a build of the edit was killed
    staging_seen: bool                     # whether the killed build had begun writing its new site
    after: dict[str, bytes]                # the site the next build made
    leftovers: list[Path]                  # staging folders still there after that build
    entries_before: dict[str, set[str]]
    entries_after: dict[str, set[str]]


@pytest.fixture(scope="module")
def edited(project, first, tmp_path_factory) -> Edited:
    """One fact's value edited (8000 -> 8100); a build of it killed once it is writing its new site
    over the first build's; then a build that finishes. Both use the first build's cache."""
    cache, before = first
    folder = tmp_path_factory.mktemp("edited")
    site = folder / "site"
    site.mkdir()
    for name, content in before.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(content)
    entries_before = chart_entries(cache)
    data = project / "data" / "destinations.yaml"
    original = data.read_text(encoding="utf-8")
    assert original.count("value: 8000\n") == 1
    data.write_text(original.replace("value: 8000\n", "value: 8100\n"), encoding="utf-8")
    try:
        process = build(project, site, cache, start_new_session=True)
        staging = _wait_for_staging(folder, process)
        os.killpg(process.pid, signal.SIGKILL)   # the build and its notebook kernel
        process.wait(timeout=30)
        staging_seen = staging.exists()
        after_kill = files(site)
        after = built(project, site, cache)
    finally:
        data.write_text(original, encoding="utf-8")
    return Edited(before, after_kill, staging_seen, after, list(folder.glob(".site.building-*")),
                  entries_before, chart_entries(cache))


def _wait_for_staging(folder: Path, process: subprocess.Popen, timeout: float = 120) -> Path:
    """The build's staging folder, once MkDocs has written some pages into it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        for staging in folder.glob(".site.building-*"):
            if any(staging.rglob("index.html")):
                return staging
        time.sleep(0.01)
    raise AssertionError("the build never started writing its site")


def test_a_killed_build_leaves_the_old_site_whole(edited):
    assert edited.staging_seen, "killed while its new site was half-written"
    assert differences(edited.before, edited.after_kill) == [], "site/ changed although the build never finished"
    assert edited.leftovers == [], "the next build removed the killed one's leftovers"
    changed = differences(edited.before, edited.after)
    assert "downloads/facts.csv" in changed and "8100" in edited.after["downloads/facts.csv"].decode()


def test_a_one_fact_edit_redraws_only_the_charts_that_show_it(edited):
    """Exactly the charts whose registry entry lists the fact get a new cache entry, named by their
    new inputs, beside the one before; every other chart has the same entries, and was reused."""
    showing = {cid for cid, chart in charts.CHARTS.items() if EDITED_FACT in chart.fact_ids()}
    assert showing and showing != set(charts.CHARTS), "the edit should reach some charts, not all"
    assert set(charts.CHARTS) <= set(edited.entries_before) & set(edited.entries_after)
    redrawn = {cid for cid in charts.CHARTS if edited.entries_after[cid] - edited.entries_before[cid]}
    assert redrawn == showing
    for cid in charts.CHARTS:
        if cid in redrawn:
            assert len(edited.entries_after[cid] - edited.entries_before[cid]) == 1
            assert edited.entries_before[cid] & edited.entries_after[cid], "the entry before is kept"
        else:
            assert edited.entries_after[cid] == edited.entries_before[cid]


def test_recover_restores_a_site_left_mid_swap(tmp_path):
    """Where the swap takes two renames, a kill between them leaves only site.old."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import build as build_module

    (tmp_path / "site.old").mkdir()
    (tmp_path / "site.old" / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / "site.old" / build_module.BUILT_MARK).write_text(build_module.BUILT_TEXT, encoding="utf-8")
    dead = tmp_path / ".site.building-x"
    dead.mkdir()
    build_module._recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert not dead.exists()


def test_the_swap_replaces_the_site_in_one_step(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import build as build_module

    site, new = tmp_path / "site", tmp_path / ".site.building-x"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    build_module._swap_in(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert not new.exists() and not (tmp_path / "site.old").exists()
