"""The linters the pre-commit hooks run pass on the whole tree, so CI enforces them too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing():
    ruff = BIN / "ruff"
    assert ruff.exists(), "ruff is a pinned requirement: bash scripts/dev test installs it"
    result = subprocess.run([str(ruff), "check", "--no-fix", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_call_tools_that_exist():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {"fact-check", "ruff"} <= {hook["id"] for hook in hooks}
    for hook in hooks:
        program = hook["entry"].split()[0]
        assert program.startswith(".venv/bin/"), f"{hook['id']} runs {program}, not the pinned venv's"
        assert (BIN / Path(program).name).exists() or shutil.which(program), program
