"""Shared fixtures: YAML fact files in a temporary data dir, and a copy of the project; the
suite's options, its builds shared by every worker (tests/sites.py), and how pytest-xdist
spreads the modules over the workers.

Line numbers matter in these tests (problems are reported as file:line:column),
so the valid snippets below are whole files whose lines are counted in the
tests that edit them.  ``edit`` refuses to silently do nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from facts.load import FactBase, load_factbase  # noqa: E402
from facts.problems import ProblemsFound  # noqa: E402

# What an end-to-end build needs; anything else in the repo (site/, .venv, tests) is left out.
BUILD_INPUTS = ("build.py", "pipeline.py", "mkdocs_hooks.py", "mkdocs.yml",
                "data", "docs", "charts", "facts", "pages", "overrides", "review")

# data/sources.yaml                      line
SOURCE = """\
sources:
  - id: src-a
    title: A source
    publisher: A publisher
    url: https://example.org/a
    published: 2025-10
    role: retold
"""

# data/x.yaml                            line
FACT = """\
facts:
  - id: a-fact
    label: A fact
    value: 40
    unit: workers
    period: 2024
    entities: [UZ]
    sources:
      - {source: src-a, locator: paragraph 1}
    as_of: 2025-10
    checked: 2025-11-01
"""
# line 1: facts:, 2: id, 3: label, 4: value, 5: unit, 6: period, 7: entities,
# 8: sources, 9: the citation, 10: as_of, 11: checked

# data/events.yaml
EVENT = """\
events:
  - id: an-event
    date: 2025-04
    title: Something happened
    description: A thing happened somewhere.
    entities: [KG]
    sources:
      - {source: src-a, locator: paragraph 2}
    checked: 2025-11-01
    article_date: 2025-04
"""


def edit(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new``; ``old`` must occur exactly once."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the snippet"
    return text.replace(old, new)


class Snippets:
    """Valid YAML files to start from (see the line numbers above)."""

    SOURCE = SOURCE
    FACT = FACT
    EVENT = EVENT
    edit = staticmethod(edit)


@pytest.fixture
def yaml_snippets() -> type[Snippets]:
    return Snippets


@pytest.fixture
def load_data(tmp_path: Path) -> Callable[..., FactBase | ProblemsFound]:
    """Write {file name: YAML text} into tmp_path/data and load it.

    Returns the FactBase, or the ProblemsFound (use ``.report()`` or ``.problems``).
    Texts are dedented, so tests may indent them freely.  By default the valid
    source file is written too, so facts have something to cite.
    """
    data = tmp_path / "data"
    data.mkdir()

    def load(files: dict[str, str], with_source: bool = True) -> FactBase | ProblemsFound:
        if with_source:
            files = {"sources.yaml": SOURCE, **files}
        for name, text in files.items():
            (data / name).write_text(textwrap.dedent(text), encoding="utf-8")
        try:
            return load_factbase(data, tmp_path)
        except ProblemsFound as found:
            return found

    return load


@pytest.fixture
def problems_in(load_data) -> Callable[..., list[str]]:
    """The problem lines (without the final count line) reported for the given files."""

    def problems(files: dict[str, str], with_source: bool = True) -> list[str]:
        result = load_data(files, with_source)
        assert isinstance(result, ProblemsFound), f"expected problems, but the data loaded: {result}"
        lines = result.report().splitlines()
        count = len(result.problems)
        assert lines[-1] == f"{count} problem{'s' if count != 1 else ''} found; nothing was built."
        return lines[:-1]

    return problems


def copy_project(dest: Path) -> Path:
    """Copy the build inputs of the repo into dest (no __pycache__, no site/)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    return dest


# What a copy needs to publish the Russian edition too (a copy without it is an English site):
# its configuration, its catalog, and where the catalog's words are.
RUSSIAN_EDITION = ("mkdocs.ru.yml", "locale", "babel.cfg")


