"""Fuzzing data/: whatever a maintainer's YAML holds, the build answers with facts or with problems.

The property, for every generated data/ folder (the real pages in docs/ alongside):
``pipeline.check(root)`` returns the checked facts, or raises ProblemsFound whose every problem names
a file that exists and a line and column from 1; never any other exception. When the data
passes, every fact, event and source is formatted, every page reference but charts is filled
in, the downloads are made, and every chart that shows a changed fact builds its Vega-Lite
spec (or reports, with a place, the fact it cannot draw).

The generated data starts from the real files: (a) random YAML documents beside them, (b) the
real files with random values, of any type or of the right one, put into their fields, (c)
keys, items and lines deleted, and (d) bytes corrupted.

In CI the examples are fixed (profile "ci": derandomized, so a failure reproduces) and the
file takes under a minute. For a longer, random search:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import copy
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import charts
import pipeline
from charts.annotations import word_problems
from charts.describe import data_table, describe
from charts.registry import CannotDraw
from charts.render import chart_rows
from conftest import ROOT
from facts.export import downloads
from facts.format import entity_name, format_fact, format_partial_date, format_source, plain_number, precision_name
from facts.load import FactBase, _Loader, load_factbase
from facts.problems import ProblemsFound
from facts.schema import ENTITY_CODES, ID_PATTERN, PartialDate, Qualifier, Unit
from facts.staleness import stale_items
from pages.fill import fill

settings.register_profile("ci", derandomize=True, database=None, deadline=timedelta(seconds=10),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", settings.get_profile("ci"), derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SCALE = 25 if PROFILE == "long" else 1


def fuzz(examples: int) -> settings:
    return settings(settings.get_profile(PROFILE), max_examples=examples * SCALE)


REAL = {p.name: p.read_bytes() for p in sorted((ROOT / "data").glob("*.yaml"))}
PLAIN = {name: yaml.load(raw.decode("utf-8"), Loader=_Loader) for name, raw in REAL.items()}
BASELINE = load_factbase(ROOT / "data", ROOT)
FIELDS = sorted({key for doc in PLAIN.values() for entries in doc.values() for entry in entries for key in entry}
                | {"low", "high", "qualifier", "note", "place"})


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A project folder holding the real docs/ and, per example, a generated data/."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "docs", root / "docs")
    (root / "data").mkdir()
    return root


# --- the property -------------------------------------------------------------------------------

def check_robustly(root: Path, changed: dict[str, bytes]) -> FactBase | None:
    """Write the real data files, with ``changed`` ones replaced or added, and check the project:
    a FactBase, or None after problems that each name a real place."""
    data = root / "data"
    for old in data.glob("*.yaml"):
        old.unlink()
    for name, content in {**REAL, **changed}.items():
        (data / name).write_bytes(content)
    try:
        base = pipeline.check(root).base
    except ProblemsFound as found:
        assert found.problems
        assert_placed(found, root)
        return None
    read_everything(root, base)
    return base


def assert_placed(found: ProblemsFound, root: Path) -> None:
    for problem in found.problems:
        assert (root / problem.file).is_file() or (ROOT / problem.file).is_file(), problem
        assert problem.line >= 1 and problem.column >= 1, problem
        # One short line each, with anything typed in data/ shown escaped if it would not print.
        assert problem.message and len(str(problem)) < 1000 and str(problem).isprintable(), problem


def read_everything(root: Path, base: FactBase) -> None:
    """Everything the build writes from facts, except the pictures: none of it may raise."""
    for fact in base.facts.values():
        format_fact(fact), precision_name(fact), plain_number(fact.central), format_partial_date(fact.as_of)
        [entity_name(code) for code in fact.entities]
        [format_source(source, locator) for source, locator in base.citations(fact)]
    for event in base.events.values():
        format_partial_date(event.date), event.date.last_day()
        [format_source(source, locator) for source, locator in base.citations(event)]
        [entity_name(code) for code in event.entities]
    for source in base.sources.values():
        format_source(source)
    stale_items(base, 365)
    downloads(base)
    for page in sorted((root / "docs").glob("*.md")):
        # Charts are drawn below, one by one; a page's other references are all filled in here.
        markdown = re.sub(r"\{\{\s*(chart|scrolly)\s*:[^}]*\}\}", "", page.read_text(encoding="utf-8"))
        fill(markdown, page.name, base, charts={})
    # A scrolled sequence's words and the annotations' are worded, or placed as problems.
    for problem in word_problems(base):
        assert problem.file.startswith("data/") and problem.line > 0, problem
    for chart in charts.CHARTS.values():
        if shows_a_change(chart, base):
            chart.text(base, chart.title), chart.text(base, chart.summary)
            try:
                rows = chart_rows(chart.spec(base))
            except ProblemsFound as found:
                # Only a fact the builder names as one it cannot draw; anything else is a crash to fix.
                assert isinstance(found.__cause__, CannotDraw), found.__cause__
                assert_placed(found, root)
            else:
                describe(chart, rows), data_table(rows)


def shows_a_change(chart: charts.Chart, base: FactBase) -> bool:
    """Charts of unchanged facts draw as in the real data; only the others need drawing again."""
    changed = {i for kind in ("facts", "events", "sources") for i, item in getattr(base, kind).items()
               if getattr(BASELINE, kind).get(i) != item}
    return bool(changed & set(chart.fact_ids()) or (chart.uses_events and changed & set(base.events))
                or changed & set(base.sources))


# --- what goes into the files -------------------------------------------------------------------

KEYS = st.one_of(st.sampled_from(FIELDS + ["sources", "facts", "events"]), st.text(max_size=20),
                 st.integers(), st.booleans(), st.none(), st.floats())
TEXT = st.one_of(
    st.text(max_size=50),                                        # any code point but surrogates
    st.text(st.characters(codec="ascii"), max_size=50),          # control characters among them
    st.builds(lambda c, n: c * n, st.characters(), st.integers(100, 5000)),  # very long
    st.sampled_from(["", " ", "~", "null", "yes", "NO", "<<", "=", "2024-13-45", "0x_", "1_000", ".nan",
                     "\ufeff", "\u2028", "\x85", "https://", "{{ fact: x }}", "- a", "a: b", "#", "&a", "*a"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-10**40, 10**40), st.floats(), TEXT,
                    st.dates(), st.sampled_from([0, -0.0, 1e-300, 5e-324, 1e15, -1e15, 1e16, 2**63]))
ANYTHING = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                        max_leaves=15)

FIGURES = st.one_of(st.integers(-10**15, 10**15), st.floats(-1e15, 1e15, allow_nan=False),
                    st.sampled_from([0, -0.0, 1, 0.001, 1e-300, 999_999.999, 1e6, 1e9, 1e12, 1e15, -1]))
PERCENTS = st.one_of(st.integers(0, 100), st.floats(0, 100), st.sampled_from([0, 100, 0.001]))
IDS = st.one_of(st.sampled_from(sorted([*BASELINE.facts, *BASELINE.events, *BASELINE.sources])),
                st.from_regex(ID_PATTERN, fullmatch=True))
YEARS = st.integers(1, 9999)
PARTIAL_DATES = st.one_of(YEARS.map(lambda y: f"{y:04d}"), st.integers(1000, 9999),
                          st.tuples(YEARS, st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
                          st.dates().map(str))
PERIODS = st.one_of(st.integers(1000, 9999), st.tuples(YEARS, YEARS, st.sampled_from("-–")).map(
    lambda t: f"{min(t[:2]):04d}{t[2]}{max(t[:2]):04d}"))
URLS = st.builds(lambda host, path: f"https://{host}.org/{path}", st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
                 st.text(st.characters(codec="ascii", exclude_characters=' <>"\t\n\r\x0b\x0c'), max_size=40))
SHORT_TEXT = st.text(min_size=1, max_size=120).filter(str.strip)
CITATIONS = st.lists(st.fixed_dictionaries({"source": st.sampled_from(sorted(BASELINE.sources)),
                                            "locator": SHORT_TEXT}), min_size=1, max_size=3)
ENTITIES = st.lists(st.sampled_from(ENTITY_CODES), min_size=1, max_size=5)

# A value of the right type for each field: the data passes, and what is drawn and written is unusual.
RIGHT_TYPE = {
    "value": FIGURES, "low": FIGURES, "high": FIGURES,
    "qualifier": st.sampled_from([q.value for q in Qualifier]), "unit": st.sampled_from([u.value for u in Unit]),
    "period": PERIODS, "as_of": PARTIAL_DATES, "published": PARTIAL_DATES, "date": PARTIAL_DATES,
    "checked": st.dates(), "entities": ENTITIES, "url": URLS, "id": IDS, "source": IDS, "sources": CITATIONS,
    "label": SHORT_TEXT, "title": SHORT_TEXT, "locator": SHORT_TEXT, "publisher": SHORT_TEXT,
    "note": st.text(min_size=1, max_size=2000), "description": st.text(min_size=1, max_size=2000),
    "place": SHORT_TEXT,
}


def dump(doc: Any, flow: bool | None = False, width: int = 100) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=flow,
                          width=width).encode("utf-8")


def paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a plain document: ('facts', 2, 'value'), ('facts', 2), ..."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    found = []
    for key, child in children:
        found += [path + (key,), *paths(child, path + (key,))]
    return found


PLACES = [(name, place) for name, doc in PLAIN.items() for place in paths(doc)]
# The places a value of the field's own type can go: a field, or one of a fact's entities.
FIELD_PLACES = [(name, place) for name, place in PLACES if isinstance(place[-1], str) or place[-2] == "entities"]


def field_of(place: tuple) -> str | None:
    """The schema field a place holds: 'value', or 'entities' for ('facts', 0, 'entities', 1)."""
    names = [p for p in place if isinstance(p, str)]
    return names[-1] if names else None


@st.composite
def substituted(draw, right_type: bool) -> dict[str, bytes]:
    """Real files with 1 to 3 fields given new values: of the field's own type, or anything."""
    files, docs = {}, {}
    places = draw(st.lists(st.sampled_from(FIELD_PLACES if right_type else PLACES), min_size=1, max_size=3,
                           unique=True))
    # Deepest first: a place inside one that is replaced later is then simply replaced with it.
    for name, place in sorted(places, key=lambda np: -len(np[1])):
        doc = docs.setdefault(name, copy.deepcopy(PLAIN[name]))
        field = field_of(place)
        if right_type and field == "entities" and isinstance(place[-1], int):
            value = draw(st.sampled_from(ENTITY_CODES))
        elif right_type and field in RIGHT_TYPE:
            value = draw(RIGHT_TYPE[field])
        else:
            value = draw(ANYTHING)
        parent = doc
        for step in place[:-1]:
            parent = parent[step]
        parent[place[-1]] = value
    for name, doc in docs.items():
        files[name] = dump(doc, flow=draw(st.sampled_from([False, None, True])))
    return files


