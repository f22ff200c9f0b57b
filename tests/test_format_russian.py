"""The one formatter in the Russian edition: Babel's Russian numbers and dates, CLDR plural rules
for counted units, fractions and multiples in words, no more precision than the facts give."""

from __future__ import annotations

from datetime import date

import pytest

from facts.format import (
    entity_names,
    format_count,
    format_date_in_prose,
    format_day,
    format_fact,
    format_partial_date,
    format_period,
    share_in_words,
    stop_after_abbreviation,
    times_in_words,
)
from facts.lang import edition
from facts.schema import Fact, PartialDate, Qualifier

NBSP = "\u00a0"


def fact(**fields) -> Fact:
    base = {"id": "a-fact", "label": "A fact", "unit": "laws", "entities": ["RU"], "as_of": "2025-10",
            "checked": "2026-11-01", "sources": [{"source": "src-a", "locator": "paragraph 1"}]}
    return Fact.model_validate({**base, **fields}, strict=False)


@pytest.fixture(autouse=True)
def russian():
    with edition("ru"):
        yield


@pytest.mark.parametrize(("value", "words"), [(1, "1 закон"), (2, "2 закона"), (5, "5 законов"), (11, "11 законов"),
                                              (21, "21 закон"), (22, "22 закона"), (25, "25 законов"),
                                              (101, "101 закон")])
def test_a_count_takes_the_noun_form_its_number_needs(value, words):
    assert format_fact(fact(value=value)) == words.replace(" ", NBSP)


def test_after_a_qualifier_the_noun_is_genitive():
    """«около 30 законов», «около 21 закона»: «около», «до», «более» govern the genitive."""
    assert format_fact(fact(value=30, qualifier="about")) == f"около 30{NBSP}законов"
    assert format_fact(fact(value=21, qualifier="about")).endswith(f"21{NBSP}закона")
    assert format_fact(fact(value=3, qualifier="up_to"), prose=True).endswith(f"трёх{NBSP}законов")


def test_one_to_nine_in_prose_agree_with_the_noun():
    assert format_fact(fact(value=6, unit="agreements"), prose=True) == f"шесть{NBSP}соглашений"
    assert format_fact(fact(value=4, unit="people"), prose=True) == f"четыре{NBSP}человека"
    assert format_fact(fact(value=1, unit="jobs"), prose=True) == f"одно{NBSP}рабочее место"
    assert format_fact(fact(value=2, unit="jobs"), prose=True) == f"два{NBSP}рабочих места"
    assert format_fact(fact(value=4, unit="people")) == f"4{NBSP}человека"   # digits outside prose


def test_russian_numbers_group_with_a_no_break_space_and_read_millions_short():
    assert format_fact(fact(value=220000, qualifier="about", unit="people")) == f"около 220{NBSP}000{NBSP}человек"
    assert format_fact(fact(low=2_000_000, high=5_000_000, unit="workers")) == f"2–5{NBSP}млн{NBSP}работников"
    assert format_fact(fact(value=11_500_000_000, unit="usd")) == f"$11,5{NBSP}млрд"
    assert format_fact(fact(value=40, qualifier="up_to", unit="percent_of_gdp")) == "до 40% ВВП"
    assert format_fact(fact(value=4.5, unit="percent")) == "4,5%"


def test_russian_dates_no_more_precise_than_their_source():
    assert format_partial_date(PartialDate.parse("2025-04")) == f"апрель 2025{NBSP}г."
    assert format_partial_date(PartialDate.parse("2025-04-12")) == f"12 апреля 2025{NBSP}г."
    assert format_partial_date(PartialDate.parse("2025")) == "2025"
    assert format_day(date(2026, 11, 27)) == f"27 ноября 2026{NBSP}г."
    # In a sentence: a time adverbial, its preposition included (the case follows from it)
    assert format_date_in_prose(PartialDate.parse("2025-04")) == f"в апреле 2025{NBSP}г."
    assert format_date_in_prose(PartialDate.parse("2024")) == f"в 2024{NBSP}г."
    assert format_date_in_prose(PartialDate.parse("2024-03-22")) == f"22 марта 2024{NBSP}г."
    assert stop_after_abbreviation(f"в 2024{NBSP}г.. Затем") == f"в 2024{NBSP}г. Затем"


def test_an_undated_figure_reads_as_of_when_it_was_stated():
    assert format_period(fact(value=1)) == f"по состоянию на октябрь 2025{NBSP}г."


def test_shares_and_multiples_in_russian_words():
    assert share_in_words(0.767, Qualifier.exact) == "около трёх четвертей"
    assert share_in_words(0.75, Qualifier.exact) == "три четверти"
    assert share_in_words(0.4, Qualifier.up_to) == "до двух пятых"
    assert share_in_words(0.55, Qualifier.exact) == "более половины"
    assert times_in_words(10, Qualifier.exact) == "в 10 раз"
    assert times_in_words(6.06, Qualifier.about) == "примерно в шесть раз"
    assert times_in_words(3, Qualifier.exact) == "в три раза"
    assert times_in_words(3, Qualifier.at_least) == "не менее чем в три раза"


def test_country_names_and_counts():
    assert entity_names(["TJ", "KG", "KR"]) == "Таджикистан, Кыргызстан и Южная Корея"
    assert format_count(1, "event", "events") == f"1{NBSP}событие"
    assert format_count(3, "event", "events") == f"3{NBSP}события"
    assert format_count(12, "event", "events") == f"12{NBSP}событий"


def test_english_is_unchanged_outside_the_russian_edition():
    with edition("en"):
        assert format_fact(fact(value=30, qualifier="about")) == "about 30"
        assert format_fact(fact(low=2_000_000, high=5_000_000, unit="workers")) == "2–5 million"
        assert format_partial_date(PartialDate.parse("2025-04")) == "April 2025"
        assert share_in_words(0.767, Qualifier.exact) == "about three-quarters"
        assert format_count(3, "event") == "three events"
