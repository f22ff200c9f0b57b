"""Sites the tests build: the real site, shared by every test that only reads it, and small
fixture projects (tests/snapshots/input/<case>/) built on the real code.

Each build is ``build.py --site-dir``, run as a maintainer runs it. A build that many tests
read is made once per test run, however many pytest-xdist workers ask for it: the first to ask
builds it under a file lock, the others wait and reuse it (``shared``).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from conftest import ROOT, copy_project

SNAPSHOTS = ROOT / "tests" / "snapshots"
# Fixed, so no output depends on the day the tests run (the sitemap's lastmod, the gzip header).
EPOCH = "1764000000"
SHARED_ENV = "SITE_TESTS_SHARED_DIR"   # set once per run by conftest.py, inherited by xdist workers


def run_build(root: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 600,
              **popen) -> subprocess.CompletedProcess:
    """``python build.py ARGS`` in ``root``. A copy of the project has no git history to date its
    build by, so pass ``env={"SOURCE_DATE_EPOCH": EPOCH}`` where bytes are compared."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True, text=True,
                          timeout=timeout, env=env, **popen)


def files(site: Path) -> dict[str, bytes]:
    """Site-relative path -> bytes of every file in a built site."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def warm_cache(dest: Path) -> Path:
    """A copy of the project's own build cache (.cache/build: charts, the executed notebook, preview
    cards) once the run's build of the real site (``real_site``) has filled it with this commit's
    charts and notebook: for a build of a copy of the real project to reuse what another process
    drew, as a maintainer's next build would."""
    real_site()
    dest.mkdir(parents=True)
    own = ROOT / ".cache" / "build"
    if own.is_dir():   # not a file being written (written beside, under a dot name, then renamed)
        try:
            shutil.copytree(own, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
        except shutil.Error:
            pass   # an entry another build replaced while it was copied: that chart is drawn afresh
    (dest / ".build-cache").touch()   # the mark of a cache folder the build made (pipeline.py)
    return dest


# --------------------------------------------------------------------------- fixture projects

def assemble(case: str, dest: Path) -> Path:
    """A project at ``dest``: the real code, theme, assets and mkdocs.yml, with the case's data/,
    pages (docs/*.md), chart modules (charts/*.py, imported in place of the real ones) and nav."""
    source = SNAPSHOTS / "input" / case
    copy_project(dest)
    for old in [*(dest / "data").glob("*.yaml"), *(dest / "docs").rglob("*.md"), *(dest / "docs").rglob("*.ipynb")]:
        old.unlink()
    shutil.copytree(source / "data", dest / "data", dirs_exist_ok=True)
    shutil.copytree(source / "docs", dest / "docs", dirs_exist_ok=True)
    modules = sorted(p.stem for p in (source / "charts").glob("*.py"))
    for module in modules:
        shutil.copy2(source / "charts" / f"{module}.py", dest / "charts" / f"{module}.py")
    # Importing a chart module registers its charts: import the case's, not the real site's.
    init = dest / "charts" / "__init__.py"
    text, count = re.subn(r"^from \. import (?!registry\b|render\b)\w+(?:, \w+)*",
                          "from . import " + ", ".join(modules), init.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1, "charts/__init__.py imports the chart modules on one line"
    init.write_text(text, encoding="utf-8")
    replace_nav(dest, (source / "nav.yml").read_text(encoding="utf-8"))
    return dest


def replace_nav(root: Path, nav: str) -> None:
    """Put ``nav`` (a ``nav:`` block) in place of mkdocs.yml's."""
    config = root / "mkdocs.yml"
    text, count = re.subn(r"^nav:\n(?:[ \t]+.*\n|[ \t]*\n)*", nav.rstrip("\n") + "\n\n",
                          config.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1, "mkdocs.yml has one nav: block"
    config.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- builds made once per run

def shared_dir() -> Path:
    """The folder this test run keeps its shared builds in (made by conftest.py; one per process
    when this module is used without it)."""
    if SHARED_ENV not in os.environ:
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="site-tests-")
    return Path(os.environ[SHARED_ENV])


def shared(name: str, make: Callable[[Path], None]) -> Path:
    """``folder``, filled by ``make(folder)`` the first time any worker of this run asks for ``name``.

    A failure is kept too, so every test that needs the folder reports it without building again."""
    base = shared_dir()
    folder, done, failed = base / name, base / f"{name}.done", base / f"{name}.failed"
    with open(base / f"{name}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if failed.exists():
                raise RuntimeError(failed.read_text(encoding="utf-8"))
            if not done.exists():
                try:
                    make(folder)
                except BaseException as err:
                    failed.write_text(f"{name}: {err}", encoding="utf-8")
                    raise
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def _built(root: Path, site: Path, **env: str) -> None:
    result = run_build(root, "--site-dir", str(site), env=env)
    if result.returncode:
        raise RuntimeError(f"build.py --site-dir {site} failed ({result.returncode}):\n"
                           f"{result.stdout}\n{result.stderr}")


def real_site() -> Path:
    """The real project, built once per run with the project's own build cache, as a maintainer builds it."""
    return shared("real-site", lambda folder: _built(ROOT, folder / "site")) / "site"


class FixtureBuild(NamedTuple):
    project: Path   # the case assembled on the real code (tests/snapshots/input/<case>/ + the rest)
    site: Path      # what build.py built from it
    cache: Path     # the build cache it filled


def fixture_site(case: str) -> FixtureBuild:
    """A fixture case, assembled and built once per run with its own cache.

    Built with every fact due a re-check ($FACTS_STALE_AFTER_DAYS=0), which only the preview may
    show: the published site must not (tests/test_staleness.py, and the snapshots)."""
    built = FixtureBuild(Path("project"), Path("site"), Path("cache"))   # names inside the shared folder

    def make(folder: Path) -> None:
        assemble(case, folder / built.project)
        _built(folder / built.project, folder / built.site, BUILD_CACHE_DIR=str(folder / built.cache),
               SOURCE_DATE_EPOCH=EPOCH, FACTS_STALE_AFTER_DAYS="0")

    folder = shared(f"case-{case}", make)
    return FixtureBuild(*(folder / name for name in built))


# --------------------------------------------------------------------------- a served preview

def free_port() -> int:
    """A TCP port on the loopback address that nothing is listening on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    """The page at ``url`` (a preview on 127.0.0.1), or "" while it cannot be had."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""
