"""How a fact reads: qualifier, unit, ranges and dates, through facts.format."""

from __future__ import annotations

import pytest

from facts.format import (
    CannotWord,
    format_fact,
    format_number,
    format_partial_date,
    format_share,
    format_source,
    format_times,
    precision_name,
)
from facts.load import FactBase
from facts.schema import Fact, PartialDate, Source


def make_fact(**fields) -> Fact:
    data = {"id": "a-fact", "label": "A fact", "unit": "workers", "period": 2024, "entities": ["UZ"],
            "sources": [{"source": "src-a", "locator": "paragraph 1"}], "as_of": "2025-10",
            "checked": "2025-11-01"}
    data.update(fields)
    return Fact.model_validate(data)


@pytest.mark.parametrize("qualifier, expected", [
    ("exact", "220,000"),
    ("about", "about 220,000"),
    ("up_to", "up to 220,000"),
    ("at_least", "at least 220,000"),
    ("less_than", "less than 220,000"),
    ("more_than", "more than 220,000"),
])
def test_qualifiers(qualifier, expected):
    assert format_fact(make_fact(value=220_000, qualifier=qualifier)) == expected


def test_qualifier_defaults_to_exact():
    fact = make_fact(value=8000)
    assert format_fact(fact) == "8,000"
    assert precision_name(fact) == "exact"


@pytest.mark.parametrize("low, high, unit, expected", [
    (2_000_000, 5_000_000, "workers", "2–5 million"),
    (10_000, 15_000, "workers", "10,000–15,000"),
    (2, 4, "percent", "2–4%"),
    (20, 40, "percent_of_gdp", "20–40% of GDP"),
    (2e9, 5e9, "usd", "$2–5 billion"),
    (500_000, 2_000_000, "people", "500,000–2 million"),
    (1_000_000, 2.5e9, "usd", "$1 million–2.5 billion"),
])
def test_ranges(low, high, unit, expected):
    fact = make_fact(low=low, high=high, unit=unit)
    assert format_fact(fact) == expected
    assert precision_name(fact) == "range"
    assert fact.central == (low + high) / 2


@pytest.mark.parametrize("fields, expected", [
    ({"value": 15e9, "unit": "usd"}, "$15 billion"),
    ({"value": 11_500_000_000, "unit": "usd"}, "$11.5 billion"),
    ({"value": 14, "qualifier": "about", "unit": "percent"}, "about 14%"),
    ({"value": 14, "qualifier": "about", "unit": "percent_of_gdp"}, "about 14% of GDP"),
    ({"value": 40, "qualifier": "up_to", "unit": "percent_of_gdp"}, "up to 40% of GDP"),
    ({"value": 220_000, "qualifier": "about", "unit": "people"}, "about 220,000"),
    ({"value": 220_000, "qualifier": "about", "unit": "workers"}, "about 220,000"),
    ({"value": 1_000_000, "unit": "workers"}, "1 million"),
    ({"value": 2_000_000, "qualifier": "about", "unit": "workers"}, "about 2 million"),
    ({"value": 100_000, "unit": "jobs"}, "100,000"),
    ({"value": 30, "qualifier": "about", "unit": "laws"}, "about 30"),
    ({"value": 6, "unit": "agreements"}, "6"),
    ({"value": 2.5, "unit": "percent"}, "2.5%"),
    ({"value": 999_999, "unit": "people"}, "999,999"),
])
def test_units(fields, expected):
    assert format_fact(make_fact(**fields)) == expected


@pytest.mark.parametrize("number, expected", [
    (0.001, "0.001"), (0.125, "0.125"), (-0.0, "0"),   # small numbers keep their decimals
    (0, "0"), (4, "4"), (40.0, "40"), (2.5, "2.5"), (220_000, "220,000"), (1e6, "1 million"),
    (11.5e9, "11.5 billion"), (1.5e12, "1.5 trillion"),
])
def test_format_number(number, expected):
    assert format_number(number) == expected


