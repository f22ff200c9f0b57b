"""`bash scripts/dev`: sets up a fresh machine (the right Python, hash-checked packages, npm
for axe-core) or says in one line why it cannot. Run here on a copy of the script, with fake
python3, .venv/bin/python and npm programs on a PATH that holds nothing else."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash")
NPM_CI = "ci --no-audit --no-fund --loglevel=error"
PYTEST = "python -m pytest -n auto --dist loadgroup"   # the suite on every core, a module per worker


def _program(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def _python(path: Path, version: str, log: Path) -> None:
    """A Python that reports ``version`` when asked (``-c ...``) and logs anything else it is run with."""
    _program(path, f'if [ "$1" = -c ]; then echo {version}; exit 0; fi\necho "python $*" >> "{log}"\n')


class Checkout:
    """A folder with scripts/dev and the files it reads, and a PATH of fakes."""

    def __init__(self, root: Path):
        self.root, self.bin, self.log = root, root / "fakebin", root / "ran.log"
        (root / "scripts").mkdir(parents=True)
        shutil.copy2(ROOT / "scripts" / "dev", root / "scripts" / "dev")
        for name in ("requirements.lock", "package-lock.json"):
            (root / name).write_text("{}\n", encoding="utf-8")
        self.bin.mkdir()
        for tool in ("dirname", "touch"):   # what scripts/dev runs besides bash's own builtins
            (self.bin / tool).symlink_to(shutil.which(tool))
        self.log.touch()

    def venv(self, version: str = "3.11.7", installed: bool = True) -> None:
        _python(self.root / ".venv" / "bin" / "python", version, self.log)
        if installed:
            stamp = self.root / ".venv" / ".installed"
            stamp.touch()
            lock = self.root / "requirements.lock"
            os.utime(lock, (stamp.stat().st_mtime - 10,) * 2)

    def npm(self) -> None:
        _program(self.bin / "npm", f'echo "npm $*" >> "{self.log}"\n')

    def node_modules(self, fresh: bool = True) -> None:
        axe = self.root / "node_modules" / "axe-core" / "axe.min.js"
        axe.parent.mkdir(parents=True)
        axe.write_text("// axe\n", encoding="utf-8")
        hidden = self.root / "node_modules" / ".package-lock.json"
        hidden.write_text("{}\n", encoding="utf-8")
        when = (self.root / "package-lock.json").stat().st_mtime + (10 if fresh else -10)
        os.utime(hidden, (when, when))

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {"PATH": str(self.bin), "HOME": str(self.root), "LANG": "C.UTF-8"}
        return subprocess.run([BASH, "scripts/dev", *args], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=60)

    def ran(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def checkout(tmp_path) -> Checkout:
    if BASH is None:
        pytest.skip("bash is not installed")
    return Checkout(tmp_path / "checkout")


# --------------------------------------------------------------------------- Python

def test_an_old_python3_is_named_in_one_line_and_exits_2(checkout):
    _python(checkout.bin / "python3", "3.9.18", checkout.log)
    result = checkout.run("test")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "scripts/dev: needs Python 3.11 or newer; python3 is Python 3.9.18 "
        "(install 3.11+ and put it first on PATH as python3)"]
    assert not (checkout.root / ".venv").exists() and checkout.ran() == []


def test_no_python3_at_all_is_said_in_one_line(checkout):
    result = checkout.run("build")
    assert result.returncode == 2
    assert result.stderr.strip() == ("scripts/dev: needs Python 3.11 or newer; no python3 on PATH "
                                     "(install it with venv)")


def test_a_venv_made_with_an_old_python_is_refused(checkout):
    checkout.venv("3.10.14")
    result = checkout.run("build")
    assert result.returncode == 2 and checkout.ran() == []
    assert "needs Python 3.11 or newer; .venv/bin/python is Python 3.10.14 (remove .venv" in result.stderr


def test_an_unknown_command_is_refused_before_anything_is_set_up(checkout):
    result = checkout.run("deploy")
    assert result.returncode == 2 and "usage: bash scripts/dev serve|test|build" in result.stderr
    assert not (checkout.root / ".venv").exists()
    result = checkout.run("serve", "fr")   # serve takes one edition besides English: ru
    assert result.returncode == 2 and "ru previews the Russian edition; got 'fr'" in result.stderr
    assert not (checkout.root / ".venv").exists()


# --------------------------------------------------------------------------- hashed installs

def test_packages_are_installed_from_the_lock_with_hashes_when_it_changes(checkout):
    checkout.venv(installed=False)
    assert checkout.run("build").returncode == 0
    assert checkout.ran() == ["python -m pip install --quiet --require-hashes -r requirements.lock",
                              "python build.py"]
    # Installed once; again only when the lock is newer than the stamp.
    assert checkout.run("build").returncode == 0
    assert checkout.ran()[2:] == ["python build.py"]
    stamp = checkout.root / ".venv" / ".installed"
    os.utime(checkout.root / "requirements.lock", (stamp.stat().st_mtime + 10,) * 2)
    assert checkout.run("build").returncode == 0
    assert checkout.ran()[3:] == ["python -m pip install --quiet --require-hashes -r requirements.lock",
                                  "python build.py"]


def _pins(text: str) -> dict[str, str]:
    return {re.sub(r"[-_.]+", "-", m[1]).lower(): m[2]
            for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==([^\s;\\]+)", text, re.MULTILINE)}


def test_the_lock_pins_constraints_versions_with_hashes():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = _pins(lock)
    constraints = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert locked, "requirements.lock pins nothing"
    differing = {name: (version, constraints.get(name)) for name, version in locked.items()
                 if constraints.get(name) != version}
    assert differing == {}, ("requirements.lock disagrees with constraints.txt (lock, constraints); "
                             "regenerate it with the command at its top")
    wanted = {re.sub(r"[-_.]+", "-", m[1]).lower() for m in re.finditer(
        r"^([A-Za-z0-9][A-Za-z0-9_.-]*)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.MULTILINE)}
    assert wanted <= locked.keys(), f"not in requirements.lock: {sorted(wanted - locked.keys())}"
    entries = [block for block in re.split(r"\n(?=[A-Za-z0-9])", lock) if "==" in block.split("\n")[0]]
    assert len(entries) == len(locked)
    unhashed = [entry.split()[0] for entry in entries if "--hash=sha256:" not in entry]
    assert unhashed == [], f"entries without a hash: {unhashed}"
    header = "".join(line for line in lock.splitlines(keepends=True) if line.startswith("#")).split("\n\n")[0]
    assert "pip-compile --generate-hashes" in header, "the lock's header shows how to regenerate it"


# --------------------------------------------------------------------------- npm, axe-core

def test_test_runs_npm_ci_when_node_modules_is_missing(checkout):
    checkout.venv()
    checkout.npm()
    result = checkout.run("test", "-q", "tests/x.py")
    assert result.returncode == 0, result.stderr
    assert checkout.ran() == [f"npm {NPM_CI}", f"{PYTEST} -q tests/x.py"]


def test_test_runs_npm_ci_when_package_lock_is_newer_than_node_modules(checkout):
    checkout.venv()
    checkout.npm()
    checkout.node_modules(fresh=False)
    assert checkout.run("test").returncode == 0
    assert checkout.ran() == [f"npm {NPM_CI}", PYTEST]


def test_test_leaves_a_current_node_modules_alone(checkout):
    checkout.venv()
    checkout.npm()
    checkout.node_modules(fresh=True)
    assert checkout.run("test").returncode == 0
    assert checkout.ran() == [PYTEST]


def test_without_npm_the_tests_still_run_and_say_why_axe_will_skip(checkout):
    checkout.venv()
    result = checkout.run("test")
    assert result.returncode == 0
    assert checkout.ran() == [PYTEST]
    assert "npm not found" in result.stderr


def test_serve_and_build_need_no_npm(checkout):
    checkout.venv()
    checkout.npm()
    assert checkout.run("build").returncode == 0
    assert checkout.ran() == ["python build.py"]


# --------------------------------------------------------------------------- the axe tests' guard

@pytest.fixture
def browser_conftest(monkeypatch):
    spec = importlib.util.spec_from_file_location("browser_conftest_under_test",
                                                  ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)   # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class _Item:
    def __init__(self, function):
        self.function = function


def _an_axe_test(page):
    return axe_violations(page)  # noqa: F821 - only its code object is read


def _another_test(page):
    return page


@pytest.mark.parametrize("npm", [True, False], ids=["with-npm", "without-npm"])
def test_axe_tests_skip_with_the_reason_when_axe_core_is_missing(browser_conftest, monkeypatch, tmp_path, npm):
    monkeypatch.setattr(browser_conftest, "AXE", tmp_path / "node_modules" / "axe-core" / "axe.min.js")
    monkeypatch.setattr(browser_conftest, "IN_CI", False)
    monkeypatch.setattr(browser_conftest.shutil, "which", lambda name: "/usr/bin/npm" if npm else None)
    with pytest.raises(pytest.skip.Exception) as skipped:
        browser_conftest.pytest_runtest_setup(_Item(_an_axe_test))
    assert "axe.min.js not found" in str(skipped.value)
    assert ("npm is not on PATH" in str(skipped.value)) is not npm
    browser_conftest.pytest_runtest_setup(_Item(_another_test))   # the other browser tests run on


def test_axe_tests_fail_in_ci_when_axe_core_is_missing(browser_conftest, monkeypatch, tmp_path):
    monkeypatch.setattr(browser_conftest, "AXE", tmp_path / "axe.min.js")
    monkeypatch.setattr(browser_conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        browser_conftest.pytest_runtest_setup(_Item(_an_axe_test))


def test_axe_tests_run_when_axe_core_is_there(browser_conftest, monkeypatch, tmp_path):
    (tmp_path / "axe.min.js").write_text("// axe\n", encoding="utf-8")
    monkeypatch.setattr(browser_conftest, "AXE", tmp_path / "axe.min.js")
    monkeypatch.setattr(browser_conftest, "IN_CI", True)
    browser_conftest.pytest_runtest_setup(_Item(_an_axe_test))
