#!/usr/bin/env python3
"""How long the build takes, and how much memory, for the real site and for bigger ones, each
figure also as a ratio to a plain Material build measured in the same run.

    .venv/bin/python scripts/benchmark_build.py                 # the real site (1x)
    .venv/bin/python scripts/benchmark_build.py --scale 1 10 100
    .venv/bin/python scripts/benchmark_build.py --profile out.txt   # pyinstrument, cold build, 1x
    .venv/bin/python scripts/benchmark_build.py --profile out.txt --profile-step one-fact
    .venv/bin/python scripts/benchmark_build.py --profile out.txt --profile-step warm --scale 30
    .venv/bin/python scripts/benchmark_build.py --parallel          # SVGs in one process vs two

The baseline is scripts/baseline_site/: one Material for MkDocs page whose three charts (a bar
chart, a log-scale bar chart, a timeline) a hook draws to inline SVG with vl-convert. It is
built by the same generator (ProperDocs) in a fresh process, several times, half before the
project's figures and half after; its median is the unit of every ratio. On a shared machine
the seconds move with the load; the ratios much less.

For each scale the project is copied to a temporary folder. At scale N every fact and
event is copied N times (ids suffixed -x2 ... -xN, each copy in its own data file), every
chart is registered N times (each copy drawn from its own copies of the facts), and
every story page is copied N times (its references pointing at the copies), with its
Russian twin: both editions are built, as on the real site. The
notebook and the pages that list every item of a kind (the data page, the timeline, the
glossary, the corrections) stay single, as on a real site. Then, each in a fresh process:

  check        build.py --check, with no cache
  cold         build.py with an empty cache: every chart rendered, the notebook run
  warm         build.py again, nothing changed: everything reused
  one fact     build.py after one fact's value is edited (a fact shown by one chart and
               named on a page, so that chart is drawn again in each edition; the notebooks
               run again, as data/ changed)
  check + charts  after another edit of that fact, the part the cache governs: checking
               the data and bringing every edition's charts up to date (the one step that
               imports pipeline; see pipeline_seconds)

At 1x, cold, warm and one fact are each run --repeat times and the median is reported; then
the live preview (`properdocs serve`) is started in the copy, the fact is edited a few times,
and the time from writing the YAML file to the served page showing the new value is taken.

Reported: wall time, its ratio to the baseline, and the peak memory of the build's process
tree (the resident sizes of the build and of its children, such as the notebook kernel,
summed; sampled every 0.1 s, and never less than the largest single process).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE_SITE = ROOT / "scripts" / "baseline_site"
# What a build reads; besides these, every top-level module and package of the project is copied,
# so a new stage module is benchmarked without an edit here.
INPUTS = ("mkdocs.yml", "mkdocs.ru.yml", "babel.cfg", "locale", "data", "docs", "charts", "facts", "pages", "overrides")
NOT_INPUTS = {"tests", "scripts", "node_modules", "site", "build"}
REFERENCE = re.compile(r"\{\{\s*(fact|period|card|chart|date)\s*:\s*([^\s}]+)\s*\}\}")
FACT_REFERENCE = re.compile(r"\{\{\s*fact\s*:\s*([^\s}]+)\s*\}\}")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# The targets of issue 12, as (limit, unit): a ratio to the baseline, seconds, or MB.
ONE_FACT_BUILD_RATIO = 1.0
PREVIEW_SECONDS = 1.0
COLD_RATIO = 4.0
BIG_SCALE, BIG_COLD_SECONDS, BIG_MEMORY_MB = 100, 150.0, 1024.0
BOTH_CORES = 1.5           # average cores busy (CPU time / wall time) that counts as "using both"
LINEAR_SLACK = 1.1         # growth counts as linear if cost grows at most 10% faster than size

SERVE_START_SECONDS = 300  # the preview's first build, with a warm cache, takes a few seconds
SAVE_TO_PAGE_LIMIT = 90    # seconds to wait for one edit to show before giving up
POLL_SECONDS = 0.05        # how often the page is fetched while waiting for the new value
# The preview is done with an edit when its processes have been quiet for QUIET_SECONDS (longer than
# its 0.5 s polling of the files it watches): under QUIET_CPU s of CPU a quarter second (see wait_idle).
QUIET_SECONDS, QUIET_CPU, SETTLE_LIMIT = 1.0, 0.05, 300
BUILD_STARTS = "Building documentation..."   # logged at the start of every build, counted per edit


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


def _inputs() -> list[Path]:
    top = [p for p in sorted(ROOT.iterdir()) if not p.name.startswith(".") and p.name not in NOT_INPUTS]
    code = [p for p in top if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").is_file())]
    return sorted({ROOT / name for name in INPUTS} | set(code))


def make_project(scale: int, into: Path) -> Path:
    from facts.translations import FRONT_STAMP, edition_of, stamp

    into.mkdir(parents=True, exist_ok=True)
    for source in _inputs():
        if source.is_dir():
            shutil.copytree(source, into / source.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, into / source.name)
    if scale == 1:
        return into
    topics = [p for p in sorted((ROOT / "data").glob("*.yaml")) if p.name != "sources.yaml"]
    single = single_pages()
    # A copied page sits one folder down: its links to the pages that are not copied go up one.
    targets = [re.escape(name) for name in sorted(single)] + [r"explore\.ipynb", "downloads/"]
    link_out = re.compile(r"\]\((" + "|".join(targets) + ")")
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
            if page.name in single:
                continue
            text = REFERENCE.sub(lambda m, s=suffix: f"{{{{ {m[1]}: {m[2]}{s} }}}}", page.read_text(encoding="utf-8"))
            (pages / page.name).write_text(link_out.sub(r"](../\1", text), encoding="utf-8")
        # Each copied translation follows its copied English page (the stamp of that page's text).
        for twin in sorted(pages.glob("*.*.md")):
            _, english = edition_of(twin.name)
            text = twin.read_text(encoding="utf-8")
            now = stamp((pages / english).read_text(encoding="utf-8"))
            twin.write_text(FRONT_STAMP.sub(f'translated_from: "{now}"', text, count=1), encoding="utf-8")
    (into / "charts" / "scaled.py").write_text(SCALED_CHARTS.format(copies=scale), encoding="utf-8")
    with (into / "charts" / "__init__.py").open("a", encoding="utf-8") as init:
        init.write("from . import scaled  # noqa: E402,F401  (benchmark copies)\n")
    return into


def single_pages() -> set[str]:
    """Pages with a reference that lists every item of a kind ({{ fact-table }}, {{ event-list }}, ...):
    a site has one of each, however big; copied N times, each would list N times as much."""
    from pages.references import KINDS, find_references

    return {page.name for page in (ROOT / "docs").glob("*.md")
            if any(KINDS[ref.kind].names is None for ref in find_references(page.read_text(encoding="utf-8")))}


@dataclass(frozen=True)
class Run:
    """One process, measured."""
    seconds: float   # wall time
    cpu: float       # user + system seconds of the process and of the children it waited for
    mb: float        # peak resident memory of its process tree, summed (MB)
    largest_mb: float = 0.0   # the largest single process's peak (ru_maxrss), such as the build alone

    @property
    def cores(self) -> float:
        return self.cpu / self.seconds


def measured(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run ``command`` in a fresh process and measure it; stop with its error output if it fails."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        tree = psutil.Process(child.pid)
        while not done.wait(0.1):
            try:
                processes = [tree, *tree.children(recursive=True)]
            except psutil.Error:
                continue
            total = 0
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{shlex.join(command)} failed in {cwd}:\n{stderr.decode()[-3000:]}")
    largest = usage.ru_maxrss / 1024   # KB; it also catches a peak the sampler missed
    return Run(seconds, usage.ru_utime + usage.ru_stime, max(peak[0] / 2**20, largest), largest)


def run(project: Path, *args: str, cache: Path) -> Run:
    """One build.py run in a fresh process, with its cache in ``cache``."""
    return measured([sys.executable, "build.py", *args], project, {**ENV, "BUILD_CACHE_DIR": str(cache)})


def baseline_run() -> Run:
    """One cold build of the plain Material site, from a fresh copy of its sources."""
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        site = shutil.copytree(BASELINE_SITE, Path(tmp) / "src", ignore=shutil.ignore_patterns("__pycache__", "site"))
        return measured([sys.executable, "-m", "properdocs", "build", "--strict", "--config-file",
                         str(site / "mkdocs.yml"), "--site-dir", str(Path(tmp) / "site")], site)


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the lower middle one of an even number), so its numbers belong together."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


def pick_fact() -> tuple[str, str]:
    """A fact that exactly one chart draws and a story page names, and that page's source path."""
    import charts
    from facts.load import load_factbase

    base = load_factbase(ROOT / "data", ROOT)
    named = {}
    for page in sorted((ROOT / "docs").glob("*.md")):
        for fact_id in FACT_REFERENCE.findall(page.read_text(encoding="utf-8")):
            named.setdefault(fact_id, page.name)
    drawn_by = {fid: [c for c in charts.CHARTS.values() if fid in c.fact_ids()] for fid in base.facts}
    fact_id = next(fid for fid, used in sorted(drawn_by.items())
                   if len(used) == 1 and fid in named and base.facts[fid].value is not None
                   and base.facts[fid].value >= 10)   # digits, not words ("four"), so +1 reads plainly
    return fact_id, named[fact_id]


