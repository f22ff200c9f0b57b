"""The maintainer's live preview: `properdocs serve` rebuilds on a YAML or chart edit, survives a bad edit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from charts import CHARTS
from conftest import copy_project
from sites import fetch, free_port, warm_cache

REBUILD_TIMEOUT = 120  # seconds; a rebuild takes ~10 s on this 2-core machine


def wait_for(predicate, what: str, timeout: float = REBUILD_TIMEOUT, log: Path | None = None) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if predicate():
            return time.perf_counter() - started
        time.sleep(0.25)
    tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-40:]) if log else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{tail}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A preview of a copy of the project, started on a copy of the build cache the run's real-site
    build filled, as a maintainer's preview starts on the cache their last build left."""
    project = copy_project(tmp_path_factory.mktemp("serve"))
    cache = warm_cache(tmp_path_factory.mktemp("cache") / "build")
    port = free_port()
    log = project / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "properdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "BUILD_CACHE_DIR": str(cache)})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "8,000" in fetch(f"{base}/other-markets/"), "the first build")
        yield project, base, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_yaml_edit_reaches_the_preview(server):
    project, base, _ = server
    replace_in(project / "data" / "destinations.yaml", "    value: 8000\n", "    value: 8100\n")
    seconds = wait_for(lambda: "8,100" in fetch(f"{base}/other-markets/"), "the edited value")
    page = fetch(f"{base}/other-markets/")
    assert "8,000" not in page
    for chart in (c for c in CHARTS.values() if "uk-quota-kg-2024" in c.fact_ids()):
        assert "8,100" in fetch(f"{base}/charts/{chart.id}.csv"), f"{chart.id}.csv"
    print(f"\nsave-to-page: {seconds:.1f} s")


def test_chart_code_edit_reaches_the_preview(server):
    project, base, _ = server
    replace_in(project / "charts" / "destinations.py", 'title=N_("Kazakhstan draws more Central Asian workers")',
               'title=N_("Kazakhstan draws more Central Asian workers, per the article")')
    wait_for(lambda: "Kazakhstan draws more Central Asian workers, per the article" in fetch(f"{base}/other-markets/"),
             "the edited chart title")


# The edits below are of facts that one chart draws (uae-limit-before: destination-quotas;
# kz-labor-arrivals-before: kazakhstan-before-after). The first edit above is of a fact on the map,
# which the preview redraws with its six scrolled steps: 6-8 s a rebuild here, against about 2 s.


def test_bad_edit_is_reported_and_the_preview_recovers(server):
    project, base, log = server
    data = project / "data" / "destinations.yaml"
    replace_in(data, "    value: 15000\n", "    value: eight\n")
    wait_for(lambda: "expected a number, got 'eight'" in log.read_text(encoding="utf-8"), "the error in the log")
    text = log.read_text(encoding="utf-8")
    assert re.search(r"data/destinations\.yaml:\d+:5: facts\[\d+\]\(uae-limit-before\)\.value: "
                     r"expected a number, got 'eight' \(text\)", text)
    assert "Traceback" not in text
    # The preview shows the problem on the page, and keeps serving.
    wait_for(lambda: "expected a number, got &#x27;eight&#x27;" in fetch(f"{base}/other-markets/"),
             "the problem on the page")
    # The notebook is left out while the data is broken, without a warning about its nav entry.
    after = log.read_text(encoding="utf-8").split("expected a number, got 'eight'", 1)[1]
    assert "explore.ipynb" not in after, after
    replace_in(data, "    value: eight\n", "    value: 15200\n")
    wait_for(lambda: "15,200" in fetch(f"{base}/other-markets/"), "recovery after the fix", log=log)


def test_the_notebook_catches_up_without_holding_the_page_back(server):
    """The preview shows a page as soon as the facts are checked and drawn; the notebook runs
    on the new data meanwhile (held here until the page has shown the edit), and the preview
    rebuilds by itself when its run lands."""
    import json

    project, base, _ = server
    gate = project / "notebook-gate"   # the notebook waits for this file
    notebook = project / "docs" / "explore.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    first = next(cell for cell in cells["cells"] if cell["cell_type"] == "code")
    first["source"] = ["import pathlib, time\n",
                       f"deadline = time.monotonic() + {REBUILD_TIMEOUT}\n",
                       f"while not pathlib.Path({str(gate)!r}).exists() and time.monotonic() < deadline:\n",
                       "    time.sleep(0.1)\n", *first["source"]]
    notebook.write_text(json.dumps(cells), encoding="utf-8")
    replace_in(project / "data" / "destinations.yaml", "    value: 200000\n", "    value: 205000\n")
    wait_for(lambda: "205,000" in fetch(f"{base}/other-markets/"), "the edited value, while the notebook waits")
    assert "205,000" not in fetch(f"{base}/explore/"), "the notebook's new run cannot have finished yet"
    gate.touch()
    wait_for(lambda: "205,000" in fetch(f"{base}/explore/"), "the notebook, run again on the new data")