@st.composite
def reshaped_facts(draw) -> dict[str, bytes]:
    """Valid facts of unusual shape: a single value becomes a range and back, with extreme numbers."""
    files, docs = {}, {}
    fact_places = [(name, index) for name, doc in PLAIN.items() for index, _ in enumerate(doc.get("facts", []))]
    for name, index in draw(st.lists(st.sampled_from(fact_places), min_size=1, max_size=3, unique=True)):
        doc = docs.setdefault(name, copy.deepcopy(PLAIN[name]))
        fact = doc["facts"][index]
        numbers = PERCENTS if fact["unit"] in ("percent", "percent_of_gdp") else FIGURES
        for key in ("value", "low", "high", "qualifier"):
            fact.pop(key, None)
        if draw(st.booleans()):
            low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
            fact.update(low=low, high=high)
        else:
            fact.update(value=draw(numbers), qualifier=draw(RIGHT_TYPE["qualifier"]))
        if draw(st.booleans()):
            fact["entities"] = draw(ENTITIES)
        if draw(st.booleans()):
            fact["as_of"] = draw(PARTIAL_DATES)
    for name, doc in docs.items():
        files[name] = dump(doc)
    return files


@st.composite
def random_documents(draw) -> dict[str, bytes]:
    """One more file beside the real ones: random YAML, random text or random bytes."""
    entry = st.dictionaries(st.one_of(st.sampled_from(FIELDS), KEYS), ANYTHING, max_size=14)
    shaped = st.dictionaries(st.sampled_from(["sources", "facts", "events"]) | KEYS,
                             st.lists(entry, max_size=3) | ANYTHING, max_size=3)
    content = draw(st.one_of(
        st.builds(dump, st.one_of(shaped, ANYTHING), st.sampled_from([False, None, True]), st.integers(20, 200)),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.binary(max_size=300),
    ))
    return {"fuzzed.yaml": content}


