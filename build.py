#!/usr/bin/env python3
"""Build the site from data/: validate facts, render charts, build pages into site/.

    python build.py            validate, then build the whole site into site/
    python build.py --check    validate data/, charts and page references only, and list
                               facts due a re-check (--stale-after DAYS, default 365)
    python build.py schema     regenerate data/schema/datafile.schema.json
    python build.py diff BASE  Markdown report of facts changed since BASE (a git ref or a folder);
                               exit 0 if nothing changed, 1 if something did, 2 on error

Problems are listed all at once, each as file:line:column, and the exit status
is 1. A failed build leaves an existing site/ exactly as it was: the new site is
built in a temporary folder beside it and swapped in only when complete.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from facts.problems import ProblemsFound  # noqa: E402
from facts.schema import DataFile  # noqa: E402
from facts.staleness import stale_after_days, stale_items  # noqa: E402
from pipeline import Project  # noqa: E402

SCHEMA_PATH = ROOT / "data" / "schema" / "datafile.schema.json"


def json_schema() -> str:
    schema = DataFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "A fact file in data/"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check(root: Path, stale_after: int | None = None, draw: bool = True) -> int:
    project = Project(root)
    try:
        base = project.check(draw=draw)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 1
    print(f"ok: {_count(base.facts, 'fact')}, {_count(base.events, 'event')}, {_count(base.sources, 'source')}")
    days = stale_after_days(stale_after)
    due = stale_items(base, days)
    if due:
        # A reminder, not an error: the site still builds with facts that are due a re-check.
        print(f"{len(due)} not re-checked in the last {days} days (oldest first):")
        for item in due:
            file, line, col = item.where
            print(f"  {file}:{line}:{col}: {item.kind} {item.id}: last checked {item.checked}, "
                  f"{item.age_days} days ago")
    return 0


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}" + ("" if len(items) == 1 else "s")


def diff(root: Path, base_ref: str) -> int:
    """Print what changed in data/ since base_ref; 1 if anything did (like `git diff --exit-code`)."""
    from facts.diff import compare, load_base, report

    project = Project(root)
    try:
        after = project.check()
        before = load_base(base_ref, root)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    changes = compare(before, after)
    touched = {}
    for change in changes:
        # A removed item's reach is judged by the base's facts; the pages are the current ones.
        owner = before if change.status == "removed" else after
        touched[(change.kind, change.id)] = project.touched(change.kind, change.id, owner)
    print(report(changes, touched, base_ref))
    return 1 if changes else 0


def build(root: Path, site_dir: Path) -> int:
    if check(root, draw=False):   # the build draws every chart anyway
        return 1
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _recover(site_dir)
    # Dates MkDocs writes (the sitemap's lastmod, the gzip header) follow the last commit, not
    # the clock, so two builds of one commit are byte-identical (reproducible-builds.org).
    epoch = _last_commit_time(root)
    if epoch and "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=site_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)   # mkdtemp makes it private; a web server must read the site
    try:
        if not _mkdocs_build(root, staging):
            print(f"mkdocs build failed; {site_dir} was left as it was.", file=sys.stderr)
            return 1
        _swap_in(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return 0


def _mkdocs_build(root: Path, site_dir: Path) -> bool:
    """`mkdocs build --strict` in this process: the data is not loaded twice, and the
    interpreter and packages are already warm. MkDocs reports its own errors."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import click
    from mkdocs.__main__ import cli

    try:
        cli.main(["build", "--strict", "--quiet", "--config-file", str(root / "mkdocs.yml"),
                  "--site-dir", str(site_dir)], prog_name="mkdocs", standalone_mode=False)
    except SystemExit as ended:
        return not ended.code
    except click.ClickException as stopped:   # MkDocs' Abort, e.g. warnings in strict mode
        stopped.show()
        return False
    return True


STAGING = ".site-building-"   # + the building process's id


def _swap_in(new: Path, site_dir: Path) -> None:
    """Put the new site in place of the old in one step, so no reader sees half a site.

    On Linux the two folders are exchanged atomically; elsewhere it takes two renames,
    and a build killed between them leaves site.old, which the next build restores.
    """
    if site_dir.exists() and _exchange(new, site_dir):
        shutil.rmtree(new, ignore_errors=True)   # it now holds the old site
        return
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    new.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _recover(site_dir: Path) -> None:
    """Tidy up after a build that was killed: restore a site left as site.old by an
    interrupted swap, and remove staging folders whose build process is gone."""
    old = site_dir.with_name(site_dir.name + ".old")
    if old.is_dir() and not site_dir.exists():
        old.rename(site_dir)
    for staging in site_dir.parent.glob(STAGING + "*"):
        pid = staging.name.removeprefix(STAGING).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _last_commit_time(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip().isdigit() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["build", "schema", "diff"], default="build")
    parser.add_argument("base", nargs="?", help="with diff: a git ref (main, HEAD~1) or a folder")
    parser.add_argument("--check", action="store_true", help="validate only; build nothing")
    parser.add_argument("--stale-after", type=int, metavar="DAYS",
                        help="with --check: list facts not re-checked for more than DAYS days "
                             "(default: $FACTS_STALE_AFTER_DAYS or 365)")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where to build (default: site/)")
    args = parser.parse_args(argv)
    if args.command == "schema":
        SCHEMA_PATH.write_text(json_schema(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH.relative_to(ROOT)}")
        return 0
    if args.command == "diff":
        return diff(ROOT, args.base or "HEAD")
    if args.check:
        return check(ROOT, args.stale_after)
    started = time.perf_counter()
    status = build(ROOT, args.site_dir)
    if not status:
        print(f"built {args.site_dir} in {time.perf_counter() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
