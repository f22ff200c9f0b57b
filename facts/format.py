"""How a fact reads: "up to 40% of GDP", "$11.5 billion", "2–5 million", "about 220,000".

One place decides how numbers, qualifiers, units, dates and sources are
written, so prose, tooltips, tables and downloads always agree.  Babel does the
locale-aware work (digit grouping, "million", month names).
"""

from __future__ import annotations

import math
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from .schema import Fact, PartialDate, Qualifier, Source, Unit

LOCALE = "en"
COMPACT_FROM = 1_000_000  # below this, write the number out: 220,000 reads better than 220K

QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.about: "about",
    Qualifier.up_to: "up to",
    Qualifier.at_least: "at least",
    Qualifier.less_than: "less than",
    Qualifier.more_than: "more than",
}

# How the precision of a figure is named in legends, tooltips and tables.
PRECISION_NAMES = {
    Qualifier.exact: "exact",
    Qualifier.about: "approximate",
    Qualifier.up_to: "upper bound",
    Qualifier.less_than: "upper bound",
    Qualifier.at_least: "lower bound",
    Qualifier.more_than: "lower bound",
}
RANGE_NAME = "range"

UNIT_NAMES = {
    Unit.usd: "US dollars",
    Unit.percent: "percent",
    Unit.percent_of_gdp: "percent of GDP",
    Unit.people: "people",
    Unit.workers: "workers",
    Unit.jobs: "jobs",
    Unit.laws: "laws",
    Unit.agreements: "agreements",
}


def plain_number(number: float | None) -> float | int | None:
    """40.0 -> 40, so CSV and JSON downloads read as the YAML does."""
    return int(number) if number is not None and float(number).is_integer() else number


def format_number(number: float) -> str:
    """A bare number: '220,000', '1 million', '11.5 billion', '1.25 million', '2.5'.

    Large figures read in words only when that loses nothing: 1,234,567 stays
    in digits rather than being rounded to '1.23 million'.
    """
    if abs(number) >= COMPACT_FROM:
        magnitude = 1e9 if abs(number) >= 1e9 else 1e6
        scaled = number / magnitude
        if abs(round(scaled, 2) - scaled) < 1e-9:
            return format_compact_decimal(number, format_type="long", locale=LOCALE, fraction_digits=2)
    # As many decimals as the fact was written with (up to six), so 0.001 never reads "0";
    # and 0 rather than "-0".
    return format_decimal(number + 0.0, format="#,##0.######", locale=LOCALE)


_SYMBOL_UNITS = (Unit.usd, Unit.percent, Unit.percent_of_gdp)  # "$4", "4%": symbols take digits


def format_count(count: int, noun: str) -> str:
    """'one value', 'three events', '12 values': a count in a sentence, with its plural."""
    number = SMALL_NUMBER_WORDS.get(count) or format_decimal(count, locale=LOCALE)
    return f"{number} {noun if count == 1 else noun + 's'}"


def _with_unit(text: str, unit: Unit) -> str:
    if unit is Unit.usd:
        return f"${text}"
    if unit is Unit.percent:
        return f"{text}%"
    if unit is Unit.percent_of_gdp:
        return f"{text}% of GDP"
    return text


def _range(low: float, high: float) -> str:
    """'2–5 million' rather than '2 million–5 million'; '10,000–15,000' as is."""
    low_text, high_text = format_number(low), format_number(high)
    low_head, _, low_word = low_text.rpartition(" ")
    high_head, _, high_word = high_text.rpartition(" ")
    if low_head and high_head and low_word == high_word:
        return f"{low_head}–{high_head} {high_word}"
    return f"{low_text}–{high_text}"


# In running prose, as the article and most style guides do, one to nine are words ("four
# people", "six agreements"); tables, charts and cards keep digits.
SMALL_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                      9: "nine"}