@st.composite
def deleted(draw) -> dict[str, bytes]:
    """Real files with keys or list items removed, or with whole lines cut out of the text."""
    files = {}
    if draw(st.booleans()):
        docs: dict[str, Any] = {}
        # Deleting the deepest places first keeps the shallower ones valid.
        for name, place in sorted(draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=4, unique=True)),
                                  key=lambda np: -len(np[1])):
            doc = docs.setdefault(name, copy.deepcopy(PLAIN[name]))
            parent = doc
            for step in place[:-1]:
                parent = parent[step] if isinstance(parent, dict) or step < len(parent) else None
                if parent is None:
                    break
            if isinstance(parent, dict):
                parent.pop(place[-1], None)
            elif isinstance(parent, list) and place[-1] < len(parent):
                del parent[place[-1]]
        files.update({name: dump(doc) for name, doc in docs.items()})
    else:
        name = draw(st.sampled_from(sorted(REAL)))
        lines = REAL[name].splitlines(keepends=True)
        gone = draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=5))
        files[name] = b"".join(line for i, line in enumerate(lines) if i not in gone)
    return files


NASTY_BYTES = [b"\xff", b"\x00", b"\t", b"\xef\xbb\xbf", b"\r", b"\xc3", b"\xed\xa0\x80", b"\x85", b"\x1b",
               b'"', b"'", b"[", b"{", b"}", b"&a ", b"*a", b"!!", b"!x ", b"%", b"\\U", b"- ", b": ", b"#", b"\n",
               b"|", b">", b"? ", b"---\n", b"...\n", b"\xe2\x80\xa8"]


