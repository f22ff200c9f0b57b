"""The chart cache is sound: a chart reads only what it declares, its cache key changes with all of
that and nothing else, a damaged entry is drawn again, never served, and `--check` asks for the
entries the build stores.

(That a one-fact edit redraws exactly the charts showing the fact, in a real build, is
tests/test_output.py's; a build from the cache giving the same bytes as one without, too.)
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

import pytest

import charts
import pipeline
from charts.cache import ENTRY_FIELDS, KEEP, RenderCache, UndeclaredInput, chart_inputs, key
from charts.registry import Chart
from conftest import ROOT
from facts.lang import EDITIONS, edition
from facts.load import FactBase, load_factbase
from sites import assemble, fixture_site, run_build

BASE = load_factbase(ROOT / "data", ROOT)
TEXT_FIELD = {"facts": "label", "sources": "title", "events": "title"}   # one field every item has


def edited(base: FactBase, kind: str, item_id: str) -> FactBase:
    """``base`` with one item's text changed."""
    items = getattr(base, kind)
    item = items[item_id]
    changed = item.model_copy(update={TEXT_FIELD[kind]: getattr(item, TEXT_FIELD[kind]) + " (edited)"})
    return dataclasses.replace(base, **{kind: {**items, item_id: changed}})


@pytest.mark.parametrize("chart_id", sorted(charts.CHARTS))
def test_the_key_changes_with_everything_a_chart_may_read_and_with_nothing_else(chart_id):
    chart = charts.CHARTS[chart_id]
    inputs = chart_inputs(chart, BASE)
    before = key(chart, inputs)
    readable = {kind: set(getattr(inputs, kind)) for kind in TEXT_FIELD}
    assert readable["facts"] or readable["events"], "a chart draws facts or events"
    assert readable["sources"], "what it draws cites its sources"
    for kind, ids in readable.items():
        for item_id in ids:
            assert key(chart, chart_inputs(chart, edited(BASE, kind, item_id))) != before, (kind, item_id)
        for item_id in sorted(set(getattr(BASE, kind)) - ids):
            assert key(chart, chart_inputs(chart, edited(BASE, kind, item_id))) == before, (kind, item_id)
            with pytest.raises(UndeclaredInput, match=f"chart {chart_id} reads"):
                getattr(inputs, kind)[item_id]


# A chart that declares one fact and reads another, added to a copy of the fixture project.
SNEAKY = '''"""A chart that reads a fact it does not declare."""

import altair as alt

from .registry import chart
from .rows import fact_record


@chart(id="sneaky", title="Two quotas", summary="Two quotas.", facts=("uk-quota-uz-2024",))
def sneaky(base):
    rows = [fact_record(base, "uk-quota-uz-2024"), fact_record(base, "uk-quota-kg-2024")]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="value:Q", y="label:N")
'''


def test_a_chart_reading_a_fact_it_did_not_declare_fails_naming_both(tmp_path):
    root = assemble("uk-quotas", tmp_path / "project")
    (root / "charts" / "sneaky.py").write_text(SNEAKY, encoding="utf-8")
    init = root / "charts" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace("from . import uk", "from . import sneaky, uk"),
                    encoding="utf-8")
    line = 1 + SNEAKY[:SNEAKY.index("@chart(")].count("\n")
    for args in (["--check"], ["--site-dir", str(tmp_path / "site")]):
        result = run_build(root, *args, env={"BUILD_CACHE_DIR": ""}, timeout=300)
        assert result.returncode == 1, (args, result.stdout + result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, args
        assert re.search(rf"^charts/sneaky\.py:{line}:1: chart sneaky: .*reads fact 'uk-quota-kg-2024' "
                         r"but does not declare it", result.stderr, flags=re.M), (args, result.stderr)
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
    pytest.param(lambda data: b"\x00\xff" + data[2:], id="not-text"),
])
def test_a_damaged_cache_entry_is_drawn_again_not_served(tmp_path, damage):
    built = fixture_site("uk-quotas")
    root, cache = tmp_path / "project", tmp_path / "cache"
    shutil.copytree(built.project, root, symlinks=True)
    shutil.copytree(built.cache, cache)
    [entry] = (cache / "charts").glob("*/*.json")
    whole = entry.read_bytes()
    entry.write_bytes(damage(whole))
    site = tmp_path / "site"
    result = run_build(root, "--site-dir", str(site), env={"BUILD_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stdout + result.stderr
    # The drawn files (charts/<id>/ holds the chart's page, which is not drawn)
    chart_files = sorted(p.relative_to(built.site) for p in (built.site / "charts").iterdir() if p.is_file())
    assert chart_files
    for name in chart_files:
        assert (site / name).read_bytes() == (built.site / name).read_bytes(), name
    assert entry.read_bytes() == whole, "the entry was written again, whole"
    json.loads(entry.read_text(encoding="utf-8"))


def test_check_asks_the_cache_for_the_entries_the_build_stores(monkeypatch):
    """`build.py --check` skips the charts drawn before: it asks the cache for each edition's charts
    by the keys the build stores them under, made from that edition's view of the facts (the facts
    with every translation in them would give other keys, and every spec would be built again)."""
    checked = pipeline.check(ROOT)
    assert len(checked.editions) > 1, "the real project publishes more than one edition"
    stored = set()
    for lang in checked.editions:
        view = checked.edition(lang).base   # what render() draws
        with edition(lang):
            stored |= {(c.id, key(c, chart_inputs(c, view))) for c in charts.CHARTS.values()}

    class Drawn:
        asked = 0

        def has(self, chart_id: str, wanted: str) -> bool:
            Drawn.asked += 1
            return (chart_id, wanted) in stored

    monkeypatch.setattr(Chart, "spec", lambda *_: pytest.fail("built a spec the cache holds"))
    assert pipeline.draw_charts(checked.base, Drawn(), checked.editions) == []
    assert Drawn.asked == len(charts.CHARTS) * len(checked.editions)


def test_going_back_to_the_state_before_redraws_nothing_in_any_edition(tmp_path):
    """A reviewer's diff builds the base and then the change: each chart's entries for both states,
    in every edition, stay in the cache; a third state pushes out the oldest."""
    cache, entry = RenderCache(tmp_path), {**dict.fromkeys(ENTRY_FIELDS, ""), "png": b""}
    kept = [f"{state}-{lang}" for state in ("base", "change") for lang in EDITIONS]
    for name in kept:
        cache.put("a-chart", name, entry)
    assert [name for name in kept if not cache.has("a-chart", name)] == []
    cache.put("a-chart", "third-en", entry)
    assert len(list((tmp_path / "charts" / "a-chart").glob("*.json"))) == KEEP