def bump(project: Path, fact_id: str) -> None:
    """Add one to the fact's value, in its YAML file in ``project``."""
    from facts.load import load_factbase

    where = load_factbase(ROOT / "data", ROOT).defined_at[fact_id]
    path = project / where[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i in range(where[1] - 1, len(lines)) if re.match(r"\s+value:\s", lines[i]))
    lines[line] = re.sub(r"(value:\s*)(\d+(?:\.\d+)?)", lambda m: m[1] + str(float(m[2]) + 1).removesuffix(".0"),
                         lines[line])
    path.write_text("".join(lines), encoding="utf-8")


def shown_as(project: Path, fact_id: str, add: int = 0) -> str:
    """How the page shows the fact's value in ``project``, plus ``add``, as the whole text of an
    element: '>25% of GDP<'."""
    from facts.format import format_fact
    from facts.load import load_factbase

    fact = load_factbase(project / "data", project).facts[fact_id]
    if add:
        fact = fact.model_copy(update={"value": fact.value + add})
    return f">{html.escape(format_fact(fact, prose=True))}<"


def counts(project: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", "import json, charts; from pathlib import Path; from facts.load import load_factbase; "
         "print(json.dumps([len(load_factbase(Path('data'), Path('.')).facts), len(charts.CHARTS)]))"],
        cwd=project, capture_output=True, text=True, check=True).stdout
    facts, chart_count = json.loads(out)
    pages = [p for p in (project / "docs").rglob("*") if p.suffix in (".md", ".ipynb")]
    return {"facts": facts, "charts": chart_count, "pages": len(pages)}


