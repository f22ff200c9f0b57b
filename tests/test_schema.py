"""Bad fact files give one clear line each: file:line:column, the field, what was expected.

The snippets come from conftest.py; FACT's lines are 1 facts:, 2 id, 3 label,
4 value, 5 unit, 6 period, 7 entities, 8 sources, 9 the citation, 10 as_of, 11 checked.
"""

from __future__ import annotations

import pytest

from conftest import EVENT, FACT, ROOT, SOURCE, edit
from facts.load import FactBase, load_factbase
from facts.problems import ProblemsFound
from facts.schema import Fact, PartialDate, Qualifier, Unit

CITATION = "    sources:\n      - {source: src-a, locator: paragraph 1}\n"


def fact_with(old: str, new: str) -> dict[str, str]:
    return {"x.yaml": edit(FACT, old, new)}


# --- the valid starting points really are valid -------------------------------------------

def test_valid_snippets_load(load_data):
    base = load_data({"x.yaml": FACT, "events.yaml": EVENT})
    assert isinstance(base, FactBase), base
    fact = base.facts["a-fact"]
    assert (fact.value, fact.unit, fact.qualifier, fact.period) == (40, Unit.workers, Qualifier.exact, "2024")
    assert fact.as_of == PartialDate(2025, 10)
    assert base.events["an-event"].date == PartialDate(2025, 4)
    assert base.defined_at == {"src-a": ("data/sources.yaml", 2, 5), "a-fact": ("data/x.yaml", 2, 5),
                               "an-event": ("data/events.yaml", 2, 5)}
    assert base.citations(fact) == [(base.sources["src-a"], "paragraph 1")]


# --- one problem per bad input, with the exact line a maintainer sees -----------------------

