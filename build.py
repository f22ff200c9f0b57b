#!/usr/bin/env python3
"""Build the site from data/: validate facts, render charts, build pages into site/.

    python build.py            validate, then build the whole site into site/
    python build.py --check    validate data/, charts and page references only, and list
                               facts due a re-check (--stale-after DAYS, default 365)
    python build.py schema     regenerate data/schema/datafile.schema.json and the reference
                               tables in README.md and CONTRIBUTING.md
    python build.py catalog    bring each edition's catalog (locale/<lang>/LC_MESSAGES/messages.po)
                               up to the words the code marks: new ones to translate, old ones kept
    python build.py charts DIR every edition's chart files (pictures, specs, data), laid out as
                               in the site, into DIR (absent or empty), without the pages:
                               what diff compares
    python build.py diff BASE  Markdown report of the chart pictures and facts changed since BASE
                               (a git ref or a folder; --report DIR adds the pictures, --no-charts
                               compares facts only); exit 0 if nothing changed, 1 if something did,
                               2 on error

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
from contextlib import contextmanager
from glob import escape as glob_escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from facts.load import FactBase  # noqa: E402
from facts.problems import ProblemsFound  # noqa: E402
from facts.schema import DataFile  # noqa: E402
from facts.staleness import stale_after_days, stale_items  # noqa: E402
from pages.editions import published  # noqa: E402

SCHEMA_PATH = ROOT / "data" / "schema" / "datafile.schema.json"


def json_schema() -> str:
    schema = DataFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "A fact file in data/"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# The docs that show the reference syntax; their tables are made from pages/references.py.
REFERENCE_TABLE_DOCS = ("README.md", "CONTRIBUTING.md")
TABLE_START = "<!-- reference-table: made by `python build.py schema` from pages/references.py -->"
TABLE_END = "<!-- /reference-table -->"


def with_reference_table(text: str) -> str:
    """``text`` with the table between its markers made afresh from the registry of reference kinds."""
    from pages.references import markdown_table

    before, _, rest = text.partition(TABLE_START)
    _, _, after = rest.partition(TABLE_END)
    return f"{before}{TABLE_START}\n{markdown_table()}\n{TABLE_END}{after}"


def check(root: Path, stale_after: int | None = None) -> int:
    """--check: the first stage, with every chart's spec built too; no pictures, no site."""
    cache_dir, problems = pipeline.cache_dir_from_env(root)
    try:
        checked = pipeline.check(root, cache_dir=cache_dir, draw=True, problems=problems)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 1
    return report_checked(checked.base, stale_after)


def report_checked(base: FactBase, stale_after: int | None = None) -> int:
    """Say what was checked, and list the facts due a re-check: a reminder, not an error."""
    print(f"ok: {_count(base.facts, 'fact')}, {_count(base.events, 'event')}, {_count(base.sources, 'source')}")
    try:
        days = stale_after_days(stale_after)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 1
    due = stale_items(base, days)
    if due:
        print(f"{len(due)} not re-checked in the last {days} days (oldest first):")
        for item in due:
            file, line, col = item.where
            print(f"  {file}:{line}:{col}: {item.kind} {item.id}: last checked {item.checked}, "
                  f"{item.age_days} days ago")
    return 0


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}" + ("" if len(items) == 1 else "s")


def charts_only(root: Path, out_dir: Path) -> int:
    """``build.py charts DIR``: 0 when written, 1 on the data's problems, 2 when DIR may not be
    written. Nothing is written unless all is: the files go into a folder beside DIR, renamed to it."""
    refused = site_dir_problem(root, out_dir)
    if not refused and out_dir.is_dir() and any(out_dir.iterdir()):
        refused = "is not empty; give an absent or empty folder"
    if refused:
        print(f"error: charts {out_dir}: {refused}", file=sys.stderr)
        return 2
    cache_dir, problems = pipeline.cache_dir_from_env(root)
    try:
        checked = pipeline.check(root, cache_dir=cache_dir, problems=problems)
        files = pipeline.chart_files_of_every_edition(checked, cache_dir)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 1
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir), dir=out_dir.parent))
    try:
        for path, content in files.items():
            pipeline.write_file(staging / path, content)
        os.replace(staging, out_dir)   # over an empty folder, or none
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"wrote {len(files)} chart files into {out_dir}")
    return 0