@pytest.mark.parametrize("number, expected", [
    (1_250_000, "1.25 million"),
    (1_050_000, "1.05 million"),
    (2_500_000, "2.5 million"),
    (1_234_567, "1,234,567"),      # words would round it; digits keep it
    (999_999_999, "999,999,999"),
    (1_000_000_000, "1 billion"),
])
def test_compact_numbers_keep_the_figure(number, expected):
    assert format_number(number) == expected


def test_range_ends_stay_distinct():
    assert format_fact(make_fact(low=1_200_000, high=1_240_000)) == "1.2–1.24 million"


def test_exact_large_figure_is_not_rounded():
    assert format_fact(make_fact(value=1_234_567, unit="usd")) == "$1,234,567"


@pytest.mark.parametrize("when, expected", [
    (PartialDate(2024), "2024"),
    (PartialDate(2025, 4), "April 2025"),
    (PartialDate(2025, 4, 12), "12 April 2025"),
    (PartialDate.parse("2011"), "2011"),
    (PartialDate.parse(2011), "2011"),
    (PartialDate.parse("2024-12"), "December 2024"),
    (PartialDate.parse("2025-01-05"), "5 January 2025"),
])
def test_format_partial_date(when, expected):
    assert format_partial_date(when) == expected


def test_partial_date_precision_and_text():
    assert [PartialDate.parse(t).precision for t in ("2024", "2025-04", "2025-04-12")] == ["year", "month", "day"]
    assert [str(PartialDate.parse(t)) for t in ("2024", "2025-04", "2025-04-12")] == ["2024", "2025-04", "2025-04-12"]


def test_format_source():
    source = Source.model_validate({"id": "src-a", "title": "Carnegie Politika",
                                    "publisher": "Carnegie Endowment for International Peace",
                                    "url": "https://example.org/a", "published": "2025-10",
                                    "role": "retold"})
    assert format_source(source) == "Carnegie Politika, Carnegie Endowment for International Peace, October 2025"
    assert format_source(source, "paragraph 10") == (
        "Carnegie Politika, Carnegie Endowment for International Peace, October 2025, paragraph 10")


def test_loaded_facts_format_as_written(load_data):
    base = load_data({"x.yaml": """\
        facts:
          - id: remittances
            label: Remittances
            value: 11500000000
            unit: usd
            period: 2024
            entities: [UZ]
            sources:
              - {source: src-a, locator: paragraph 10}
            as_of: 2025-10
            checked: 2025-11-01
          - id: crime-share
            label: Crime share
            low: 2
            high: 4
            unit: percent
            period: 2025
            entities: [RU]
            sources:
              - {source: src-a, locator: paragraph 3}
            as_of: 2025-10
            checked: 2025-11-01
        """})
    assert isinstance(base, FactBase), base
    assert format_fact(base.fact("remittances")) == "$11.5 billion"
    assert format_fact(base.fact("crime-share")) == "2–4%"


def test_downloads_write_numbers_as_in_yaml(load_data):
    from facts.export import downloads

    base = load_data({"x.yaml": FACT_TEMPLATE.format(value=15_000_000_000) + FACT_TEMPLATE.format(value=1_234_567)
                      .replace("id: big", "id: odd").replace("facts:\n", "")})
    assert isinstance(base, FactBase), base
    rows = {line.split(",")[0]: line.split(",")[2] for line in downloads(base)["downloads/facts.csv"].splitlines()[1:]}
    assert rows == {"big": "15000000000", "odd": "1234567"}


FACT_TEMPLATE = """\
facts:
  - id: big
    label: A big figure
    value: {value}
    unit: usd
    period: 2024
    entities: [UZ]
    sources:
      - {{source: src-a, locator: paragraph 1}}
    as_of: 2025-10
    checked: 2025-11-01
"""


def test_a_share_or_multiple_of_zero_cannot_be_worded():
    """Found by tests/test_fuzz.py: a whole of zero is a problem to report, not a crash."""
    zero, some = make_fact(value=0), make_fact(value=5)
    with pytest.raises(CannotWord, match="is zero"):
        format_share(some, zero)
    with pytest.raises(CannotWord, match="is zero"):
        format_times(some, zero)