@pytest.mark.parametrize("old, new, expected", [
    pytest.param(
        "label: A fact", "label: A fact: [bad",
        "data/x.yaml:3:18: YAML syntax error: mapping values are not allowed in this context (a value holding a "
        "colon and a space must be quoted; or is this line indented more than the one above?)",
        id="yaml-syntax-error"),
    pytest.param(
        "label: A fact", "label: A fact\n    colour: red",
        "data/x.yaml:4:5: facts[0](a-fact).colour: is not a known field; expected one of: id, label, value, "
        "low, high, qualifier, unit, period, period_text, entities, note, sources, as_of, checked, ru",
        id="unknown-field-lists-known-fields"),
    pytest.param(
        "locator: paragraph 1", "locator: paragraph 1, page: 3",
        "data/x.yaml:9:47: facts[0](a-fact).sources[0].page: is not a known field; expected one of: "
        "source, locator, says, dates, ru",
        id="unknown-field-in-citation"),
    pytest.param(
        "value: 40", "value: forty",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number, got 'forty' (text)",
        id="wrong-type-text-for-number"),
    pytest.param(
        "value: 40", 'value: "40"',
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number, got '40' (text)",
        id="quoted-number-is-not-coerced"),
    pytest.param(
        "value: 40", "value: true",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number, got True (bool)",
        id="wrong-type-bool-for-number"),
    pytest.param(
        "value: 40", "value: .nan",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a finite number, got nan",
        id="not-a-number"),
    pytest.param(
        "value: 40", "value: -.inf",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a finite number, got -inf",
        id="infinity"),
    pytest.param(
        "value: 40", "value: 10000000000000000",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number between -1,000,000,000,000,000 and "
        "1,000,000,000,000,000, got 10000000000000000",
        id="a-digit-too-many"),
    pytest.param(
        "value: 40", "value: <<",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number, got '<<' (text)",
        id="merge-key-sign-is-text"),
    pytest.param(
        "unit: workers", "unit: bananas",
        "data/x.yaml:5:5: facts[0](a-fact).unit: expected one of 'usd', 'percent', 'percent_of_gdp', "
        "'people', 'workers', 'jobs', 'laws' or 'agreements', got 'bananas'",
        id="unknown-unit"),
    pytest.param(
        "value: 40", "value: 40\n    qualifier: roughly",
        "data/x.yaml:5:5: facts[0](a-fact).qualifier: expected one of 'exact', 'about', 'up_to', "
        "'at_least', 'less_than' or 'more_than', got 'roughly'",
        id="unknown-qualifier"),
    pytest.param(
        "    unit: workers\n", "",
        "data/x.yaml:2:5: facts[0](a-fact).unit: is required but missing",
        id="missing-unit"),
    pytest.param(
        CITATION, "",
        "data/x.yaml:2:5: facts[0](a-fact).sources: is required but missing",
        id="sources-absent"),
    pytest.param(
        "value: 40", "low: 5\n    high: 2",
        "data/x.yaml:4:5: facts[0](a-fact).low: low (5) is greater than high (2)",
        id="low-greater-than-high"),
    pytest.param(
        "value: 40", "low: 2\n    high: 5\n    qualifier: about",
        "data/x.yaml:6:5: facts[0](a-fact).qualifier: a range takes no qualifier; low and high say it",
        id="range-with-qualifier"),
    pytest.param(
        "value: 40", "value: 3\n    low: 2\n    high: 5",
        "data/x.yaml:4:5: facts[0](a-fact).value: give either value, or both low and high (a range)",
        id="value-and-range"),
    pytest.param(
        "value: 40", "low: 2",
        "data/x.yaml:2:5: facts[0](a-fact).high: a range needs both low and high; high is missing",
        id="range-without-high"),
    pytest.param(
        "value: 40", "value:",
        "data/x.yaml:4:5: facts[0](a-fact).value: give either value, or both low and high (a range)",
        id="neither-value-nor-range"),
    pytest.param(
        "source: src-a", "source: src-b",
        "data/x.yaml:9:9: facts[0](a-fact).sources[0].source: unknown source 'src-b'; expected an id from "
        "a sources: list (known: src-a)",
        id="unknown-source-id"),
    pytest.param(
        "checked: 2025-11-01", "checked: 2025-02-30",
        "data/x.yaml:11:5: facts[0](a-fact).checked: impossible date '2025-02-30': day is out of range for month",
        id="impossible-day-in-checked"),
    pytest.param(
        "checked: 2025-11-01", "checked: 2025-11",
        "data/x.yaml:11:5: facts[0](a-fact).checked: expected a date written YYYY-MM-DD, got '2025-11'",
        id="checked-needs-a-full-date"),
    pytest.param(
        "as_of: 2025-10", "as_of: 2025-13",
        "data/x.yaml:10:5: facts[0](a-fact).as_of: impossible date '2025-13': month must be in 1..12",
        id="impossible-month-in-as-of"),
    pytest.param(
        "period: 2024", "period: 2025-2023",
        "data/x.yaml:6:5: facts[0](a-fact).period: the span '2025-2023' ends before it starts",
        id="period-backwards"),
    pytest.param(
        "[UZ]", "[XX]",
        "data/x.yaml:7:16: facts[0](a-fact).entities[0]: unknown country code 'XX'; expected an ISO 3166 "
        "alpha-2 code such as UZ, TJ, KG, RU, EU",
        id="unknown-country-code"),
    pytest.param(
        "[UZ]", "[UZ, uz]",
        "data/x.yaml:7:20: facts[0](a-fact).entities[1]: unknown country code 'uz'; expected an ISO 3166 "
        "alpha-2 code such as UZ, TJ, KG, RU, EU",
        id="lower-case-country-code"),
    pytest.param(
        "label: A fact", "label: &l A fact",
        "data/x.yaml:3:12: anchors and aliases (&name, *name) are not allowed here",
        id="anchor-refused"),
    pytest.param(
        "as_of: 2025-10", "as_of: *when",
        "data/x.yaml:10:12: anchors and aliases (&name, *name) are not allowed here",
        id="alias-refused"),
    pytest.param(
        "value: 40", "value: 40\n    value: 41",
        "data/x.yaml:5:5: field 'value' is given twice in the same entry",
        id="duplicate-key"),
    pytest.param(
        "label: A fact", "label: !!python/name:os.system",
        "data/x.yaml:3:12: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed; write plain values",
        id="python-tag-refused"),
    pytest.param(
        "label: A fact", "label: A fact\n    1: one",
        "data/x.yaml:4:5: a field name must be plain text",
        id="number-as-field-name"),
    pytest.param(
        "checked: 2025-11-01", "checked: 2025-11-01\nextra: 1",
        "data/x.yaml:12:1: extra: is not a known field; expected one of: sources, facts, events, corrections, "
        "glossary, annotations, scrollies",
        id="unknown-top-level-key"),
])
def test_one_clear_problem(problems_in, old, new, expected):
    assert problems_in(fact_with(old, new)) == [expected]


def test_percent_over_100(problems_in):
    files = {"x.yaml": edit(edit(FACT, "value: 40", "value: 140"), "unit: workers", "unit: percent")}
    assert problems_in(files) == [
        "data/x.yaml:4:5: facts[0](a-fact).value: value is 140; a percentage is between 0 and 100"]