@st.composite
def corrupted(draw) -> dict[str, bytes]:
    """One real file with bytes cut, inserted or overwritten: truncation, invalid UTF-8, BOM, tab, NUL."""
    name = draw(st.sampled_from(sorted(REAL)))
    content = REAL[name]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(content)))
        junk = draw(st.sampled_from(NASTY_BYTES) | st.binary(min_size=1, max_size=4))
        action = draw(st.sampled_from(["truncate", "insert", "overwrite", "bom"]))
        if action == "truncate":
            content = content[:at]
        elif action == "insert":
            content = content[:at] + junk + content[at:]
        elif action == "overwrite":
            content = content[:at] + junk + content[at + len(junk):]
        else:
            content = b"\xef\xbb\xbf" + content
    return {name: content}


# --- the fuzz tests -----------------------------------------------------------------------------

@fuzz(examples=60)
@given(files=random_documents())
def test_random_documents_beside_the_real_files(root, files):
    check_robustly(root, files)


@fuzz(examples=60)
@given(files=substituted(right_type=False))
def test_values_of_any_type_in_the_real_fields(root, files):
    check_robustly(root, files)


@fuzz(examples=25)
@given(files=substituted(right_type=True))
def test_values_of_the_right_type_in_the_real_fields(root, files):
    check_robustly(root, files)