def diff(root: Path, base_ref: str, charts: bool = True, report_dir: Path | None = None,
         image_base_url: str | None = None) -> int:
    """Print the chart pictures (unless ``charts`` is False), then the facts, events and sources that
    changed since base_ref; 1 if anything did (like `git diff --exit-code`), 2 on an error."""
    import review
    from facts.diff import compare, load_base, report
    from pages.reach import reach

    refused = review.options_problem(charts, report_dir, image_base_url)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    try:
        checked = pipeline.check(root)
        after = checked.base
        before = load_base(base_ref, root)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 2
    except (ValueError, OSError, subprocess.SubprocessError) as err:
        # Exit 1 means "facts changed" to the preview workflow; a failure must never look like that.
        print(f"error: {err}", file=sys.stderr)
        return 2
    changes = compare(before, after)
    touched = {}
    for change in changes:
        # A removed item's reach is judged by the base's facts; the pages are the current ones.
        owner = before if change.status == "removed" else after
        touched[(change.kind, change.id)] = reach(change.kind, change.id, owner, checked.pages)
    pictures = []
    if charts:
        try:
            pictures = review.chart_changes(root, base_ref)
            if report_dir:
                review.write_report(pictures, report_dir, base_ref)
        except (ValueError, OSError) as err:   # review.SiteBuildFailed, PictureUnreadable and the like
            print(f"error: {err}", file=sys.stderr)
            return 2
    print(review.markdown(pictures, base_ref, image_base_url), end="")
    print(report(changes, touched, base_ref))
    return 1 if changes or pictures else 0


def build(root: Path, site_dir: Path) -> int:
    refused = site_dir_problem(root, site_dir)
    if refused:
        print(f"error: --site-dir {site_dir}: {refused}", file=sys.stderr)
        return 2
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # Dates MkDocs writes (the sitemap's lastmod, the gzip header) follow the last commit, not
    # the clock, so two builds of one commit are byte-identical (reproducible-builds.org).
    epoch = _last_commit_time(root)
    if epoch and "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    with _build_lock(site_dir):
        # Holding the lock, no other build of this site is running, here or in another
        # container sharing the volume: whatever it left behind is safe to tidy up.
        _recover(site_dir)
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(site_dir), dir=site_dir.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)   # mkdtemp makes it private; a web server must read the site
        try:
            status = _generate(root, staging)
            if status:
                if status == GENERATOR_FAILED:
                    print(f"the site generator failed; {site_dir} was left as it was.", file=sys.stderr)
                return 1
            (staging / BUILT_MARK).write_text(BUILT_TEXT, encoding="utf-8")
            _swap_in(staging, site_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return 0


# Written into every site this script builds. A folder holding it may be replaced by the next
# build; any other non-empty folder never is, so a mistyped --site-dir cannot delete anything.
BUILT_MARK = ".built-by-build-py"
BUILT_TEXT = "This folder is a site built by build.py; the next build replaces it whole.\n"
# Folders of the project that hold its sources (or its tools): never a place to build into.
SOURCE_FOLDERS = {"data", "docs", "charts", "facts", "pages", "review", "tests", "scripts", "overrides", "js",
                  ".git", ".github", ".ci", ".venv", "node_modules", ".cache"}


def site_dir_problem(root: Path, site_dir: Path) -> str | None:
    """Why the build may not replace ``site_dir``, or None: it must be absent, empty, or a site
    this script built, and never the project, a folder holding it, or one of its source folders."""
    target, project = site_dir.absolute(), root.resolve()
    if target.is_symlink():
        return "is a symbolic link; give the real folder"
    target = target.resolve()
    if target == project or project.is_relative_to(target):
        return f"would replace the project itself ({project}); build into a folder such as site/"
    if target.is_relative_to(project):
        first = target.relative_to(project).parts[0]
        if first in SOURCE_FOLDERS:
            return f"is inside the project's {first}/ folder, which holds sources; build into a folder such as site/"
    if not target.exists():
        return None
    if not target.is_dir():
        return "exists and is not a folder"
    if (target / BUILT_MARK).is_file() or not any(target.iterdir()):
        return None
    return (f"is a folder this script did not build (it has no {BUILT_MARK}) and it is not empty; "
            "the build would replace it whole, so give an empty or new folder")


def _staging_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}{STAGING}"