def format_fact(fact: Fact, prose: bool = False) -> str:
    """The fact as it reads in a sentence, with its qualifier and unit; ``prose`` spells out one to nine."""
    if fact.is_range:
        return _with_unit(_range(fact.low, fact.high), fact.unit)
    spelled = SMALL_NUMBER_WORDS.get(fact.value) if prose and fact.unit not in _SYMBOL_UNITS else None
    text = spelled or _with_unit(format_number(fact.value), fact.unit)
    words = QUALIFIER_WORDS[fact.qualifier]
    return f"{words} {text}" if words else text


# Where CLDR's English name differs from the one the article uses, the article's wins, so one
# country has one name across prose, charts and tables.
ARTICLE_NAMES = {"TR": "Turkey", "EU": "European Union"}


def entity_name(code: str) -> str:
    """'UZ' -> 'Uzbekistan', from CLDR, so names match the reader's locale."""
    return ARTICLE_NAMES.get(code) or Locale.parse(LOCALE).territories[code]


def entity_names(codes: list[str]) -> str:
    """['TJ', 'KG'] -> 'Tajikistan and Kyrgyzstan'; three or more: 'A, B and C'."""
    names = [entity_name(code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def format_period(fact: Fact) -> str:
    """When a figure applies, no more precisely than its source says: '2024', '2023–2025', the source's
    own words ('each year before Russia's crackdown'), or, when it gives no time at all, 'as stated in
    October 2025'. An undated figure never gains a year it was not given."""
    if fact.period:
        return fact.period
    if fact.period_text:
        return fact.period_text
    return f"as stated {'on' if fact.as_of.precision == 'day' else 'in'} {format_partial_date(fact.as_of)}"


def precision_name(fact: Fact) -> str:
    return RANGE_NAME if fact.is_range else PRECISION_NAMES[fact.qualifier]


def format_partial_date(when: PartialDate) -> str:
    """'2024', 'April 2025', '12 April 2025': no more precise than the source."""
    pattern = {"year": "yyyy", "month": "MMMM yyyy", "day": "d MMMM yyyy"}[when.precision]
    return format_date(when.first_day(), pattern, locale=LOCALE)


def format_day(day: date) -> str:
    """'27 November 2026'."""
    return format_date(day, "d MMMM yyyy", locale=LOCALE)


def format_source(source: Source, locator: str | None = None) -> str:
    """'Carnegie Politika, Carnegie Endowment for International Peace, October 2025, paragraph 10'."""
    parts = [source.title, source.publisher, format_partial_date(source.published)]
    if locator:
        parts.append(locator)
    return ", ".join(parts)


# --- Shares and multiples in words ------------------------------------------------------------
# A chart's finding says "about three-quarters", not "76.67%": the words come from the facts'
# values, and never claim more than the facts do. A bound stays a bound ("up to two-fifths",
# rounded away from the figure so it still holds), an approximate figure stays "about", and an
# exact one is "about" only when the fraction is not exactly it.

FRACTIONS = ((1 / 10, "a tenth"), (1 / 6, "a sixth"), (1 / 5, "a fifth"), (1 / 4, "a quarter"),
             (1 / 3, "a third"), (2 / 5, "two-fifths"), (1 / 2, "half"), (3 / 5, "three-fifths"),
             (2 / 3, "two-thirds"), (3 / 4, "three-quarters"), (4 / 5, "four-fifths"), (9 / 10, "nine-tenths"),
             (1.0, "all"))
NEAR = 0.035   # how far a share may sit from a fraction and still read "about" it

UPPER_BOUNDS = (Qualifier.up_to, Qualifier.less_than)
LOWER_BOUNDS = (Qualifier.at_least, Qualifier.more_than)


class CannotWord(ValueError):
    """A share or multiple that words cannot state without claiming more than the facts do."""


def combined_qualifier(part: Fact, whole: Fact | None = None) -> Qualifier:
    """The qualifier of part / whole: a bound on the part bounds the ratio the same way; a bound on
    the whole bounds it the other way; anything approximate makes it approximate."""
    for fact in (part, whole):
        if fact is not None and fact.is_range:
            raise CannotWord(f"fact {fact.id} is a range; a share in words needs one value")
    qualifiers = {part.qualifier} | ({_flip(whole.qualifier)} if whole is not None else set())
    qualifiers.discard(Qualifier.exact)
    if not qualifiers:
        return Qualifier.exact
    if qualifiers == {Qualifier.about}:
        return Qualifier.about
    if len(qualifiers) == 1:
        return qualifiers.pop()
    raise CannotWord(f"the qualifiers {sorted(q.value for q in qualifiers)} together bound nothing")


def _flip(qualifier: Qualifier) -> Qualifier:
    return {Qualifier.up_to: Qualifier.at_least, Qualifier.less_than: Qualifier.more_than,
            Qualifier.at_least: Qualifier.up_to, Qualifier.more_than: Qualifier.less_than}.get(qualifier, qualifier)


def share_in_words(share: float, qualifier: Qualifier) -> str:
    """0.767, exact -> 'about three-quarters'; 0.4, up_to -> 'up to two-fifths'; 0.55, exact ->
    'more than half'."""
    if not 0 < share <= 1:
        raise CannotWord(f"a share of {share:g} is not between 0 and 1")
    if qualifier in UPPER_BOUNDS:
        value, words = min((f for f in FRACTIONS if f[0] >= share - 1e-9), key=lambda f: f[0])
        return f"{QUALIFIER_WORDS[qualifier]} {words}"
    if qualifier in LOWER_BOUNDS:
        below = [f for f in FRACTIONS if f[0] <= share + 1e-9]
        if not below:
            raise CannotWord(f"a lower bound of {share:g} is below a tenth")
        return f"{QUALIFIER_WORDS[qualifier]} {max(below, key=lambda f: f[0])[1]}"
    value, words = min(FRACTIONS, key=lambda f: abs(f[0] - share))
    if abs(value - share) < 1e-9:
        return words if qualifier is Qualifier.exact else f"about {words}"
    if abs(value - share) <= NEAR:
        return f"about {words}"
    below = [f for f in FRACTIONS if f[0] < share]
    if not below:
        return "less than a tenth"
    return f"more than {max(below, key=lambda f: f[0])[1]}"


def times_in_words(ratio: float, qualifier: Qualifier) -> str:
    """10, exact -> 'ten times'; 6.06, about -> 'about six times': whole multiples only, in words
    up to nine (the one-to-nine rule), digits above."""
    if ratio < 1.5:
        raise CannotWord(f"a ratio of {ratio:g} is not a multiple worth stating")
    whole = round(ratio)
    if qualifier in UPPER_BOUNDS:
        whole = math.ceil(ratio - 1e-9)
    elif qualifier in LOWER_BOUNDS:
        whole = math.floor(ratio + 1e-9)
    number = SMALL_NUMBER_WORDS.get(whole) or format_decimal(whole, locale=LOCALE)
    if qualifier in UPPER_BOUNDS or qualifier in LOWER_BOUNDS:
        return f"{QUALIFIER_WORDS[qualifier]} {number} times"
    exact = abs(whole - ratio) < 1e-9 and qualifier is Qualifier.exact
    return f"{number} times" if exact else f"about {number} times"


def format_share(part: Fact, whole: Fact | None = None) -> str:
    """A percentage fact (``whole`` None) or part / whole as a fraction in words."""
    qualifier = combined_qualifier(part, whole)
    share = part.value / 100 if whole is None else part.value / whole.value
    return share_in_words(share, qualifier)


def format_times(larger: Fact, smaller: Fact) -> str:
    """How many times ``smaller`` goes into ``larger``, in words."""
    return times_in_words(larger.value / smaller.value, combined_qualifier(larger, smaller))