def test_percent_of_gdp_range_over_100(problems_in):
    files = {"x.yaml": edit(edit(FACT, "value: 40", "low: 20\n    high: 140"), "unit: workers", "unit: percent_of_gdp")}
    assert problems_in(files) == [
        "data/x.yaml:5:5: facts[0](a-fact).high: high is 140; a percentage is between 0 and 100"]


def test_percent_of_100_is_allowed(load_data):
    files = {"x.yaml": edit(edit(FACT, "value: 40", "value: 100"), "unit: workers", "unit: percent")}
    assert isinstance(load_data(files), FactBase)


def test_empty_sources_list(problems_in):
    assert problems_in(fact_with(CITATION, "    sources: []\n")) == [
        "data/x.yaml:8:5: facts[0](a-fact).sources: needs at least one entry; the list is empty"]


@pytest.mark.parametrize("url", ["http://example.org/a", "https://example", "https://exa mple.org/a",
                                 "ftp://example.org/a", "example.org/a"])
def test_source_url_must_be_https_with_a_host(problems_in, url):
    # A sources-only file, so no fact's citation depends on the broken source.
    source = edit(SOURCE, "url: https://example.org/a", f"url: {url}")
    assert problems_in({"sources.yaml": source}) == [
        f"data/sources.yaml:5:5: sources[0](src-a).url: expected an https:// URL with a host name, got {url!r}"]


def test_a_broken_source_is_reported_once(problems_in):
    source = edit(SOURCE, "url: https://example.org/a", "url: http://example.org/a")
    assert problems_in({"sources.yaml": source, "x.yaml": FACT}) == [
        "data/sources.yaml:5:5: sources[0](src-a).url: expected an https:// URL with a host name, "
        "got 'http://example.org/a'"]


def test_duplicate_id_across_files_names_the_first(problems_in):
    assert problems_in({"x.yaml": FACT, "y.yaml": FACT}) == [
        "data/y.yaml:2:5: facts[0](a-fact).id: duplicate id 'a-fact'; already defined at data/x.yaml:2:5"]


def test_duplicate_id_between_a_fact_and_an_event(problems_in):
    event = edit(EVENT, "id: an-event", "id: a-fact")
    assert problems_in({"x.yaml": FACT, "y.yaml": event}) == [
        "data/y.yaml:2:5: events[0](a-fact).id: duplicate id 'a-fact'; already defined at data/x.yaml:2:5"]


def test_impossible_event_date(problems_in):
    event = edit(EVENT, "date: 2025-04\n    title", "date: 2025-02-30\n    title")
    assert problems_in({"events.yaml": event}) == [
        "data/events.yaml:3:5: events[0](an-event).date: impossible date '2025-02-30': day is out of range for month"]


def test_country_code_no_stays_norway(load_data):
    base = load_data(fact_with("[UZ]", "[NO, GB]"))
    assert isinstance(base, FactBase), base
    assert base.facts["a-fact"].entities == ["NO", "GB"]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "NO", "Yes"])
def test_yaml_1_1_booleans_stay_text(load_data, word):
    base = load_data(fact_with("label: A fact", f"label: {word}"))
    assert isinstance(base, FactBase), base
    assert base.facts["a-fact"].label == word


def test_unquoted_dates_stay_text_until_the_schema_reads_them(load_data):
    base = load_data({"x.yaml": FACT})
    fact = base.facts["a-fact"]
    assert str(fact.as_of) == "2025-10" and fact.checked.isoformat() == "2025-11-01"


def test_several_problems_all_reported_sorted_with_a_count(load_data):
    bad_x = edit(edit(FACT, "value: 40", "value: forty"), "[UZ]", "[XX]")
    bad_a = edit(edit(FACT, "a-fact", "b-fact"), "    unit: workers\n", "")
    found = load_data({"x.yaml": bad_x, "a.yaml": bad_a, "e.yaml": edit(EVENT, "[KG]", "[ZQ]")})
    assert isinstance(found, ProblemsFound)
    assert found.report() == "\n".join([
        "data/a.yaml:2:5: facts[0](b-fact).unit: is required but missing",
        "data/e.yaml:6:16: events[0](an-event).entities[0]: unknown country code 'ZQ'; expected an ISO 3166 "
        "alpha-2 code such as UZ, TJ, KG, RU, EU",
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number, got 'forty' (text)",
        "data/x.yaml:7:16: facts[0](a-fact).entities[0]: unknown country code 'XX'; expected an ISO 3166 "
        "alpha-2 code such as UZ, TJ, KG, RU, EU",
        "4 problems found; nothing was built.",
    ])
    assert str(found) == found.report()