def with_russian_edition(root: Path) -> Path:
    for name in RUSSIAN_EDITION:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name, dirs_exist_ok=True)
        else:
            shutil.copy2(ROOT / name, root / name)
    return root


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project's build inputs, for end-to-end builds."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def english_base():
    """The English edition's facts, as the build draws them, and so as ``drawn`` holds them (the
    facts as loaded also carry each item's ru: block, and a drawing is keyed by what it is drawn from)."""
    from facts.load import load_factbase
    from facts.translations import translated

    return translated(load_factbase(ROOT / "data", ROOT), "en")


@pytest.fixture(scope="session")
def drawn(tmp_path_factory):
    """A render cache holding the run's drawings: a copy of the project's build cache, once the
    run's build of the real site (tests/sites.py) has filled it. For the tests that read a
    chart's files rather than prove how they are drawn: an entry is named by what it was drawn
    from (charts/cache.py), so what the facts given change is drawn afresh, and the rest is as
    the build drew it in another process (tests/test_output.py proves the bytes are the same)."""
    from charts.cache import RenderCache
    from sites import warm_cache

    return RenderCache(warm_cache(tmp_path_factory.mktemp("drawn") / "cache"))


# --------------------------------------------------------------------------- options and shared builds

def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite tests/snapshots/output/ from the fixture sites' builds (tests/test_snapshots.py), "
                          "then review the change with git diff")


def pytest_configure(config):
    """One folder per test run for the builds many tests read (tests/sites.py): made here, before
    pytest-xdist starts its workers, which inherit its name and so share the builds in it.

    When the whole suite runs, those builds start at once, in the background, while the workers
    start and run the tests that need none: no worker then waits for a build it could have had."""
    from sites import SHARED_ENV

    if SHARED_ENV in os.environ:
        return   # a pytest-xdist worker: the run's folder is its controller's
    os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="site-tests-")
    config._site_tests_shared_dir = os.environ[SHARED_ENV]   # this process made it: it removes it
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS and not config.option.collectonly:
        config._site_tests_prebuild = threading.Thread(target=_prebuild, name="shared builds", daemon=True)
        config._site_tests_prebuild.start()


def _prebuild() -> None:
    """Every shared build, smallest first; a failure is kept (tests/sites.py) for the tests that need it."""
    from hostile import hostile_build
    from sites import SNAPSHOTS, fixture_site, real_site

    cases = sorted(p.name for p in (SNAPSHOTS / "input").iterdir() if p.is_dir())
    for build in [*(lambda case=case: fixture_site(case) for case in cases), real_site, hostile_build]:
        try:
            build()
        except Exception:   # each test that needs this build reports why it failed
            pass


def pytest_unconfigure(config):
    made = getattr(config, "_site_tests_shared_dir", None)
    if made:
        prebuild = getattr(config, "_site_tests_prebuild", None)
        if prebuild:
            prebuild.join(timeout=600)   # a build still writing into the folder
        shutil.rmtree(made, ignore_errors=True)


# Modules whose tests stand alone (no costly fixture shared within the module): each of their
# tests goes to whichever pytest-xdist worker is free. Every other module runs whole on one worker,
# so a module-scoped fixture it shares (a build, a preview server, the rendered charts) is made once.
SPREAD = {f"tests/{name}" for name in (
    "browser/test_charts.py", "browser/test_csp.py", "browser/test_escaping.py", "browser/test_pages.py",
    "test_chart_cache.py", "test_chart_scaling.py", "test_docs.py", "test_editorial.py", "test_escaping.py",
    "test_fuzz.py", "test_misuse.py", "test_recolour.py", "test_staleness.py")}


@pytest.hookimpl(tryfirst=True)   # before pytest-xdist's own choice of scheduler
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (as scripts/dev runs the suite): a module is one group, unless in SPREAD.

    pytest-xdist 3.8 marks a test's group by rewriting its node id, which pytest 9.2's structured
    node ids no longer take (pytest-dev/pytest-xdist#1386): its loadgroup would silently split
    every module. Groups by module need no mark, so the scheduler forms them from the ids."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return nodeid if module in SPREAD else module

    return ModuleGroups(config, log)
