"""scripts/benchmark_build.py: its baseline site builds, its copies scale, its arithmetic and verdicts are right.

The benchmark itself takes minutes; these take seconds and check the parts a wrong number
would come from.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pages.editions import published
from sites import run_build

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("benchmark_build", ROOT / "scripts" / "benchmark_build.py")
bench = sys.modules["benchmark_build"] = importlib.util.module_from_spec(SPEC)   # dataclasses look it up
SPEC.loader.exec_module(bench)
Run = bench.Run


def test_baseline_site_builds_one_page_with_three_inline_svg_charts(tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "--config-file",
                    str(bench.BASELINE_SITE / "mkdocs.yml"), "--site-dir", str(site)],
                   check=True, capture_output=True, env=bench.ENV, timeout=120)
    page = (site / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart"><svg.*?</svg></figure>', page, re.DOTALL)
    assert len(figures) == 3
    assert "Value (log scale)" in figures[1]
    assert "<!-- chart:" not in page, "every marker was replaced"
    assert [p.name for p in site.rglob("*.html") if p.name != "404.html"] == ["index.html"]


def test_baseline_run_measures_a_fresh_process():
    run = bench.baseline_run()
    assert 0 < run.cpu and 0 < run.seconds < 120
    assert run.mb >= run.largest_mb > 50, "the generator and vl-convert's runtime are in memory"
    assert not (bench.BASELINE_SITE / "site").exists(), "the fixture's folder is left as it was"


def test_the_median_run_is_one_of_the_runs():
    runs = [Run(3.0, 1, 10), Run(1.0, 1, 30), Run(2.0, 1, 20)]
    assert bench.median_run(runs) == Run(2.0, 1, 20)
    assert bench.median_run(runs + [Run(4.0, 1, 40)]) == Run(2.0, 1, 20), "the lower middle of an even number"


def result(scale: int, cold: Run, warm: float, one_fact: float, **more) -> dict:
    return {"scale": scale, "facts": 26 * scale, "charts": 6 * scale, "pages": 13 * scale,
            "check": Run(1.0, 1.0, 90), "cold": cold, "warm": Run(warm, warm, 120),
            "one fact": Run(one_fact, one_fact, 200), "check + charts": 0.5, **more}


RESULTS = [
    result(1, Run(7.0, 7.0, 300), 2.0, 3.0, preview={"page": [0.5, 0.9, 2.0], "settled": [3.0, 4.0, 5.0],
                                                       "rebuilds": [4, 2, 4]}),
    result(10, Run(20.0, 25.0, 400), 6.0, 8.0),
    result(100, Run(170.0, 255.0, 1100, 900), 70.0, 60.0),
]


def test_every_figure_is_given_in_seconds_and_as_a_ratio_to_the_baseline():
    rows = bench.table(RESULTS, baseline=2.0).splitlines()
    one = rows[2]
    assert "| 7.0 s = 3.5x, 300 MB, 1.0 cores |" in one
    assert "| 3.0 s = 1.5x, 200 MB, 1.0 cores |" in one
    assert "| 0.50 s = 0.2x |" in one
    assert "| 0.9 s = 0.5x (median of 3: 0.5–2.0 s; every rebuild done: 4.0 s, 4 rebuilds) |" in one
    assert rows[4].startswith("| 100x | 2600 | 600 | 1300 |")
    assert "170.0 s = 85.0x, 1100 MB, 1.5 cores" in rows[4]
    assert rows[4].endswith("| – |"), "the preview is measured at 1x only"


def test_targets_say_met_or_by_how_much_not():
    rows = bench.targets(RESULTS, baseline=2.0).splitlines()[2:]

    def row(start: str) -> str:
        return next(r for r in rows if r.startswith("| " + start))

    assert row("one-fact edit: `build.py`").endswith("| 3.0 s | 1.5x | no: 0.5x over (1.50 times the limit) |")
    assert row("one-fact edit: the preview").endswith("| 0.9 s | 0.5x | yes |")
    assert row("cold build of the real site").endswith("| 7.0 s | 3.5x | yes |")
    assert row("100x site cold ≤").endswith("| 170 s | 85.0x | no: 20.0 s over (1.13 times the limit) |")
    assert row("100x site cold uses both").endswith("| 1.5 cores | | yes |")
    assert row("100x site cold in under").endswith("| 1100 MB (the largest process: 900 MB) | "
                                                   "| no: 76 MB over (1.07 times the limit) |")
    # 10x -> 100x: cold time x8.5 and memory x2.75 for x10 the size; warm x11.7, over the 10% slack.
    assert row("cold build time grows").endswith("| 10x → 100x: ×8.5 for ×10 the size | | yes |")
    assert row("cold build memory grows").endswith("| 10x → 100x: ×2.8 for ×10 the size | | yes |")
    assert "no: 0.1x over (1.06 times the limit)" in row("warm build time grows")


def test_a_failed_preview_is_reported_not_timed():
    failed = [result(1, Run(7.0, 7.0, 300), 2.0, 3.0, **{"preview failed": "no '>25% of GDP<' on / after 90 s"})]
    assert "failed: no '>25% of GDP<' on / after 90 s" in bench.table(failed, baseline=2.0)
    assert "| no '>25% of GDP<' on / after 90 s | | no |" in bench.targets(failed, baseline=2.0)


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    real = bench.make_project(1, tmp_path_factory.mktemp("real"))
    doubled = bench.make_project(2, tmp_path_factory.mktemp("doubled"))
    return real, doubled


def test_a_copy_at_twice_the_scale_has_twice_the_facts_and_charts(copies):
    real, doubled = (bench.counts(project) for project in copies)
    assert doubled["facts"] == 2 * real["facts"]
    assert doubled["charts"] == 2 * real["charts"]
    single = bench.single_pages()
    assert {"data-and-sources.md", "timeline.md"} <= single, "the pages that list every fact, every event"
    notebooks = len(list((copies[0] / "docs").glob("*.ipynb")))   # not copied either (one per edition)
    assert doubled["pages"] == 2 * real["pages"] - len(single) - notebooks


def test_a_copy_publishes_both_editions_and_checks_clean(copies):
    """The benchmark builds what build.py builds: every edition. A copied page's twin follows the
    copy (its stamp is that of the copied English), so the copy checks without a problem."""
    result = run_build(copies[1], "--check", env={"BUILD_CACHE_DIR": ""}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert published(copies[1]) == published(ROOT) == ("en", "ru")


def test_a_bump_adds_one_to_the_fact_and_changes_what_the_page_shows(copies):
    from facts.load import load_factbase

    project = copies[0]
    fact_id, page = bench.pick_fact()
    assert fact_id in bench.FACT_REFERENCE.findall((project / "docs" / page).read_text(encoding="utf-8"))
    before = load_factbase(project / "data", project).facts[fact_id].value
    shown = bench.shown_as(project, fact_id)
    bench.bump(project, fact_id)
    assert load_factbase(project / "data", project).facts[fact_id].value == before + 1
    assert bench.shown_as(project, fact_id) != shown
    assert load_factbase(ROOT / "data", ROOT).facts[fact_id].value == before, "the project's own data is untouched"


def test_the_cpu_plugin_writes_each_tests_cpu_and_wall_seconds(tmp_path):
    """scripts/pytest_cpu.py, which BENCHMARKS.md's per-test figures come from."""
    (tmp_path / "test_two.py").write_text(
        "import time\n"
        "def test_spins():\n    end = time.process_time() + 0.3\n    while time.process_time() < end: pass\n"
        "def test_sleeps():\n    time.sleep(0.3)\n", encoding="utf-8")
    out = tmp_path / "cpu.tsv"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "scripts"), "CPU_PER_TEST": str(out)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "pytest_cpu", "-p", "no:cacheprovider",
                             "test_two.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {nodeid: (float(cpu), float(wall))
            for nodeid, cpu, wall in (line.split("\t") for line in out.read_text(encoding="utf-8").splitlines())}
    assert list(rows) == ["test_two.py::test_spins", "test_two.py::test_sleeps"]
    spins, sleeps = rows["test_two.py::test_spins"], rows["test_two.py::test_sleeps"]
    assert spins[0] >= 0.25 and spins[1] >= 0.25, spins   # this process kept a core busy for 0.3 s
    assert sleeps[1] >= 0.3, sleeps
    # The machine's cores can be busy no longer than the clock ran, each (seconds, not ticks).
    cores = os.cpu_count() or 1
    assert all(0 <= cpu <= cores * wall + 0.05 for cpu, wall in rows.values()), rows