def measure(scale: int, fact_id: str, page: str, repeats: int, preview_edits: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{scale}x-") as tmp:
        tmp = Path(tmp)
        project = make_project(scale, tmp / "project")
        site = str(tmp / "site")
        result = {"scale": scale, **counts(project), "edited": fact_id}
        result["check"] = run(project, "--check", cache=tmp / "cache-check")
        cold = [run(project, "--site-dir", site, cache=tmp / f"cache-{i}") for i in range(repeats)]
        cache = tmp / f"cache-{repeats - 1}"   # the last cold build's, now warm
        warm = [run(project, "--site-dir", site, cache=cache) for _ in range(repeats)]
        one_fact = []
        for _ in range(repeats):
            bump(project, fact_id)
            one_fact.append(run(project, "--site-dir", site, cache=cache))
        result.update({"cold": median_run(cold), "warm": median_run(warm), "one fact": median_run(one_fact)})
        bump(project, fact_id)
        result["check + charts"] = pipeline_seconds(project, cache)
        if preview_edits:
            try:
                result["preview"] = preview_seconds(project, fact_id, page, cache, preview_edits)
            except PreviewFailed as failed:
                print(f"preview: {failed}", file=sys.stderr)
                result["preview failed"] = str(failed).split(";")[0]
        return result


PIPELINE = """
import json, time
import charts, pipeline
from charts.cache import RenderCache
from charts.render import render_all
from facts.lang import edition
started = time.perf_counter()
cache_dir, problems = pipeline.cache_dir_from_env(pipeline.ROOT)
checked = pipeline.check(pipeline.ROOT, cache_dir=cache_dir, problems=problems)
for lang in checked.editions:   # each edition's charts, from its view of the facts, as render() draws them
    with edition(lang):
        render_all(charts.every_chart(), checked.edition(lang).base, RenderCache(cache_dir))
print(json.dumps(time.perf_counter() - started))
"""


def pipeline_seconds(project: Path, cache: Path) -> float | None:
    """What the cache governs after an edit: check the data and bring every chart up to date
    (imports, MkDocs and the notebook excluded). Leaves the cache as a build would.

    The only place this script uses pipeline's API; while that is being changed, a failure
    here is reported and the figure left out, rather than stopping the benchmark."""
    out = subprocess.run([sys.executable, "-c", PIPELINE], cwd=project, capture_output=True, text=True,
                         env={**ENV, "BUILD_CACHE_DIR": str(cache)})
    if out.returncode:
        print(f"check + charts not measured (pipeline's API changed?):\n{out.stderr[-1500:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        # The preview holds a request while it rebuilds, then answers with the new page.
        with urllib.request.urlopen(url, timeout=SAVE_TO_PAGE_LIMIT) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


class PreviewFailed(Exception):
    """The preview did not show what it should, in time; the message says what, with its log."""


def log_tail(log: Path) -> str:
    """The end of the preview's log, and where the whole of it was kept."""
    kept = Path(tempfile.gettempdir()) / f"benchmark-serve-{time.strftime('%Y%m%d-%H%M%S')}.log"
    shutil.copyfile(log, kept)
    tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
    return f"the server's log ends (all of it: {kept}):\n{tail}"


def wait_for(predicate, seconds: float, what: str, log: Path) -> float:
    """Seconds until ``predicate()`` holds, polling every POLL_SECONDS; stops after ``seconds``."""
    started = time.perf_counter()
    for _ in range(int(seconds / POLL_SECONDS) + 1):
        if predicate():
            return time.perf_counter() - started
        if time.perf_counter() - started > seconds:
            break
        time.sleep(POLL_SECONDS)
    raise PreviewFailed(f"no {what} after {seconds} s; {log_tail(log)}")


def tree_cpu(process: psutil.Process) -> float:
    """CPU seconds used so far by a process and its children (a child that ended drops out)."""
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def wait_idle(server: subprocess.Popen, log: Path) -> float:
    """Seconds until the preview is done with an edit: its process tree (a notebook kernel too) has
    used under QUIET_CPU s of CPU in each quarter second, and its log has not grown, for QUIET_SECONDS
    (a rebuild keeps a core busy, and one is queued within 0.6 s of a change). The quiet time itself
    is not counted. (The log alone cannot say: ProperDocs drops a "Documentation built in 0.85
    seconds" it has printed before.)"""
    process, started = psutil.Process(server.pid), time.perf_counter()
    cpu, size, quiet_since = tree_cpu(process), log.stat().st_size, started
    while time.perf_counter() - started < SETTLE_LIMIT:
        time.sleep(0.25)
        now_cpu, now_size = tree_cpu(process), log.stat().st_size
        if abs(now_cpu - cpu) > QUIET_CPU or now_size != size:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since >= QUIET_SECONDS:
            return quiet_since - started
        cpu, size = now_cpu, now_size
    raise PreviewFailed(f"still busy after {SETTLE_LIMIT} s (rebuilding again and again?); {log_tail(log)}")


def preview_seconds(project: Path, fact_id: str, page: str, cache: Path, edits: int) -> dict[str, list]:
    """Per edit of the fact's YAML file: seconds from writing it to the preview's page showing the
    new value ("page"), and to the preview being done with it ("settled"), and how many times the
    preview rebuilt the site for it ("rebuilds")."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/" + ("" if page == "index.md" else page.removesuffix(".md") + "/")
    log = project.parent / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**ENV, "BUILD_CACHE_DIR": str(cache)})
    try:
        shown = shown_as(project, fact_id)
        wait_for(lambda: shown in fetch(url), SERVE_START_SECONDS, "first build", log)
        times = {"page": [], "settled": [], "rebuilds": []}
        for _ in range(edits):
            wait_idle(server, log)   # a maintainer edits a preview that is done with the last edit
            shown = shown_as(project, fact_id, add=1)
            if shown in fetch(url):
                raise PreviewFailed(f"{url} shows {shown!r} before the edit; pick another value")
            builds = log.read_text(encoding="utf-8", errors="replace").count(BUILD_STARTS)
            bump(project, fact_id)
            started = time.perf_counter()
            wait_for(lambda shown=shown: shown in fetch(url), SAVE_TO_PAGE_LIMIT, f"{shown!r} on {url}", log)
            times["page"].append(time.perf_counter() - started)
            times["settled"].append(times["page"][-1] + wait_idle(server, log))
            times["rebuilds"].append(log.read_text(encoding="utf-8", errors="replace").count(BUILD_STARTS) - builds)
        return times
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """Ctrl-C, as a maintainer stops it (it removes its temporary site); if it hangs, kill its
    process group (its own session: the server and anything it started)."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)


# --- the report --------------------------------------------------------------------------------

def ratio(seconds: float, baseline: float) -> str:
    return f"{seconds / baseline:.1f}x"


def cell(r: Run, baseline: float) -> str:
    """Wall time, its ratio, memory, and the cores busy on average (CPU time / wall time: below
    one for a one-process step, the machine's other load is showing)."""
    return f"{r.seconds:.1f} s = {ratio(r.seconds, baseline)}, {r.mb:.0f} MB, {r.cores:.1f} cores"


def table(results: list[dict], baseline: float) -> str:
    rows = ["| scale | facts | charts | pages | check | cold build | warm build | one-fact edit: build "
            "| one-fact edit: check + charts | one-fact edit: preview, save to page |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cells = [cell(r["check"], baseline), cell(r["cold"], baseline), cell(r["warm"], baseline),
                 cell(r["one fact"], baseline)]
        pipeline = r.get("check + charts")
        cells.append("n/a" if pipeline is None else f"{pipeline:.2f} s = {ratio(pipeline, baseline)}")
        preview = r.get("preview")
        if preview:
            page, settled = statistics.median(preview["page"]), statistics.median(preview["settled"])
            cells.append(f"{page:.1f} s = {ratio(page, baseline)} (median of {len(preview['page'])}: "
                         f"{min(preview['page']):.1f}–{max(preview['page']):.1f} s; "
                         f"every rebuild done: {settled:.1f} s, {statistics.median(preview['rebuilds']):g} rebuilds)")
        else:
            cells.append(f"failed: {r['preview failed']}" if "preview failed" in r else "–")
        rows.append(f"| {r['scale']}x | {r['facts']} | {r['charts']} | {r['pages']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def verdict(measured: float, limit: float, unit: str, at_least: bool = False) -> str:
    """'yes', or 'no' and by how much, for a figure against its limit (an upper one unless ``at_least``)."""
    if (measured >= limit) if at_least else (measured <= limit):
        return "yes"
    gap = abs(measured - limit)
    amount = {"x": f"{gap:.1f}x", "s": f"{gap:.1f} s", "MB": f"{gap:.0f} MB"}.get(unit, f"{gap:.1f} {unit}")
    return f"no: {amount} {'short' if at_least else 'over'} ({measured / limit:.2f} times the limit)"


def growth(results: list[dict], figure) -> tuple[str, float] | None:
    """How ``figure`` grows between the two largest scales: its growth against the size's."""
    if len(results) < 2:
        return None
    small, big = sorted(results, key=lambda r: r["scale"])[-2:]
    size, cost = big["scale"] / small["scale"], figure(big) / figure(small)
    return f"{small['scale']}x → {big['scale']}x: ×{cost:.1f} for ×{size:g} the size", cost / size


def targets(results: list[dict], baseline: float) -> str:
    rows = ["| target | measured | ratio to the baseline | met? |", "|---|---:|---:|---|"]
    real = next((r for r in results if r["scale"] == 1), None)
    if real:
        one = real["one fact"].seconds
        rows.append(f"| one-fact edit: `build.py` no slower than the baseline (≤ {ONE_FACT_BUILD_RATIO:g}x) "
                    f"| {one:.1f} s | {ratio(one, baseline)} | {verdict(one / baseline, ONE_FACT_BUILD_RATIO, 'x')} |")
        within = f"| one-fact edit: the preview shows it within {PREVIEW_SECONDS:g} s of the save "
        if real.get("preview"):
            save = statistics.median(real["preview"]["page"])
            rows.append(f"{within}| {save:.1f} s | {ratio(save, baseline)} | {verdict(save, PREVIEW_SECONDS, 's')} |")
        elif "preview failed" in real:
            rows.append(f"{within}| {real['preview failed']} | | no |")
        cold = real["cold"].seconds
        rows.append(f"| cold build of the real site ≤ {COLD_RATIO:g}x the baseline | {cold:.1f} s "
                    f"| {ratio(cold, baseline)} | {verdict(cold / baseline, COLD_RATIO, 'x')} |")
    big = next((r for r in results if r["scale"] == BIG_SCALE), None)
    if big:
        cold = big["cold"]
        rows += [f"| {BIG_SCALE}x site cold ≤ {BIG_COLD_SECONDS:g} s | {cold.seconds:.0f} s "
                 f"| {ratio(cold.seconds, baseline)} | {verdict(cold.seconds, BIG_COLD_SECONDS, 's')} |",
                 f"| {BIG_SCALE}x site cold uses both cores (≥ {BOTH_CORES:g} busy on average) "
                 f"| {cold.cores:.1f} cores | | {verdict(cold.cores, BOTH_CORES, 'cores', at_least=True)} |",
                 f"| {BIG_SCALE}x site cold in under {BIG_MEMORY_MB / 1024:g} GB | {cold.mb:.0f} MB "
                 f"(the largest process: {cold.largest_mb:.0f} MB) | "
                 f"| {verdict(cold.mb, BIG_MEMORY_MB, 'MB')} |"]
    else:
        rows.append(f"| {BIG_SCALE}x site cold ≤ {BIG_COLD_SECONDS:g} s, both cores, under "
                    f"{BIG_MEMORY_MB / 1024:g} GB | not measured (add {BIG_SCALE} to --scale) | | |")
    figures = (("cold build time", lambda r: r["cold"].seconds), ("cold build memory", lambda r: r["cold"].mb),
               ("warm build time", lambda r: r["warm"].seconds))
    for name, figure in figures:
        grown = growth(results, figure)
        if grown:
            rows.append(f"| {name} grows linearly (≤ {LINEAR_SLACK:g} × the size's growth) | {grown[0]} | "
                        f"| {verdict(grown[1], LINEAR_SLACK, 'x')} |")
    return "\n".join(rows)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return (f"{len(os.sched_getaffinity(0))} cores ({model}), Python {platform.python_version()}, "
            f"ProperDocs {version('properdocs')}, Material {version('mkdocs-material')}, "
            f"vl-convert {version('vl-convert-python')}")


def report(results: list[dict], baselines: list[Run], header: dict) -> str:
    baseline = median_run(baselines)
    times = [r.seconds for r in baselines]
    return "\n".join([
        f"Measured {header['date']} with `{header['command']}`",
        f"on {header['machine']}; load average {header['load before']} before, {header['load after']} after.",
        "",
        f"Baseline (scripts/baseline_site/: one Material page, three vl-convert charts, `properdocs build` "
        f"in a fresh process): **{baseline.seconds:.2f} s**, median of {len(baselines)} "
        f"({min(times):.2f}–{max(times):.2f} s), {baseline.mb:.0f} MB. Every ratio below is to it.",
        "",
        table(results, baseline.seconds),
        "",
        targets(results, baseline.seconds),
    ])


# --- other modes ------------------------------------------------------------------------------

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
    from facts.load import load_factbase

    base = load_factbase(ROOT / "data", ROOT)
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


def profile(out: Path, step: str, scale: int) -> None:
    """pyinstrument on one build of the site at ``scale``: cold, warm (nothing changed) or after a
    one-fact edit; for the last two, an unprofiled build first fills the cache."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        project = make_project(scale, Path(tmp) / "project")
        env = {**ENV, "BUILD_CACHE_DIR": str(Path(tmp) / "cache")}
        site = str(Path(tmp) / "site")
        if step != "cold":
            subprocess.run([sys.executable, "build.py", "--site-dir", site], cwd=project, check=True, env=env,
                           stdout=subprocess.DEVNULL)
        if step == "one-fact":
            bump(project, pick_fact()[0])
        subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(out.resolve()),
                        "build.py", "--site-dir", site], cwd=project, check=True, env=env)
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1], help="sizes to measure, as multiples")
    parser.add_argument("--baseline-runs", type=int, default=6, help="cold builds of the baseline (median)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build at 1x (median)")
    parser.add_argument("--preview-edits", type=int, default=5,
                        help="edits timed in the live preview at 1x (median); 0 to skip it")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=Path, metavar="OUT", help="profile one build (at the first --scale)")
    parser.add_argument("--profile-step", choices=["cold", "warm", "one-fact"], default="cold",
                        help="with --profile: a cold build, a warm one, or one after a one-fact edit")
    parser.add_argument("--parallel", action="store_true", help="time SVG drawing in one process and in two")
    args = parser.parse_args()
    if args.profile:
        return profile(args.profile, args.profile_step, args.scale[0])
    if args.parallel:
        return parallel()
    header = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
              "command": shlex.join([".venv/bin/python", "scripts/benchmark_build.py", *sys.argv[1:]]),
              "load before": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    fact_id, page = pick_fact()
    first = (args.baseline_runs + 1) // 2
    baselines = [baseline_run() for _ in range(first)]
    results = []
    for scale in args.scale:
        real = scale == 1
        results.append(measure(scale, fact_id, page, args.repeat if real else 1, args.preview_edits if real else 0))
        print(json.dumps(results[-1], default=asdict), file=sys.stderr, flush=True)
    baselines += [baseline_run() for _ in range(args.baseline_runs - first)]
    header["load after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(report(results, baselines, header))
    if args.json:
        args.json.write_text(json.dumps({"header": header, "baseline": baselines, "results": results},
                                        default=asdict, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