def test_empty_data_dir(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(ProblemsFound) as caught:
        load_factbase(tmp_path / "data", tmp_path)
    assert caught.value.report() == "data:1:1: no .yaml fact files found\n1 problem found; nothing was built."


def test_top_level_must_be_a_mapping(problems_in):
    assert problems_in({"x.yaml": "- a\n- b\n"}) == [
        "data/x.yaml:1:1: expected a mapping with any of sources:, facts:, events:, corrections: and glossary:"]


def test_fact_model_validate_is_strict():
    data = {"id": "a-fact", "label": "A", "value": 1, "unit": "workers", "period": 2024, "entities": ["UZ"],
            "sources": [{"source": "src-a", "locator": "p"}], "as_of": "2025-10", "checked": "2025-11-01"}
    fact = Fact.model_validate(data)
    assert fact.period == "2024" and fact.central == 1 and not fact.is_range
    with pytest.raises(Exception, match="value"):
        Fact.model_validate({**data, "value": "1"})
    ranged = Fact.model_validate({**data, "value": None, "low": 2, "high": 4, "period": "2023-2025"})
    assert ranged.is_range and ranged.central == 3 and ranged.period == "2023–2025"


@pytest.mark.parametrize("code", ["ZZ", "XA", "XB", "QO", "UN"])
def test_cldr_pseudo_regions_are_not_country_codes(problems_in, code):
    [line] = problems_in(fact_with("[UZ]", f"[{code}]"))
    assert f"unknown country code '{code}'" in line


@pytest.mark.parametrize("code", ["EU", "GB", "KZ", "TM", "AE"])
def test_real_codes_and_eu_are_accepted(load_data, code):
    assert isinstance(load_data(fact_with("[UZ]", f"[{code}]")), FactBase)


def test_unknown_source_is_reported_alongside_other_problems(problems_in):
    """Every problem in one run: a bad value in one file does not hide a bad citation in another."""
    other = edit(edit(FACT, "a-fact", "b-fact"), "source: src-a", "source: src-b")
    assert problems_in({"x.yaml": edit(FACT, "value: 40", "value: forty"), "y.yaml": other}) == [
        "data/x.yaml:4:5: facts[0](a-fact).value: expected a number, got 'forty' (text)",
        "data/y.yaml:9:9: facts[0](b-fact).sources[0].source: unknown source 'src-b'; expected an id from "
        "a sources: list (known: src-a)",
    ]


# --- page references, checked by the project against the loaded facts ------------------------

def test_project_check_reports_unknown_ids_in_pages(tmp_path):
    import shutil

    import pipeline

    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n"
        "\n"
        "The UK quota is {{ fact: uk-quota-kg-2042 }} a year.\n"
        "\n"
        "  {{ chart: destination }}\n"
        "{{ chart: zzzz }}\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        pipeline.check(tmp_path)
    lines = caught.value.report().splitlines()
    assert [line for line in lines if line.startswith("docs/page.md:")] == [
        "docs/page.md:3:17: fact: unknown fact id 'uk-quota-kg-2042'; did you mean 'uk-quota-kg-2024'?",
        "docs/page.md:5:3: chart: unknown chart id 'destination'; did you mean 'destinations'?",
        "docs/page.md:6:1: chart: unknown chart id 'zzzz'",
    ]
    assert lines[-1].endswith("problems found; nothing was built.")


def test_a_page_that_is_not_utf8_is_a_problem_not_a_traceback(tmp_path):
    import shutil

    import pipeline

    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_bytes(b"# Page\n\nKazakhstan\n" + "Almaty\n".encode("utf-16"))
    with pytest.raises(ProblemsFound) as caught:
        pipeline.check(tmp_path)
    assert caught.value.report().splitlines()[0] == (
        "docs/page.md:4:1: not valid UTF-8 text; save the page as UTF-8")


def test_project_check_passes_on_valid_pages(tmp_path):
    import shutil

    import pipeline

    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("{{ fact: uk-quota-kg-2024 }} {{ chart: destinations }}\n")
    base = pipeline.check(tmp_path).base
    assert "uk-quota-kg-2024" in base.facts


def test_problems_are_sorted_by_place_and_deduplicated():
    from facts.problems import Problem

    found = ProblemsFound([Problem("data/b.yaml", 2, 5, "x", "two"), Problem("data/a.yaml", 10, 1, "", "one"),
                           Problem("data/a.yaml", 9, 7, "y", "zero"), Problem("data/b.yaml", 2, 5, "x", "two")])
    assert found.report() == ("data/a.yaml:9:7: y: zero\ndata/a.yaml:10:1: one\ndata/b.yaml:2:5: x: two\n"
                              "3 problems found; nothing was built.")