@contextmanager
def _build_lock(site_dir: Path):
    """An advisory lock on a file beside the site: builds of one site wait for each other, across
    processes and containers that share the folder (flock works on the file, not on a process id)."""
    import fcntl

    lock_path = site_dir.parent / f".{site_dir.name}.build-lock"
    with open(lock_path, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {site_dir} to finish...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


GENERATOR_FAILED = 2


def _generate(root: Path, site_dir: Path) -> int:
    """Check once, then for each edition render and run ProperDocs' `build --strict` in this
    process, handed the result: English into ``site_dir``, Russian into ``site_dir``/ru.
    0 when built; 1 when the data has problems (listed); GENERATOR_FAILED when the generator
    stopped (it says why)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from properdocs.__main__ import State  # also makes `mkdocs.*` imports (Material's) find ProperDocs

    logging_state = State()   # the generator's own log format, as its command line sets it up
    try:
        configs = _load_configs(root, site_dir, published(root))
    except GeneratorStopped:
        return GENERATOR_FAILED
    cache_dir, problems = pipeline.cache_dir_from_env(root)
    try:
        checked = pipeline.check(root, cache_dir=cache_dir, problems=problems)
        if report_checked(checked.base):
            return 1
        # Every edition's charts are drawn here, so a chart that cannot be drawn in any edition
        # stops the build before a page is made.
        pipeline.prepare(checked, cache_dir)
        for lang in configs:   # English first: it empties site_dir, which holds ru/
            # One edition at a time, rendered then written: no edition's files wait in memory
            # beside another's. A later edition's problem still leaves site_dir as it was: this
            # build only writes into its staging folder (build()).
            built = pipeline.render(checked, lang=lang, site_name=configs[lang]["site_name"],
                                    site_url=configs[lang]["site_url"], cache_dir=cache_dir)
            status = _run_generator(configs[lang], built)
            del built
            if status:
                return status
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 1
    finally:
        del logging_state
    # One _headers at the root for every edition's pages (a host reads only the root's).
    from pages import csp
    csp.write_headers(site_dir, framable=csp.framable)
    return 0


class GeneratorStopped(Exception):
    """The generator refused a configuration (it has said why)."""


def _load_configs(root: Path, site_dir: Path, editions: tuple[str, ...]) -> dict:
    """Each edition's generator configuration, building into its folder of ``site_dir``; the
    Russian edition's address is the English one's, under ru/."""
    from properdocs.config import load_config
    from properdocs.exceptions import ProperDocsException

    from facts.lang import prefix
    from pages.editions import CONFIGS

    configs = {}
    for lang in editions:   # English first
        options = {"site_dir": str(site_dir / prefix(lang)), "strict": True}
        if lang != editions[0] and configs[editions[0]]["site_url"]:
            options["site_url"] = configs[editions[0]]["site_url"] + prefix(lang)
        try:
            configs[lang] = load_config(config_file=str(root / CONFIGS[lang]), **options)
        except ProperDocsException as stopped:
            stopped.show()
            raise GeneratorStopped from None
    return configs


def _run_generator(config, built) -> int:
    """ProperDocs' build of one edition, handed what the pipeline made for it."""
    from properdocs.commands.build import build as generate
    from properdocs.exceptions import ProperDocsException

    config.plugins[HOOKS].prepared = built
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            generate(config)
        finally:
            config.plugins.on_shutdown()   # where the hooks let this edition go
    except ProperDocsException as stopped:   # e.g. warnings in strict mode
        stopped.show()
        return GENERATOR_FAILED
    except SystemExit as ended:
        return GENERATOR_FAILED if ended.code else 0
    return 0


HOOKS = "mkdocs_hooks.py"   # as mkdocs.yml's hooks: names it, the generator's key for it


STAGING = ".building-"   # after ".<site name>", so each site's staging folders are its own


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
    """Tidy up after a build that was killed (called holding the build lock): restore a site left
    as site.old by an interrupted swap, and remove this site's staging folders."""
    old = site_dir.with_name(site_dir.name + ".old")
    if old.is_dir() and not site_dir.exists() and (old / BUILT_MARK).is_file():
        old.rename(site_dir)
    for staging in site_dir.parent.glob(glob_escape(_staging_prefix(site_dir)) + "*"):
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)


