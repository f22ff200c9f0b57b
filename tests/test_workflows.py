"""The GitHub Actions workflows, checked offline: valid, pinned, and running the README's tests.

check-jsonschema is a pinned requirement: without it these tests fail, they never skip,
so a broken workflow cannot slip through a machine that lacks the checker.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# An exact release tag (v4.2.2) or a full commit SHA; never a moving tag (v4) or a branch (main).
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in (workflow.get("jobs") or {}).values() for step in job.get("steps") or []]


def _uses(workflow: dict) -> list[str]:
    """Every action and reusable workflow a workflow calls, local ones (./...) left out."""
    refs = [step["uses"] for step in _steps(workflow) if "uses" in step]
    refs += [job["uses"] for job in (workflow.get("jobs") or {}).values() if "uses" in job]
    return [ref for ref in refs if not ref.startswith("./")]


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^(bash scripts/dev test)\b", readme, re.MULTILINE)
    assert found, "README.md no longer shows a `bash scripts/dev test` line; update this test with it"
    return found.group(1)


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "preview.yml"}


def test_workflows_match_githubs_schema():
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail("check-jsonschema is not installed in this Python environment; it is a pinned "
                    "requirement: run `.venv/bin/python -m pip install -r requirements.txt -c constraints.txt`")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *[str(p) for p in WORKFLOWS]],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_an_exact_version(path):
    uses = _uses(_load(path))
    assert uses, f"{path.name} uses no action at all; is it parsed right?"
    loose = [ref for ref in uses if not PINNED.match(ref)]
    assert loose == [], (f"{path.name}: pin each action to an exact release (owner/name@v1.2.3) "
                         f"or a full commit SHA, not {loose}")


def test_ci_runs_the_readme_test_command():
    command = _readme_test_command()
    runs = [line.strip() for step in _steps(_load(ROOT / ".github" / "workflows" / "ci.yml"))
            for line in str(step.get("run", "")).splitlines()]
    assert any(line == command or line.startswith(command + " ") for line in runs), \
        f"ci.yml does not run the README's test command {command!r}; its run lines: {runs}"
