#!/usr/bin/env python3
"""How long the build takes, and how much memory, for the real site and for bigger ones.

    .venv/bin/python scripts/benchmark_build.py                 # the real site (1x)
    .venv/bin/python scripts/benchmark_build.py --scale 1 10 100
    .venv/bin/python scripts/benchmark_build.py --profile out.txt   # pyinstrument, cold build, 1x
    .venv/bin/python scripts/benchmark_build.py --parallel          # SVGs in one process vs two

For each scale the project is copied to a temporary folder. At scale N every fact and
event is copied N times (ids suffixed -x2 ... -xN, each copy in its own data file), every
chart is registered N times (each copy drawn from its own copies of the facts), and
every story page is copied N times (its references pointing at the copies). The
notebook and the data page stay single, as on a real site. Then, each in a fresh
process:

  check        build.py --check
  cold         build.py with an empty cache: every chart rendered, the notebook run
  warm         build.py again, nothing changed: everything reused
  one fact     build.py after one fact's value is edited (a fact shown by one chart,
               so one chart is re-rendered; the notebook runs again, as data/ changed).
               Before it, in its own process, the part the cache governs is timed:
               checking the data and bringing every chart up to date.

Reported: wall time, and the peak resident memory of the largest process (the build;
the notebook kernel is a separate, smaller process).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INPUTS = ("build.py", "pipeline.py", "mkdocs_hooks.py", "mkdocs.yml", "data", "docs", "charts", "facts",
          "pages", "overrides")
SINGLE_PAGES = {"data-and-sources.md"}        # lists every fact: one per site
REFERENCE = re.compile(r"\{\{\s*(fact|period|card|chart|date)\s*:\s*([^\s}]+)\s*\}\}")
LINK_OUT = re.compile(r"\]\((data-and-sources\.md|explore\.ipynb|downloads/)")

SCALED_CHARTS = '''\
"""Benchmark only: {copies} copies of every chart, each drawn from its own copies of the facts."""

import dataclasses
import re

from facts.load import FactBase

from .registry import CHARTS, PLACEHOLDER


COPY = re.compile(r"-x\\d+$")


def _own_events(base, suffix):
    """A timeline shows its own copy of the events (the originals: those with no suffix)."""
    return {{eid: e for eid, e in base.events.items()
            if (eid.endswith(suffix) if suffix else not COPY.search(eid))}}


def _copy(chart, suffix):
    def build(base):
        # The builder names the original ids; hand it this copy's facts under those names too.
        facts = {{**base.facts, **{{fid[: -len(suffix)]: f for fid, f in base.facts.items() if fid.endswith(suffix)}}}}
        return chart.build(FactBase(base.sources, facts, _own_events(base, suffix), base.defined_at))

    rename = lambda text: PLACEHOLDER.sub(lambda m: m[0][:-1] + suffix + "}}", text)  # noqa: E731
    return dataclasses.replace(chart, id=chart.id + suffix, facts=tuple(f + suffix for f in chart.facts),
                               title=rename(chart.title), summary=rename(chart.summary), build=build)


for original in list(CHARTS.values()):
    for k in range(2, {copies} + 1):
        copy = _copy(original, f"-x{{k}}")
        CHARTS[copy.id] = copy
    if original.uses_events:
        CHARTS[original.id] = dataclasses.replace(original, build=lambda base, build=original.build: build(
            FactBase(base.sources, base.facts, _own_events(base, ""), base.defined_at)))
'''


def make_project(scale: int, into: Path) -> Path:
    for name in INPUTS:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, into / name)
    shutil.rmtree(into / ".cache", ignore_errors=True)
    if scale == 1:
        return into
    topics = [p for p in sorted((ROOT / "data").glob("*.yaml")) if p.name != "sources.yaml"]
    for k in range(2, scale + 1):
        suffix = f"-x{k}"
        copied = {"facts": [], "events": []}
        for path in topics:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            for kind in copied:
                copied[kind] += [{**item, "id": item["id"] + suffix} for item in document.get(kind, [])]
        (into / "data" / f"scale{suffix}.yaml").write_text(yaml.safe_dump(copied, sort_keys=False), encoding="utf-8")
        pages = into / "docs" / f"scale{suffix}"
        pages.mkdir()
        for page in sorted((ROOT / "docs").glob("*.md")):
            if page.name in SINGLE_PAGES:
                continue
            text = REFERENCE.sub(lambda m, s=suffix: f"{{{{ {m[1]}: {m[2]}{s} }}}}", page.read_text(encoding="utf-8"))
            (pages / page.name).write_text(LINK_OUT.sub(r"](../\1", text), encoding="utf-8")
    (into / "charts" / "scaled.py").write_text(SCALED_CHARTS.format(copies=scale), encoding="utf-8")
    with (into / "charts" / "__init__.py").open("a", encoding="utf-8") as init:
        init.write("from . import scaled  # noqa: E402,F401  (benchmark copies)\n")
    return into


def run(project: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one build.py run in a fresh process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "build.py", *args], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"build.py {' '.join(args)} failed in {project}:\n{stderr.decode()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def edit_one_fact(project: Path) -> str:
    """Bump the value of a fact that exactly one chart draws; return its id."""
    import charts
    from facts.load import load_factbase

    base = load_factbase(ROOT / "data", ROOT)
    drawn_by = {fid: [c for c in charts.CHARTS.values() if fid in c.fact_ids()] for fid in base.facts}
    fact_id = next(fid for fid, used in sorted(drawn_by.items())
                   if len(used) == 1 and base.facts[fid].value is not None)
    path = project / base.defined_at[fact_id][0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = base.defined_at[fact_id][1]
    line = next(i for i in range(start - 1, len(lines)) if re.match(r"\s+value:\s", lines[i]))
    lines[line] = re.sub(r"(value:\s*)(\d+(?:\.\d+)?)", lambda m: m[1] + str(float(m[2]) + 1).removesuffix(".0"),
                         lines[line])
    path.write_text("".join(lines), encoding="utf-8")
    return fact_id


def measure(scale: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{scale}x-") as tmp:
        project = make_project(scale, Path(tmp))
        counts = json.loads(subprocess.run(
            [sys.executable, "-c", "import json, charts, pipeline; p = pipeline.Project(); b = p.check(); "
             "print(json.dumps([len(b.facts), len(charts.CHARTS), len(list(p.docs_dir.rglob('*.md'))) + 1]))"],
            cwd=project, capture_output=True, text=True, check=True).stdout)
        result = {"scale": scale, "facts": counts[0], "charts": counts[1], "pages": counts[2]}
        result["check"] = run(project, "--check")
        result["cold"] = run(project, "--site-dir", str(project / "site"))
        result["warm"] = run(project, "--site-dir", str(project / "site"))
        result["edited"] = edit_one_fact(project)
        result["pipeline"] = pipeline_seconds(project)
        result["one fact"] = run(project, "--site-dir", str(project / "site"))
        return result


PIPELINE = """
import json, sys, time
from pipeline import Project
started = time.perf_counter()
project = Project()
project.check()
project.render_charts()
print(json.dumps(time.perf_counter() - started))
"""


def pipeline_seconds(project: Path) -> float:
    """What the cache governs after an edit: check the data and bring every chart up to date
    (imports, MkDocs and the notebook excluded). Leaves the cache as a build would."""
    out = subprocess.run([sys.executable, "-c", PIPELINE], cwd=project, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def table(results: list[dict]) -> str:
    rows = ["| scale | facts | charts | pages | check | cold build | warm build | one-fact edit: build "
            "| one-fact edit: check + charts |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cells = [f"{s:.1f} s, {mb:.0f} MB" for s, mb in (r["check"], r["cold"], r["warm"], r["one fact"])]
        rows.append(f"| {r['scale']}x | {r['facts']} | {r['charts']} | {r['pages']} | " + " | ".join(cells)
                    + f" | {r['pipeline']:.2f} s |")
    return "\n".join(rows)


def _svgs(specs: list[dict]) -> list[str]:
    import vl_convert

    return [vl_convert.vega_to_svg(spec) for spec in specs]


def parallel(copies: int = 6) -> None:
    """Does drawing SVGs in two processes beat one? (It would need charts/render.py to use them.)"""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import vl_convert

    import charts
    from charts.cache import chart_inputs
    from charts.layout import WIDTHS
    from charts.render import _fixed_width, with_config
    from pipeline import Project

    base = Project().check()
    specs = [vl_convert.vegalite_to_vega(_fixed_width(with_config(c.spec(chart_inputs(c, base))), WIDTHS["wide"]))
             for c in charts.CHARTS.values()] * copies
    _svgs(specs[:4])   # warm up the JavaScript runtime
    started = time.perf_counter()
    _svgs(specs)
    one = time.perf_counter() - started
    started = time.perf_counter()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_svgs, [specs[0::2], specs[1::2]]))
    two = time.perf_counter() - started
    print(f"{len(specs)} SVGs: one process {one:.2f} s, two processes {two:.2f} s (including their start)")


def profile(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        project = make_project(1, Path(tmp))
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out.resolve()),
                        "build.py", "--site-dir", str(project / "site")],
                       cwd=project, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1], help="sizes to measure, as multiples")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=Path, metavar="OUT", help="profile a cold build of the real site")
    parser.add_argument("--parallel", action="store_true", help="time SVG drawing in one process and in two")
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile)
    if args.parallel:
        return parallel()
    results = []
    for scale in args.scale:
        results.append(measure(scale))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