def _last_commit_time(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip().isdigit() else None


def _days(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of days, such as 365, got {text!r}")
    return int(text)


def environment_problem() -> str | None:
    """A variable the build reads whose value it cannot use, said plainly (the cache folder and the
    re-check age are checked where they are used, with the data's problems)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.strip().isdigit():
        return f"$SOURCE_DATE_EPOCH is {epoch[:40]!r}; expected seconds since 1970 (digits), or leave it unset"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["build", "schema", "diff", "catalog", "charts"], default="build")
    parser.add_argument("base", nargs="?", help="with diff: a git ref (main, HEAD~1) or a folder; "
                                                "with charts: the folder to write into")
    parser.add_argument("--check", action="store_true", help="validate only; build nothing")
    parser.add_argument("--stale-after", type=_days, metavar="DAYS",
                        help="with --check: list facts not re-checked for more than DAYS days "
                             "(default: $FACTS_STALE_AFTER_DAYS or 365)")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where to build (default: site/)")
    parser.add_argument("--no-charts", dest="charts", action="store_false",
                        help="with diff: compare facts only, without drawing either side's charts")
    parser.add_argument("--report", type=Path, metavar="DIR",
                        help="with diff: write DIR/index.html with each changed chart picture before, after "
                             "and its changed pixels marked (DIR: absent, empty, or an earlier report)")
    parser.add_argument("--image-base-url", metavar="URL",
                        help="with diff --report: the address DIR is published at, for the Markdown's images")
    args = parser.parse_args(argv)
    problem = environment_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.command == "schema":
        SCHEMA_PATH.write_text(json_schema(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH.relative_to(ROOT)}")
        for doc in REFERENCE_TABLE_DOCS:
            (ROOT / doc).write_text(with_reference_table((ROOT / doc).read_text(encoding="utf-8")), encoding="utf-8")
            print(f"wrote the reference table in {doc}")
        return 0
    if args.command == "catalog":
        from facts.translations import update_catalog

        for lang in published(ROOT)[1:]:
            path, missing = update_catalog(lang, ROOT)
            print(f"updated {path.relative_to(ROOT)}: {missing} entries to translate")
        return 0
    if args.command == "diff":
        return diff(ROOT, args.base or "HEAD", args.charts, args.report, args.image_base_url)
    if not args.charts or args.report or args.image_base_url:
        print("error: --no-charts, --report and --image-base-url go with diff only", file=sys.stderr)
        return 2
    if args.command == "charts":
        if not args.base or args.check:
            print("error: charts takes the folder to write into, and no --check: python build.py charts DIR",
                  file=sys.stderr)
            return 2
        return charts_only(ROOT, Path(args.base))
    if args.check:
        return check(ROOT, args.stale_after)
    started = time.perf_counter()
    status = build(ROOT, args.site_dir)
    if not status:
        print(f"built {args.site_dir} in {time.perf_counter() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
