"""The two sites a review compares: BASE's, built by BASE's own code, and the working tree's.

Each side runs its own build.py with this interpreter, so an edit to the drawing code shows as
well as an edit to a fact: ``build.py charts DIR``, which writes the chart files as the site lays
them out and makes no page and runs no notebook. A BASE from before that command gets a whole
site built (``--site-dir``), which holds the same files. Both use the project's cache, whose
entries are named by what they were made from, so a chart that did not change is drawn once for both.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How much of a failed build's output to show: its problems are listed last.
SHOWN_LINES = 40


class SiteBuildFailed(ValueError):
    """One side's site could not be built; the message says which side and shows the build's output."""


@contextmanager
def built_sites(root: Path, base: str, python: str, say=None) -> Iterator[tuple[Path, Path]]:
    """(BASE's site, the working tree's site), built into a temporary folder removed afterwards.

    The working tree is built first: it is usually what the cache already holds, and BASE then
    redraws only what differs. Never both at once: a build prunes the cache entries it replaces.
    """
    from pipeline import CACHE_ENV, default_cache_dir

    say = say or (lambda _: None)
    env = dict(os.environ)
    # A base tree in a temporary folder is pointed at this project's cache, or it would start
    # from an empty cache of its own.
    env.setdefault(CACHE_ENV, str(default_cache_dir(root)))
    with tempfile.TemporaryDirectory(prefix="chart-diff-") as tmp:
        tmp = Path(tmp)
        tree = _base_tree(root, base, tmp / "base")
        say("drawing the working tree's charts")
        after = _build(root, tmp / "after", python, env, "the working tree")
        say(f"drawing the charts at {base}")
        before = _build(tree, tmp / "before", python, env, repr(base))
        yield before, after


def _base_tree(root: Path, base: str, into: Path) -> Path:
    """A folder as it is (a checkout of the project); a git revision unpacked from ``git archive``,
    which leaves the repository as it was (no worktree to register or tidy away)."""
    folder = Path(base)
    if folder.is_dir():
        if not (folder / "build.py").is_file():
            raise SiteBuildFailed(f"{base} has no build.py, so its charts cannot be drawn; give a checkout "
                                  "of the project or a git revision, or --no-charts to compare facts only")
        return folder
    commit = _git(root, "rev-parse", "--verify", "--end-of-options", f"{base}^{{commit}}")
    sha = commit.stdout.decode().strip()
    into.mkdir()
    try:
        archive = subprocess.Popen(["git", "-C", str(root), "archive", "--format=tar", sha],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as err:
        raise SiteBuildFailed(f"cannot run git ({err.strerror or err})") from err
    with archive, tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        tar.extractall(into, filter="data")   # "data": nothing outside the folder, no devices
    if archive.returncode:
        raise SiteBuildFailed(f"git archive {base} failed: {archive.stderr.read().decode(errors='replace').strip()}")
    return into


# What argparse says to a build.py that has no `charts` command (one from before it).
NO_CHARTS_COMMAND = "invalid choice: 'charts'"


def _build(tree: Path, site: Path, python: str, env: dict[str, str], side: str) -> Path:
    def build(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([python, "build.py", *args], cwd=tree, env=env,
                              capture_output=True, text=True, errors="replace")

    try:
        done = build("charts", str(site))
        if done.returncode == 2 and NO_CHARTS_COMMAND in done.stderr:
            done = build("--site-dir", str(site))
    except OSError as err:
        raise SiteBuildFailed(f"cannot run {python} to draw the charts of {side} ({err.strerror or err})") from err
    if done.returncode:
        output = (done.stdout + done.stderr).strip().splitlines()[-SHOWN_LINES:]
        raise SiteBuildFailed(f"drawing the charts of {side} failed (exit status {done.returncode}):\n"
                              + "\n".join(output))
    return site


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    except OSError as err:
        raise SiteBuildFailed(f"cannot run git ({err.strerror or err}); a folder works as the base too") from err
    if done.returncode:
        raise SiteBuildFailed(f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
    return done