@fuzz(examples=20)
@given(files=reshaped_facts())
def test_valid_facts_of_unusual_shape_draw_or_say_why_not(root, files):
    check_robustly(root, files)


@fuzz(examples=50)
@given(files=deleted())
def test_deleted_keys_items_and_lines(root, files):
    check_robustly(root, files)


@fuzz(examples=60)
@given(files=corrupted())
def test_corrupted_bytes(root, files):
    check_robustly(root, files)


def test_the_real_data_passes_the_property(root):
    assert check_robustly(root, {}) is not None


# --- what the fuzzing found, pinned ---------------------------------------------------------------

def test_a_year_only_date_in_december_of_9999_has_a_last_day():
    assert PartialDate(9999, 12).last_day().isoformat() == "9999-12-31"
    assert PartialDate(2024, 2).last_day().isoformat() == "2024-02-29"


def with_fact(field_edits: dict[str, Any], fact_id: str) -> dict[str, Any]:
    docs = copy.deepcopy(PLAIN)
    for doc in docs.values():
        for fact in doc.get("facts", []):
            if fact["id"] == fact_id:
                for key, value in field_edits.items():
                    if value is None:
                        fact.pop(key, None)
                    else:
                        fact[key] = value
    return docs


def test_a_chart_that_calculates_names_the_range_it_cannot_use(root):
    docs = with_fact({"value": None, "low": 10e9, "high": 12e9}, "uz-remittances-total-2024")
    base = check_robustly(root, {name: dump(doc) for name, doc in docs.items()})
    chart = charts.CHARTS["uzbekistan-remittances-origin"]
    with pytest.raises(ProblemsFound) as caught:
        chart.spec(base)
    [problem] = caught.value.problems
    file, line, column = base.defined_at["uz-remittances-total-2024"]
    assert (problem.file, problem.line, problem.column) == (file, line, column)
    assert str(problem) == (
        f"data/remittances.yaml:{line}:{column}: chart uzbekistan-remittances-origin: "
        f"cannot draw fact uz-remittances-total-2024: "
        f"it is a range (1e+10 to 1.2e+10); expected a single value (value:), because the chart calculates with it "
        f"(the chart is declared at charts/remittances.py:{chart.defined_at[1]})")
    assert isinstance(caught.value.__cause__, CannotDraw)


def test_a_builder_crash_is_reported_at_the_chart(root):
    base = check_robustly(root, {})
    chart = charts.CHARTS["timeline"]
    empty = FactBase(base.sources, base.facts, {}, base.defined_at)
    with pytest.raises(ProblemsFound) as caught:
        chart.spec(empty)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"charts/timeline.py:{chart.defined_at[1]}:1: chart timeline: cannot draw its "
                                   "facts: ValueError: ")
    assert str(problem).endswith("; expected facts its builder can draw")


def test_a_missing_fact_is_named(root):
    base = check_robustly(root, {})
    gone = "kz-labor-arrivals-2025"
    facts = {k: v for k, v in base.facts.items() if k != gone}
    places = {k: v for k, v in base.defined_at.items() if k != gone}
    chart = charts.CHARTS["kazakhstan-before-after"]
    with pytest.raises(ProblemsFound) as caught:
        chart.spec(FactBase(base.sources, facts, base.events, places))
    assert [str(p) for p in caught.value.problems] == [
        f"charts/destinations.py:{chart.defined_at[1]}:1: chart kazakhstan-before-after: cannot draw fact "
        f"{gone}: there is no such fact; expected a fact with this id in data/"]
