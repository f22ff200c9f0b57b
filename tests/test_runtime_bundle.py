"""The committed chart runtime is exactly what the pinned npm packages build."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "docs" / "assets" / "javascripts" / "chart-runtime.js"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def test_committed_bundle_matches_a_fresh_build(tmp_path):
    if not ESBUILD.exists():
        if os.environ.get("CI"):
            pytest.fail("node_modules is missing: CI runs `npm ci` before the tests")
        pytest.skip("node_modules is missing: run `npm ci`")
    script = __import__("json").loads((ROOT / "package.json").read_text())["scripts"]["build:runtime"]
    command = script.replace("docs/assets/javascripts/chart-runtime.js", str(tmp_path / "out.js"))
    subprocess.run(command, shell=True, cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "PATH": f"{ROOT / 'node_modules' / '.bin'}:{os.environ['PATH']}"})
    assert (tmp_path / "out.js").read_bytes() == BUNDLE.read_bytes(), "run `npm run build:runtime` and commit"


def test_bundle_needs_no_eval_for_expressions():
    # The loader passes vega-interpreter as `expr`, so expressions never reach Function().
    loader = (ROOT / "docs" / "assets" / "javascripts" / "charts.js").read_text(encoding="utf-8")
    assert "expr: vega.expressionInterpreter" in loader and "{ ast: true }" in loader
