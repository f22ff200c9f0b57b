"""The built site as files: the same commit gives the same bytes, and site/ is never half-written.

These build the real project (pages, charts and the notebook) in a copy, so they take
about a minute; each build is a fresh `build.py` process, as a maintainer or CI runs it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_project

# Fixed, so the sitemap's dates cannot change if the test runs across midnight.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764000000"}


def build(root: Path, site: Path, cache: Path | None, **popen) -> subprocess.Popen:
    env = {**ENV, "BUILD_CACHE_DIR": str(cache) if cache else ""}
    return subprocess.Popen([sys.executable, "build.py", "--site-dir", str(site)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def built(root: Path, site: Path, cache: Path | None) -> dict[str, bytes]:
    process = build(root, site, cache)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return files(site)


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("output") / "project")


@pytest.fixture(scope="module")
def first(project, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A cold build (its own empty cache), and that cache."""
    cache = tmp_path_factory.mktemp("cache-a")
    return cache, built(project, tmp_path_factory.mktemp("a") / "site", cache)


def test_two_cold_builds_are_byte_identical(project, first, tmp_path):
    _, a = first
    b = built(project, tmp_path / "site", tmp_path / "cache-b")
    assert len(a) > 100
    assert differences(a, b) == []


def test_a_build_from_the_cache_is_byte_identical_to_a_cold_one(project, first, tmp_path):
    cache, a = first
    assert list((cache / "charts").glob("*/*.json")), "the first build filled the cache"
    assert differences(a, built(project, tmp_path / "site", cache)) == []


def test_a_build_without_any_cache_is_byte_identical(project, first, tmp_path):
    _, a = first
    assert differences(a, built(project, tmp_path / "site", None)) == []


def test_a_killed_build_leaves_the_old_site_whole(project, first, tmp_path):
    """Kill a build once it is writing its new site, then check site/ and build again."""
    cache, before = first
    site = tmp_path / "site"
    site.mkdir()
    for name, content in before.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(content)
    # An edit, so the new site would differ from the old one if any of it leaked through.
    data = project / "data" / "destinations.yaml"
    original = data.read_text(encoding="utf-8")
    data.write_text(original.replace("value: 8000", "value: 8100", 1), encoding="utf-8")
    try:
        process = build(project, site, None, start_new_session=True)
        staging = _wait_for_staging(tmp_path, process)
        os.killpg(process.pid, signal.SIGKILL)   # the build and its notebook kernel
        process.wait(timeout=30)
        assert staging.exists(), "killed while its new site was half-written"
        assert differences(before, files(site)) == [], "site/ changed although the build never finished"

        after = built(project, site, cache)
    finally:
        data.write_text(original, encoding="utf-8")
    assert not list(tmp_path.glob(".site.building-*")), "the next build removed the killed one's leftovers"
    changed = differences(before, after)
    assert "downloads/facts.csv" in changed and "8100" in after["downloads/facts.csv"].decode()


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
