"""A pytest plugin: the CPU time the whole machine spent during each test, for finding where the
suite's time goes (BENCHMARKS.md, "The test suite").

    PYTHONPATH=scripts CPU_PER_TEST=cpu.tsv .venv/bin/python -m pytest -p pytest_cpu

Writes one line per test: its id, the busy CPU seconds of every core while it ran (from
/proc/stat: what it started in other processes, Chromium or a build, counts too), and its wall
seconds. Run the tests one at a time (no -n): in parallel, each test would be charged with its
neighbours' work. A shared build that runs in the background is charged to the tests that ran
beside it. Linux only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_started: dict[str, tuple[float, float]] = {}
_rows: list[tuple[str, float, float]] = []


def busy_cpu_seconds() -> float:
    """Seconds every core has spent busy since boot: user, nice, system, irq and softirq."""
    fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:8]
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields)
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def pytest_runtest_logstart(nodeid: str, location: tuple) -> None:
    _started[nodeid] = (busy_cpu_seconds(), time.perf_counter())


def pytest_runtest_logfinish(nodeid: str, location: tuple) -> None:
    cpu, wall = _started.pop(nodeid)
    _rows.append((nodeid, busy_cpu_seconds() - cpu, time.perf_counter() - wall))


def pytest_sessionfinish(session) -> None:
    out = Path(os.environ.get("CPU_PER_TEST", "cpu-per-test.tsv"))
    out.write_text("".join(f"{nodeid}\t{cpu:.2f}\t{wall:.2f}\n" for nodeid, cpu, wall in _rows), encoding="utf-8")
