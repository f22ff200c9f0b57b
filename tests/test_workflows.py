"""The GitHub Actions workflows, checked offline: valid, pinned, least privilege, and running
the README's tests.

check-jsonschema is a pinned requirement: without it these tests fail, they never skip,
so a broken workflow cannot slip through a machine that lacks the checker. (actionlint is not
used: its PyPI wrapper downloads the binary from GitHub while installing, which a hashed,
PyPI-only install cannot allow.)
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# A full commit SHA, which no one can move, with the release it is in a comment beside it:
# `uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`. A tag, even an
# exact one, can be moved to other code by whoever controls the action's repository.
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+# v\d+(\.\d+){1,2}\s*$")
PUBLISHING = {"pages": "write", "id-token": "write"}


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
def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it(path):
    uses = _uses(_load(path))
    assert uses, f"{path.name} uses no action at all; is it parsed right?"
    lines = [(n, m) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if (m := USES_LINE.match(line)) and not m["ref"].startswith("./")]
    assert sorted(m["ref"] for _, m in lines) == sorted(uses), "every uses: should sit on a line of its own"
    loose = [f"{path.name}:{n}: {m['ref']}{m['rest']}" for n, m in lines
             if not (PINNED.match(m["ref"]) and VERSION_COMMENT.match(m["rest"]))]
    assert loose == [], ("pin each action to a full 40-hex commit SHA with its release in a comment "
                         "(owner/name@<sha> # v1.2.3), not:\n" + "\n".join(loose))


def _write_permissions(permissions) -> dict[str, str]:
    if isinstance(permissions, str):   # read-all / write-all
        return {"*": permissions} if permissions != "read-all" else {}
    return {scope: level for scope, level in (permissions or {}).items() if level == "write"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_only_the_deploy_job_can_publish(path):
    workflow = _load(path)
    assert workflow.get("permissions") == {"contents": "read"}, \
        f"{path.name}: the workflow's own permissions should be `contents: read` alone; jobs add what they need"
    for name, job in workflow["jobs"].items():
        granted = _write_permissions(job.get("permissions"))
        if (path.name, name) == ("deploy.yml", "deploy"):
            assert granted == PUBLISHING, f"the deploy job needs exactly {PUBLISHING}, has {granted}"
        else:
            assert not (granted.keys() & {"*", *PUBLISHING}), \
                f"{path.name}: job {name} may not publish ({granted}); only deploy.yml's deploy job may"
    # No job that runs the project's code may write to anything but its own pull request.
    if path.name == "preview.yml":
        assert _write_permissions(workflow["jobs"]["preview"]["permissions"]) == {"pull-requests": "write"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_checkout_leaves_the_token_in_the_repository(path):
    checkouts = [step for step in _steps(_load(path)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts, f"{path.name} checks nothing out; is it parsed right?"
    for step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, \
            f"{path.name}: actions/checkout without `persist-credentials: false` leaves the token in .git/config"


def _diff_step() -> dict:
    steps = [step for step in _steps(_load(ROOT / ".github" / "workflows" / "preview.yml"))
             if "build.py diff" in str(step.get("run", ""))]
    assert len(steps) == 1, "preview.yml should run build.py diff in one step"
    return steps[0]


def test_the_diff_step_takes_its_inputs_from_the_environment():
    step = _diff_step()
    assert step.get("shell") == "bash", "the step is tested as `shell: bash` runs it (bash -eo pipefail)"
    assert "${{" not in step["run"], "expressions go through env:, never into the script's text"


REPORT = "## Fact changes since `origin/main`\n\n"


@pytest.mark.parametrize(("status", "prints", "step_exit"), [
    (0, REPORT + "No fact, event or source changed.\n", 0),
    (1, REPORT + "1 changed, 0 added, 0 removed.\n", 0),
    (2, "", 2),
    (3, "", 3),
    (1, "", 2),                                   # a crash: Python exits 1 with a traceback, no report
    (0, "Traceback (most recent call last):\n", 2),
], ids=["unchanged", "changed", "error", "other-error", "crash", "no-report"])
def test_the_diff_step_tells_no_change_changes_and_errors_apart(tmp_path, status, prints, step_exit):
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(f"#!/bin/sh\nprintf '%s' '{prints}'\necho 'build.py diff said something' >&2\n"
                    f"exit {status}\n", encoding="utf-8")
    fake.chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text(_diff_step()["run"], encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.touch()
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "BASE_REF": "main", "PR_NUMBER": "12",
           "ARTIFACT_URL": "https://example.org/artifact", "RUN_URL": "https://example.org/run"}
    # As GitHub runs `shell: bash`.
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == step_exit, result.stdout + result.stderr
    if step_exit:
        assert "::error::" in result.stdout and summary.read_text(encoding="utf-8") == ""
    else:
        assert summary.read_text(encoding="utf-8") == prints
        comment = (tmp_path / "comment.md").read_text(encoding="utf-8")
        assert comment.startswith(prints) and "`site-preview-pr-12`" in comment


def test_installs_are_hash_checked_and_caches_follow_the_lock():
    text = "\n".join(p.read_text(encoding="utf-8") for p in WORKFLOWS)
    assert "pip install" not in text, "workflows install through scripts/dev, which checks hashes"
    pip_caches = []
    for path in WORKFLOWS:
        for step in _steps(_load(path)):
            uses, options = step.get("uses", ""), step.get("with") or {}
            if uses.startswith("actions/setup-python@") and options.get("cache") == "pip":
                pip_caches.append(options.get("cache-dependency-path"))
            elif uses.startswith("actions/cache@") and "pip" in str(options.get("path")):
                pip_caches.append(options.get("key"))
    assert len(pip_caches) == len(WORKFLOWS), pip_caches
    for key in pip_caches:
        assert key == "requirements.lock" or "hashFiles('requirements.lock')" in key, \
            f"pip's cache should be keyed on requirements.lock, the file the install reads, not {key!r}"


def test_ci_runs_the_readme_test_command():
    command = _readme_test_command()
    runs = [line.strip() for step in _steps(_load(ROOT / ".github" / "workflows" / "ci.yml"))
            for line in str(step.get("run", "")).splitlines()]
    assert any(line == command or line.startswith(command + " ") for line in runs), \
        f"ci.yml does not run the README's test command {command!r}; its run lines: {runs}"
