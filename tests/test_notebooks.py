"""Running the site's notebooks: a failing cell is a placed problem, and a run is reused."""

from __future__ import annotations

import nbformat
import pytest

from facts.problems import ProblemsFound
from pages.notebooks import NotebookRun


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
