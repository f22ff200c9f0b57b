"""Run the site's notebooks on the current data, in the background, and reuse the result.

Executing a notebook means starting a Python kernel, which takes seconds. So the
build starts each run on its own thread as soon as the data has been checked, lets
it overlap with chart rendering (the kernel is another process, so it uses the
other core), and waits for it only when the page is needed. A run is reused while
the notebook, data/, and the code and packages it uses are all unchanged.

The executed copy keeps the notebook's file name, so the page shows it and
readers download it with its outputs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from traitlets.config import Config

from charts.cache import cache_key, write_atomically
from facts.lang import DEFAULT, EDITION_ENV
from facts.problems import Problem, ProblemsFound

CELL_TIMEOUT_SECONDS = 120
PACKAGES = ("pandas", "ipykernel", "nbclient", "nbformat")


def run_key(notebook: Path, data_dir: Path) -> str:
    """A run's folder: named by the notebook, every file in data/ (by its path there), the
    project's code and the packages that run it."""
    data_files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    return cache_key({"notebook": notebook.name, "data": [p.relative_to(data_dir).as_posix() for p in data_files]},
                     files=[notebook, *data_files], packages=PACKAGES)[:32]


class NotebookRun:
    """One notebook executed on a background thread into ``<work dir>/<key>/<src>``."""

    def __init__(self, docs_dir: Path, src: str, data_dir: Path, work_dir: Path, shown_as: str,
                 source: str | None = None, lang: str = DEFAULT):
        # ``source``: the file under docs/ when it is not ``src`` (another edition's: explore.ru.ipynb)
        self.source = docs_dir / (source or src)
        self.key = run_key(self.source, data_dir)
        self.src_dir = work_dir / self.key
        self.output = self.src_dir / src
        self.shown_as = shown_as   # the notebook's path as problems name it
        self.lang = lang           # the edition its kernel runs in (facts/lang.py, EDITION_ENV)
        self.error: Problem | None = _failure(self.src_dir)
        # A run of the same notebook on the same data already under way in this process (the
        # preview rebuilds while one runs): wait for that one rather than start a second kernel.
        name = f"notebook run {self.output}"
        self._thread = next((t for t in threading.enumerate() if t.name == name and t.is_alive()), None)
        if self._thread is None and not self.output.exists() and self.error is None:
            # Not a daemon: a process that ends (a failed build, a test) waits for the run to
            # finish and shut its kernel down. A daemon thread would be cut off mid-run while
            # nbclient's exit hook tore its sockets down under it, hanging or aborting the exit.
            self._thread = threading.Thread(target=self._execute, name=name)
            self._thread.start()

    def _execute(self) -> None:
        notebook = nbformat.read(self.source, as_version=4)
        # The kernel talks to this process over Unix sockets in a private folder of its own
        # (0700, from mkdtemp), not over TCP on localhost, which any local user could reach
        # and which makes ipykernel warn on every build. The folder's path is kept short:
        # a Unix socket's path may not exceed about 100 bytes.
        sockets = tempfile.mkdtemp(prefix="nb-", dir="/tmp" if os.path.isdir("/tmp") else None)
        # record_timing=False: execution timestamps in the output would make every build differ.
        client = NotebookClient(notebook, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(self.source.parent)}},
                                config=ipc_kernel_config(sockets))
        # The kernel's own output (ipykernel can print a traceback as it shuts down while busy)
        # goes to a log in that folder, not into the maintainer's terminal; a dead kernel's
        # last words are reported from it.
        kernel_log = open(os.path.join(sockets, "kernel.log"), "w+b")   # noqa: SIM115 (closed below)
        try:
            client.execute(stdout=kernel_log, stderr=kernel_log, env={**os.environ, EDITION_ENV: self.lang})
        except DeadKernelError:
            kernel_log.seek(0)
            said = [line for line in kernel_log.read().decode("utf-8", "replace").splitlines() if line.strip()]
            self.error = Problem(self.shown_as, 1, 1, "kernel", "the notebook's kernel died"
                                 + (f": {said[-1][:300]}" if said else "") + "; expected it to run to the end")
            self._say_finished()
            return
        except (CellExecutionError, CellTimeoutError) as failed:
            code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
            number = next((n for n, cell in enumerate(code_cells, start=1)
                           if any(out.get("output_type") == "error" for out in cell.get("outputs", []))), None)
            where = f"code cell {number}" if number else "a code cell"
            self.error = Problem(self.shown_as, 1, 1, where, _first_line(failed))
            # Kept, like a result: the same notebook on the same data fails the same way, and
            # the preview, which watches this folder, rebuilds to show the problem.
            write_atomically(self.src_dir / FAILED, json.dumps(dataclasses.asdict(self.error)).encode("utf-8"))
            self._say_finished()
            return
        finally:
            kernel_log.close()
            shutil.rmtree(sockets, ignore_errors=True)
        _forget_addresses(notebook)
        # Atomically: a killed build never leaves half a notebook to reuse.
        text = nbformat.writes(notebook)
        write_atomically(self.output, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
        self._say_finished()

    def _say_finished(self) -> None:
        """Tell the preview, which watches this file's folder (and not the runs', which are pruned)."""
        write_atomically(finished_signal(self.src_dir.parent), self.key.encode())

    def done(self) -> bool:
        return self._thread is None or not self._thread.is_alive()

    def result(self) -> Path:
        """The executed notebook's folder, to use as its source folder; waits for the run."""
        if self._thread:
            self._thread.join()
            self.error = self.error or _failure(self.src_dir)   # the thread may be another run's
        if self.error:
            raise ProblemsFound([self.error])
        return self.src_dir


FAILED = "failed.json"   # in a run's folder: the problem of a run that failed


def _failure(run_dir: Path) -> Problem | None:
    try:
        return Problem(**json.loads((run_dir / FAILED).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def finished_signal(work_dir: Path) -> Path:
    """A file beside the runs' folder, rewritten each time a run finishes (its key)."""
    return work_dir.with_name(work_dir.name + "-finished") / "last"


def previous_run(work_dir: Path, src: str, not_key: str) -> Path | None:
    """The folder of the newest finished run of ``src`` other than ``not_key``: what the preview
    shows while the notebook runs again on new data."""
    runs = [d for d in work_dir.iterdir() if d.name != not_key and (d / src).is_file()] if work_dir.is_dir() else []
    return max(runs, key=lambda d: (d / src).stat().st_mtime_ns, default=None)


def ipc_kernel_config(folder: str) -> Config:
    """Kernel manager settings for a kernel reached over Unix sockets in ``folder``."""
    return Config({"KernelManager": {"transport": "ipc", "connection_file": os.path.join(folder, "kernel.json"),
                                     "ip": os.path.join(folder, "kernel")}})


def _forget_addresses(notebook) -> None:
    """'<...Styler at 0x7fd4...>' -> '<...Styler>': a plain-text repr beside a table or chart
    names a memory address, which differs on every run and would make builds differ."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("text/plain")
            if isinstance(plain, str):
                output["data"]["text/plain"] = _ADDRESS.sub(">", plain)


_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def _first_line(failed: Exception) -> str:
    """'failed with ValueError: ...': the last 'SomethingError: ...' line of the traceback."""
    lines = [line.strip() for line in _ANSI.sub("", str(failed)).splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR_LINE.match(line)]
    said = errors[-1] if errors else (lines[-1] if lines else type(failed).__name__)
    return f"failed with {said[:300]}; expected it to run on the current data"


_ERROR_LINE = re.compile(r"[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b:?")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def prune(work_dir: Path, keep: set[str]) -> None:
    """Forget runs no longer wanted, so the cache holds one run per notebook state in use."""
    if work_dir.is_dir():
        for child in work_dir.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
