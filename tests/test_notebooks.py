"""Running the site's notebooks: a failing cell is a placed problem, and a run is reused."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from facts.problems import ProblemsFound
from pages.notebooks import NotebookRun

ROOT = Path(__file__).resolve().parent.parent


def notebook(tmp_path, *cells: str):
    docs, data = tmp_path / "docs", tmp_path / "data"
    docs.mkdir()
    data.mkdir()
    (data / "x.yaml").write_text("facts: []\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A notebook")]
                                  + [nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, docs / "nb.ipynb")
    return docs, data


def run(tmp_path, docs, data) -> NotebookRun:
    return NotebookRun(docs, "nb.ipynb", data, tmp_path / "work", "docs/nb.ipynb")


def test_a_failing_cell_names_its_number_and_error(tmp_path):
    docs, data = notebook(tmp_path, "x = 1", "raise ValueError('no such column: shown')")
    with pytest.raises(ProblemsFound) as caught:
        run(tmp_path, docs, data).result()
    assert caught.value.problems[0].file == "docs/nb.ipynb"
    assert str(caught.value.problems[0]).endswith(
        "code cell 2: failed with ValueError: no such column: shown; expected it to run on the current data")


def test_a_run_is_reused_until_the_data_changes(tmp_path):
    docs, data = notebook(tmp_path, "import time\nprint(time.time_ns())")
    first = run(tmp_path, docs, data)
    output = first.result() / "nb.ipynb"
    printed = nbformat.read(output, as_version=4).cells[1].outputs[0]["text"]
    again = run(tmp_path, docs, data)
    assert again.key == first.key and again.result() / "nb.ipynb" == output
    assert nbformat.read(output, as_version=4).cells[1].outputs[0]["text"] == printed, "not run again"
    (data / "x.yaml").write_text("facts: []\n# edited\n", encoding="utf-8")
    assert run(tmp_path, docs, data).key != first.key


def test_the_kernel_is_reached_over_unix_sockets_without_a_warning(tmp_path, capfd, monkeypatch):
    """Over TCP, ipykernel warns on every build that code and outputs travel unencrypted, and any
    local user could connect to the kernel's ports; Unix sockets in a private folder are neither."""
    made: list[tuple[int | None, str]] = []   # (thread, folder): another test's run may still be going
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs):
        made.append((threading.get_ident(), real_mkdtemp(*args, **kwargs)))
        return made[-1][1]

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    docs, data = notebook(tmp_path, "from ipykernel.kernelapp import IPKernelApp\n"
                                    "print(IPKernelApp.instance().transport)")
    this_run = run(tmp_path, docs, data)
    output = this_run.result() / "nb.ipynb"
    assert nbformat.read(output, as_version=4).cells[1].outputs[0]["text"] == "ipc\n"
    # The kernel is a child process writing to this process's file descriptor 2: capfd sees it.
    err = capfd.readouterr().err
    assert "without encryption" not in err and "[IPKernelApp] WARNING" not in err, err
    folders = [folder for thread, folder in made if thread == this_run._thread.ident]
    assert len(folders) == 1 and len(folders[0]) < 40, folders
    assert not os.path.exists(folders[0]), "the socket folder is left behind"


def test_a_process_that_ends_mid_run_lets_the_run_finish_and_exits_cleanly(tmp_path):
    """A build that fails before it needs the notebook, or a test that never waits for a run,
    still ends promptly: the run completes and shuts its kernel down, rather than being cut
    off while nbclient's exit hook tears its sockets down (a hang, or a zmq abort)."""
    docs, data = notebook(tmp_path, "import time\ntime.sleep(1)\nprint('done')")
    work = tmp_path / "work"
    script = ("from pathlib import Path\nfrom pages.notebooks import NotebookRun\n"
              f"run = NotebookRun(Path({str(docs)!r}), 'nb.ipynb', Path({str(data)!r}), Path({str(work)!r}), 'nb')\n"
              "print(run.output)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Assertion failed" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    output = Path(result.stdout.strip())
    assert output.exists(), "the run was cut off when the process ended"
    assert nbformat.read(output, as_version=4).cells[1].outputs[0]["text"] == "done\n"
