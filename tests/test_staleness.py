"""Facts due a re-check: `build.py --check --stale-after DAYS`, $FACTS_STALE_AFTER_DAYS, and the
preview that marks them on the page, on the small fixture site (tests/snapshots/input/uk-quotas),
whose items were last checked on different days.

The ages are counted to today, so every threshold here is computed from the fixture's dates:
the tests mean the same on any day they run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from facts.load import load_factbase
from sites import SNAPSHOTS, assemble, fetch, fixture_site, free_port, run_build

CASE = SNAPSHOTS / "input" / "uk-quotas"
BASE = load_factbase(CASE / "data", CASE)
ITEMS = [("fact", f) for f in BASE.facts.values()] + [("event", e) for e in BASE.events.values()]


def age(item) -> int:
    return (date.today() - item.checked).days


OLDEST = max(age(item) for _, item in ITEMS)
NEWEST = min(age(item) for _, item in ITEMS)


def expected_list(days: int) -> list[str]:
    """What --check lists after its ok line: items checked more than ``days`` ago, oldest first."""
    due = sorted(((kind, item) for kind, item in ITEMS if age(item) > days), key=lambda ki: (ki[1].checked, ki[1].id))
    if not due:
        return []
    lines = [f"{len(due)} not re-checked in the last {days} days (oldest first):"]
    for kind, item in due:
        file, line, column = BASE.defined_at[item.id]
        lines.append(f"  {file}:{line}:{column}: {kind} {item.id}: last checked {item.checked}, {age(item)} days ago")
    return lines


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return assemble("uk-quotas", tmp_path_factory.mktemp("stale") / "project")


def listed(project: Path, *args: str, **env: str) -> list[str]:
    """The lines --check prints after its ok line; it passes whatever is due (a reminder, not an error)."""
    env = {"FACTS_STALE_AFTER_DAYS": "", **env}   # unset unless a test sets it
    result = run_build(project, "--check", *args, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    ok, *rest = result.stdout.splitlines()
    assert ok.startswith("ok: "), result.stdout
    return rest


def test_the_fixture_dates_its_items_apart():
    assert NEWEST > 0 and OLDEST > NEWEST + 1, "the tests below need items checked on different days, before today"
    assert len({item.checked for _, item in ITEMS}) >= 3


def test_stale_after_lists_every_item_checked_more_than_that_many_days_ago_oldest_first(project):
    everything = listed(project, "--stale-after", str(NEWEST - 1))
    assert everything == expected_list(NEWEST - 1)
    assert len(everything) == 1 + len(ITEMS)
    assert [line.split(": ")[1] for line in everything[1:3]] == [
        f"{kind} {item.id}" for kind, item in sorted(ITEMS, key=lambda ki: ki[1].checked)[:2]]


def test_an_item_checked_exactly_that_many_days_ago_is_not_yet_due(project):
    assert listed(project, "--stale-after", str(OLDEST)) == []


def test_the_environment_sets_the_age_and_the_flag_wins(project):
    by_env = listed(project, FACTS_STALE_AFTER_DAYS=str(OLDEST - 1))
    assert by_env == expected_list(OLDEST - 1) and len(by_env) == 2
    assert listed(project, "--stale-after", str(OLDEST), FACTS_STALE_AFTER_DAYS="0") == []


def test_without_either_the_age_is_a_year(project):
    assert listed(project) == expected_list(365)


# --- the preview marks them; the published site does not ---------------------------------------

def fact_links(page: str) -> dict[str, tuple[str, str]]:
    """Fact id -> (class, title) of each figure linked on the page."""
    return {m["id"]: (m["cls"], m["title"]) for m in re.finditer(
        r'<a class="(?P<cls>fact[^"]*)" href="[^"]*#fact-(?P<id>[a-z0-9-]+)" title="(?P<title>[^"]*)"', page)}


def test_the_preview_marks_the_facts_due_a_re_check(tmp_path):
    days = NEWEST   # the facts checked on the newest date are not due; every older one is
    root = assemble("uk-quotas", tmp_path / "project")
    port, log = free_port(), tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTS_STALE_AFTER_DAYS": str(days)}
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=root, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline, links = time.monotonic() + 120, {}
        while not links and time.monotonic() < deadline:
            links = fact_links(fetch(f"http://127.0.0.1:{port}/"))
            time.sleep(0.25)
        assert links, "the preview never served the page:\n" + log.read_text(encoding="utf-8")[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=20)
    due = {fact_id for fact_id, fact in BASE.facts.items() if age(fact) > days}
    assert due and due != set(BASE.facts), "some facts should be due, and some not"
    assert set(links) == set(BASE.facts)
    for fact_id, (cls, title) in links.items():
        assert ("is-stale" in cls.split()) == (fact_id in due), (fact_id, cls)
        assert ("Due for a re-check." in title) == (fact_id in due), (fact_id, title)


def test_the_published_site_marks_nothing():
    """The same facts, built by build.py with every one of them due ($FACTS_STALE_AFTER_DAYS=0,
    tests/sites.py): a reader is not shown the maintainer's reminders."""
    links = fact_links((fixture_site("uk-quotas").site / "index.html").read_text(encoding="utf-8"))
    assert set(links) == set(BASE.facts)
    assert all(cls == "fact" and "re-check" not in title for cls, title in links.values())
